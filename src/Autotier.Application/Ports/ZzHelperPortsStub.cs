// TEMPORARY: the delivery helper's port, stubbed until its branch merges. Deleted at merge.
namespace Autotier.Application.Ports;

public sealed record AlertFacts(string Key, string TicketId, string ClientId, int Tier, string Kind, string Message, DateTimeOffset At, string? Audience = null);

public interface INotifier
{
    Task NotifyAsync(AlertFacts alert, CancellationToken cancellationToken);
}
