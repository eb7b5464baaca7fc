namespace Autotier.Domain.Playbooks;

/// <summary>
/// Products automation may grant, and the monthly cost above which a person must approve: the
/// TypeScript profile's <c>access</c>, same JSON.
/// </summary>
public sealed record AccessPolicy(double ApprovalAboveMonthlyCost, IReadOnlyList<AccessProduct> Products);

/// <summary>One product automation may grant: a licence (SKU) or a group that carries the access.</summary>
/// <param name="Product">The name people use ("Visio").</param>
/// <param name="SelfService">On the client's allow list: automation may grant it without asking.</param>
public sealed record AccessProduct(string Product, bool SelfService)
{
    public IReadOnlyList<string>? Aliases { get; init; }

    /// <summary><c>skuPartNumber</c> as in subscribedSkus, e.g. VISIOCLIENT.</summary>
    public string? Sku { get; init; }

    /// <summary>The Entra ID group whose members get the app.</summary>
    public string? GroupId { get; init; }

    public double? MonthlyCost { get; init; }
}

/// <summary>
/// How autotier reaches the client's tenant through Microsoft Graph (the TypeScript
/// <c>DirectoryConnection</c>, same JSON). In Azure the function app's managed identity signs in to
/// an app registration in the client's tenant through a federated credential
/// (<see cref="DirectoryCredentials.WorkloadIdentity"/>, no secret anywhere).
/// </summary>
/// <param name="Credential">One of <see cref="DirectoryCredentials"/>.</param>
public sealed record DirectoryConnection(string TenantId, string Credential)
{
    /// <summary>The app registration (client id) in the client's tenant.</summary>
    public string? AppId { get; init; }

    /// <summary>The app setting holding the app's secret, for client-secret; AUTOTIER_DIRECTORY_CLIENT_SECRET unless set.</summary>
    public string? SecretSetting { get; init; }

    /// <summary>Microsoft Graph without the version (<c>https://graph.microsoft.com</c>); a local server in tests.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>On-premises accounts may reset through self-service (Entra Connect password writeback is on).</summary>
    public bool? PasswordWriteback { get; init; }

    /// <summary>Temporary Access Pass to a verified contact email; on unless set to false.</summary>
    public bool? TemporaryAccessPass { get; init; }

    /// <summary>Minutes a pass lives; 60 unless set.</summary>
    public int? PassLifetimeMinutes { get; init; }
}

/// <summary>The credential kinds, as their wire strings (the TypeScript union's values).</summary>
public static class DirectoryCredentials
{
    public const string WorkloadIdentity = "workload-identity";
    public const string ClientSecret = "client-secret";
    public const string ManagedIdentity = "managed-identity";

    /// <summary>No token: local test servers only (the Graph emulator asks for none).</summary>
    public const string None = "none";
}
