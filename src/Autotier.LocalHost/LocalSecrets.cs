using System.Security.Cryptography;

namespace Autotier.LocalHost;

/// <summary>
/// Secrets the local host makes for itself, as the TypeScript app's <c>npm start</c> does: in Azure
/// they are Key Vault references. The link signing key is kept beside Azurite's data, so links in
/// mails from an earlier run still verify after a restart; with in-memory storage it lives as long
/// as the process.
/// </summary>
public static class LocalSecrets
{
    public static string LinkSigningKey(string? dataDirectory) => Kept(dataDirectory, "link-signing-key");

    /// <summary>The key the ops pages ask for (<c>AUTOTIER_OPS_KEY</c>), kept beside Azurite's data so a bookmark survives a restart.</summary>
    public static string OpsKey(string? dataDirectory) => Kept(dataDirectory, "ops-key");

    private static string Kept(string? dataDirectory, string name)
    {
        var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        if (dataDirectory is null) return fresh;
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, name);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 32 } kept) return kept;
        File.WriteAllText(path, fresh);
        return fresh;
    }
}
