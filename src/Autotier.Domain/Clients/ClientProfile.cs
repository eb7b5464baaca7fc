namespace Autotier.Domain.Clients;

/// <summary>
/// A client (one MSP customer) as far as the ported slices need it. The classification and lifecycle
/// ports add the SLA tier, business hours, directory and catalogue as they land.
/// </summary>
public sealed record ClientProfile(string ClientId, string Name)
{
    /// <summary>What the client runs: knowledge-base variants are matched against it.</summary>
    public SystemProfile SystemProfile { get; init; } = SystemProfile.Empty;
}

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
