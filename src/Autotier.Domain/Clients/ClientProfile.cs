namespace Autotier.Domain.Clients;

/// <summary>
/// A client (one MSP customer) as far as the first slice needs it. The classification and lifecycle
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
}
