using System.Text.Json.Nodes;
using Autotier.Application.Ports;

namespace Autotier.Application.Clients;

/// <summary>
/// The client profile a deployment gives (<c>AUTOTIER_CLIENT_PROFILE</c>, from
/// <c>infra/clients/&lt;client&gt;.profile.json</c>), written to the Clients table as the app starts
/// (TypeScript <c>applyClientProfile</c>), checked as <c>autotier client set</c> checks a change
/// (<see cref="ClientSettings.FromDeployment"/>). Written only when it changes something.
/// </summary>
public static class DeployedProfile
{
    public const string Setting = "AUTOTIER_CLIENT_PROFILE";

    public static async Task<SettingChange> ApplyAsync(IClientStore clients, string json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(json);
        string? clientId;
        try
        {
            clientId = JsonNode.Parse(json) is JsonObject obj && obj["clientId"] is JsonValue id && id.TryGetValue<string>(out var s) ? s : null;
        }
        catch (System.Text.Json.JsonException)
        {
            clientId = null;
        }
        var stored = string.IsNullOrWhiteSpace(clientId) ? null : await clients.GetAsync(clientId, cancellationToken);
        var change = ClientSettings.FromDeployment(stored, json);
        if (change is SettingChange.Done { Changed: true } done) await clients.SaveAsync(done.Profile, cancellationToken);
        return change;
    }
}
