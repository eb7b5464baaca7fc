namespace Autotier.Domain.Clients;

/// <summary>
/// A client (one MSP customer) as far as the first slice needs it. The classification and lifecycle
/// ports add the SLA tier, business hours, directory and catalogue as they land.
/// </summary>
public sealed record ClientProfile(string ClientId, string Name);
