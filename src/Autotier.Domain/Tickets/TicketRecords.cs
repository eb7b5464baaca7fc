namespace Autotier.Domain.Tickets;

/// <summary>The guide a requester was sent (its article, title and steps).</summary>
public sealed record SentGuide(string ArticleId, string Title, IReadOnlyList<string> Steps);

/// <summary>One message of the requester's conversation with autotier.</summary>
public sealed record ConversationEntry(DateTimeOffset At, string From, string Text);

/// <summary>
/// Who resolved a ticket. Only the requester's own yes counts as deflection and for the guide;
/// an engineer's fix and a ticket closed after silence are kept apart.
/// </summary>
/// <param name="By">requester, engineer or silence (<see cref="ResolvedBy"/>).</param>
public sealed record Resolution(string By, DateTimeOffset At, string? Note = null, string? Engineer = null);

public static class ResolvedBy
{
    public const string Requester = "requester";
    public const string Engineer = "engineer";
    public const string Silence = "silence";
}
