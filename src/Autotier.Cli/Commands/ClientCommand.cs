using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autotier.Adapters.Tables;
using Autotier.Application.Clients;
using Autotier.Application.Json;
using Autotier.Domain.Clients;

namespace Autotier.Cli.Commands;

/// <summary>
/// <c>autotier client show ID</c> and <c>autotier client set ID SETTING VALUE</c> (issue #34 fix 6):
/// a client's profile as stored, and one setting changed with every setting checked
/// (<see cref="ClientSettings"/>, <see cref="ClientProfileRules"/>). A refused change is one line
/// and exit 2; the same change twice writes once. A logo is given as <c>@file.png</c>.
/// </summary>
public static class ClientCommand
{
    private static readonly string[] Logos = ["mspLogo", "clientLogo"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("client", "a client's profile: show it, or change one setting");

        var showId = new Argument<string>("id") { Description = "the client's id, e.g. demo" };
        var show = new Command("show", "the client's profile as stored (JSON; logos shortened)") { showId };
        show.SetAction(async (parsed, ct) =>
        {
            var storage = CliStorage.Open(context);
            var clients = new TableClientStore(storage.Table(storage.Names.Clients));
            var id = parsed.GetValue(showId)!;
            var profile = await storage.RunAsync(() => Find(clients, id, ct));
            var json = (JsonObject)JsonSerializer.SerializeToNode(profile, AutotierJson.Options)!;
            if (json["branding"] is JsonObject branding)
            {
                foreach (var logo in Logos)
                {
                    if (branding[logo]?.GetValue<string>() is { } uri) branding[logo] = $"{uri[..Math.Min(uri.Length, 30)]}… ({uri.Length} characters)";
                }
            }
            await context.Out.WriteLineAsync(json.ToJsonString(Indented));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(show);

        var setId = new Argument<string>("id") { Description = "the client's id, e.g. demo" };
        var setting = new Argument<string>("setting")
        {
            Description = "the setting's JSON path: " + string.Join(", ", ClientSettings.All.Select(s => s.Setting)),
        };
        var value = new Argument<string>("value") { Description = "its new value (\"\" removes an optional setting; a logo as @file.png)" };
        var set = new Command("set", "change one setting of the client's profile, checked before it is stored") { setId, setting, value };
        set.SetAction(async (parsed, ct) =>
        {
            var id = parsed.GetValue(setId)!;
            var name = parsed.GetValue(setting)!;
            var given = parsed.GetValue(value)!;
            if (name.EndsWith("Logo", StringComparison.Ordinal) && given.StartsWith('@')) given = LogoFile(name, given[1..]);
            var storage = CliStorage.Open(context);
            var clients = new TableClientStore(storage.Table(storage.Names.Clients));
            var changed = await storage.RunAsync(async () =>
            {
                var profile = await Find(clients, id, ct);
                var change = ClientSettings.Apply(profile, name, given);
                if (change is SettingChange.Refused refused) throw new CliException(refused.Error, ExitCodes.BadInput);
                var done = (SettingChange.Done)change;
                // The same value again is not written: a script may run `set` as often as it likes.
                if (done.Changed) await clients.SaveAsync(done.Profile, ct);
                return done.Changed;
            });
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(new { clientId = id, setting = name, changed }, AutotierJson.Options));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(set);
        return command;
    }

    private static async Task<ClientProfile> Find(TableClientStore clients, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await clients.GetAsync(id, cancellationToken)
                ?? throw new CliException($"no client \"{id}\"", ExitCodes.BadInput);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            throw new CliException($"no client \"{id}\" (no clients table yet)", ExitCodes.BadInput);
        }
    }

    /// <summary>A picture file as the data: URI a profile stores; its type from its bytes (the rules check it again).</summary>
    private static string LogoFile(string setting, string file)
    {
        var info = new FileInfo(file);
        if (!info.Exists) throw new CliException($"{setting}: {file}: no such file", ExitCodes.BadInput);
        if (info.Length > Branding.MaxLogoBytes)
            throw new CliException($"{setting}: {file} is {info.Length / 1024} KB: at most {Branding.MaxLogoBytes / 1024} KB, a report carries it inline", ExitCodes.BadInput);
        var bytes = File.ReadAllBytes(file);
        var type = ClientProfileRules.PictureType(bytes)
            ?? throw new CliException($"{setting}: {file} is not a PNG, JPEG or WebP picture", ExitCodes.BadInput);
        return $"data:{type};base64,{Convert.ToBase64String(bytes)}";
    }
}
