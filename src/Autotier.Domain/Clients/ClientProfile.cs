using Autotier.Domain.Playbooks;

namespace Autotier.Domain.Clients;

/// <summary>
/// A client (one MSP customer) as far as the ported slices need it. The classification and lifecycle
/// ports add the SLA tier, business hours, directory and catalogue as they land.
/// </summary>
public sealed record ClientProfile(string ClientId, string Name)
{
    /// <summary>The classifier's confidence from which automation runs (TypeScript default 0.6).</summary>
    public double AutoThreshold { get; init; } = 0.6;

    /// <summary>premium, standard or basic: moves priority one step up or down.</summary>
    public string SlaTier { get; init; } = "standard";

    /// <summary>Requesters whose tickets start one priority step higher, lower case.</summary>
    public IReadOnlyList<string> VipEmails { get; init; } = [];

    /// <summary>What the client runs: knowledge-base variants are matched against it.</summary>
    public SystemProfile SystemProfile { get; init; } = SystemProfile.Empty;

    // The lifecycle types are named in full: the property Lifecycle hides the namespace of that name.

    /// <summary>When the client's office works: SLA windows, tier limits and requester reminders count these hours.</summary>
    public global::Autotier.Domain.Lifecycle.BusinessHours BusinessHours { get; init; } = global::Autotier.Domain.Lifecycle.BusinessHours.Default;

    /// <summary>The client's lifecycle knobs; null: all defaults (<see cref="global::Autotier.Domain.Lifecycle.LifecycleSettings.For"/> fills them in).</summary>
    public global::Autotier.Domain.Lifecycle.LifecycleSettings? Lifecycle { get; init; }

    /// <summary>P1 and security incidents: 24x7 windows and paging; null: the defaults (<see cref="global::Autotier.Domain.Lifecycle.P1Settings.For"/>).</summary>
    public global::Autotier.Domain.Lifecycle.P1Settings? P1 { get; init; }

    /// <summary>The language requesters write in (en, de, es, fr, nl); replies are read in all five either way.</summary>
    public string? Language { get; init; }

    /// <summary>
    /// The MSP's emergency phone number for this client, given in the advice of a security P1's mails
    /// (issue #32 fix 1): people in a ransomware outbreak need a voice, not a queue.
    /// </summary>
    public string? EmergencyPhone { get; init; }

    /// <summary>
    /// Who the MSP is and who the client is, as the report shows them (issue #34 fix 4): names,
    /// logos and contacts; null: the report names the client by <see cref="Name"/> alone.
    /// </summary>
    public Branding? Branding { get; init; }

    /// <summary>Mail from these domains is this client's (mail intake places new tickets by sender domain).</summary>
    public IReadOnlyList<string> EmailDomains { get; init; } = [];
    /// <summary>The client's Microsoft Entra ID tenant, for the playbooks that act (absent: guides only).</summary>
    public DirectoryConnection? Directory { get; init; }

    /// <summary>Products automation may grant, and the cost above which a person must approve.</summary>
    public AccessPolicy? Access { get; init; }

    /// <summary>The requester portal's settings (TypeScript <c>portal</c>); null: the defaults (sign-in required where Easy Auth is on).</summary>
    public PortalSettings? Portal { get; init; }
}

/// <summary>The client's requester portal, as the TypeScript profile's <c>portal</c>.</summary>
/// <param name="Anonymous">With Entra sign-in in front, people without an account may still file (rate limited).</param>
public sealed record PortalSettings(bool Anonymous = false);

/// <summary>
/// The client's systems, as the TypeScript profile's <c>systemProfile</c> (the fields the knowledge
/// base reads so far; devices, software and recent changes come with the escalation port).
/// </summary>
public sealed record SystemProfile
{
    public static SystemProfile Empty { get; } = new();

    public string? VpnProduct { get; init; }

    /// <summary>Printer model by site.</summary>
    public IReadOnlyDictionary<string, string>? Printers { get; init; }

    /// <summary>Site by user address (an RMM or HR export); Entra ID's office location is used when absent.</summary>
    public IReadOnlyDictionary<string, string>? UserSites { get; init; }

    /// <summary>The client's estate in an engineer's words ("20 Windows 11 laptops"): carried to every escalation.</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    public IReadOnlyList<string> Software { get; init; } = [];

    /// <summary>What changed lately ("Moved to Microsoft 365 MFA in October"): the first thing an engineer asks.</summary>
    public IReadOnlyList<string> RecentChanges { get; init; } = [];
}

/// <summary>
/// The names, logos and contacts a client's report carries. Logos are <c>data:</c> URIs (PNG, JPEG
/// or WebP, at most <see cref="MaxLogoBytes"/>) so the report stays one self-contained file that
/// fetches nothing; <see cref="ClientProfileRules"/> checks them.
/// </summary>
public sealed record Branding
{
    /// <summary>A logo a report carries inline: a few tens of kilobytes is plenty for a header.</summary>
    public const int MaxLogoBytes = 64 * 1024;

    /// <summary>The MSP's name ("Contoso IT").</summary>
    public string? MspName { get; init; }

    /// <summary>The MSP's logo as a <c>data:image/...;base64,</c> URI.</summary>
    public string? MspLogo { get; init; }

    /// <summary>How the client reaches the MSP: a mail address, a phone number, or both in one line.</summary>
    public string? MspContact { get; init; }

    /// <summary>The client's logo as a <c>data:image/...;base64,</c> URI.</summary>
    public string? ClientLogo { get; init; }

    /// <summary>The client's own contact for its service desk (its IT lead, office manager).</summary>
    public string? ClientContact { get; init; }
}
