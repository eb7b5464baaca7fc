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
}
