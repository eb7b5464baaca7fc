namespace Autotier.Domain.Psa;

/// <summary>The PSAs autotier speaks, by the wire names the settings, external ids and channels use.</summary>
public static class PsaVendors
{
    public const string ConnectWise = "connectwise";
    public const string Autotask = "autotask";
    public const string HaloPsa = "halopsa";

    public static readonly IReadOnlyList<string> All = [ConnectWise, Autotask, HaloPsa];

    public static bool IsVendor(string? value) => value is ConnectWise or Autotask or HaloPsa;

    /// <summary>The name people know it by, for timeline lines and names in events.</summary>
    public static string Label(string vendor) => vendor switch
    {
        ConnectWise => "ConnectWise",
        Autotask => "Autotask",
        HaloPsa => "HaloPSA",
        _ => vendor,
    };

    /// <summary>Tickets from a PSA carry <c>&lt;vendor&gt;:&lt;PSA ticket id&gt;</c> as their external id.</summary>
    public static string ExternalId(string vendor, string psaTicketId) => $"{vendor}:{psaTicketId}";
}

/// <summary>autotier's statuses that map onto PSA status ids (<c>AUTOTIER_PSA_MAPPING.statuses</c>).</summary>
public enum PsaStatus
{
    New,
    InProgress,
    WaitingOnRequester,
    Resolved,
    Closed,
}

/// <summary>A PSA ticket as autotier needs it, whichever PSA it came from.</summary>
/// <param name="Number">The number people quote (Autotask's T20261122.0001); the id elsewhere.</param>
/// <param name="CompanyKeys">The company's id, identifier and name as the PSA gives them.</param>
public sealed record PsaTicket(string Id, string Number, string Summary, string Description, IReadOnlyList<string> CompanyKeys, string? ContactName, string? ContactEmail);

/// <summary>A PSA ticket autotier found or opened: its id and the number people quote.</summary>
public sealed record PsaTicketHandle(string Id, string Number);

/// <summary>What autotier asks the PSA to open: the client's company, the requester's contact, tier 1.</summary>
/// <param name="Queue">Board (ConnectWise), queue (Autotask) or team (Halo) of tier 1, when mapped.</param>
/// <param name="Status">The PSA status for a new ticket, when mapped.</param>
public sealed record PsaNewTicket(
    string Reference, string Summary, string Description, string CompanyId, string? ContactName, string ContactEmail, string? Queue, string? Status, DateTimeOffset DueAt);

public enum PsaActivityKind
{
    Note,
    Time,
}

/// <summary>A note or time entry on a PSA ticket.</summary>
/// <param name="Public">Shown to the requester in the PSA (a discussion or resolution note, published to all, not hidden from the user).</param>
/// <param name="ByEngineer">Written by a PSA member, resource or agent (not by the contact, not by the system).</param>
public sealed record PsaActivity(string Id, PsaActivityKind Kind, string Text, bool Public, bool ByEngineer, string? AuthorId = null, string? AuthorName = null);

/// <summary>A PSA ticket's state as the round trip reads it after a change.</summary>
/// <param name="Closed">ConnectWise's <c>closedFlag</c>.</param>
/// <param name="Resolution">Autotask's resolution field.</param>
public sealed record PsaTicketState(string? Status, bool Closed, string? Resolution, IReadOnlyList<PsaActivity> Activity);
