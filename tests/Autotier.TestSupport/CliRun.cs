using Autotier.Cli;

namespace Autotier.TestSupport;

/// <summary>What one in-process run of the <c>autotier</c> command gave; <see cref="Error"/> split into its lines.</summary>
public sealed record CliResult(int Code, string Out, IReadOnlyList<string> Error);

/// <summary>Runs the <c>autotier</c> command in-process, with the test's own settings instead of the process environment.</summary>
public static class CliRun
{
    /// <summary>Settings whose storage is the local host's Azurite on ports nothing listens on, so no test reaches a real one by accident.</summary>
    public static Dictionary<string, string?> NoStorage() =>
        new() { ["AUTOTIER_AZURITE_PORT_BASE"] = ClosedPortBase().ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>A port base whose table port (base + 2) was free a moment ago.</summary>
    public static int ClosedPortBase()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port - 2;
    }

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> settings, TimeProvider? time, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr) { Setting = settings.GetValueOrDefault, Time = time ?? TimeProvider.System };
        var code = await AutotierCli.RunAsync(args, context, CancellationToken.None);
        return new CliResult(code, stdout.ToString(), stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
