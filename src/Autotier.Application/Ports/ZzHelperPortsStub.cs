// TEMPORARY: the delivery and playbooks helpers' ports, stubbed until their branches merge. Deleted at merge.
#pragma warning disable CS1591
using Autotier.Domain.Clients;
using Autotier.Domain.Tickets;

namespace Autotier.Application.Ports
{
    public sealed record AlertFacts(string Key, string TicketId, string ClientId, int Tier, string Kind, string Message, DateTimeOffset At, string? Audience = null);

    public interface INotifier
    {
        Task NotifyAsync(AlertFacts alert, CancellationToken cancellationToken);
    }
}

namespace Autotier.Application.Playbooks
{
    public enum RequesterProof { None, SignedIn, FromMailbox, ConfirmedLink }

    public sealed record PlaybookRequest(Ticket Ticket, ClientProfile Client, string Step, DateTimeOffset At, RequesterProof Proof);

    public sealed record Guide(string ArticleId, string Title, IReadOnlyList<string> Steps);

    public abstract record PlaybookRun
    {
        public sealed record Sent(Guide Guide) : PlaybookRun;
        public sealed record Stopped(string Reason, string? Told) : PlaybookRun;
        public sealed record NeedsProof(string Why) : PlaybookRun;
    }

    public interface IPlaybooks
    {
        Task<PlaybookRun> RunAsync(PlaybookRequest request, CancellationToken cancellationToken);
    }
}
