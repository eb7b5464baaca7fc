using Autotier.Adapters;
using Autotier.Adapters.Psa;
using Autotier.Adapters.Tables;
using Autotier.Application.Ports;
using Autotier.Application.Psa;
using Autotier.Domain.Psa;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Autotier.Functions.Composition;

/// <summary>
/// The PSA as the system of record both ways (docs/psa.md): <c>AUTOTIER_PSA_TYPE</c>
/// (<c>connectwise</c>, <c>autotask</c>, <c>halopsa</c> or <c>none</c>, the default) picks the
/// adapter, with the TypeScript app's settings. With none, write-backs are nothing
/// (<see cref="NoPsa"/>) and <see cref="PsaChanges"/> answers NotConfigured. A missing or bad
/// setting stops the host at start with the setting named, never its value.
/// </summary>
public static class PsaServices
{
    public const string TypeSetting = "AUTOTIER_PSA_TYPE";

    public static IServiceCollection AddPsa(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var names = StorageNames.FromPrefix(AutotierSettings.From(configuration).TablePrefix);
        services.AddSingleton<ITicketLinks>(sp => new TableTicketLinks(sp.GetRequiredService<TableServiceClient>().GetTableClient(names.Tickets)));
        services.AddSingleton<IPsaSeen>(sp => new TablePsaSeen(sp.GetRequiredService<TableServiceClient>().GetTableClient(names.Tokens)));
        services.AddSingleton<PsaChanges>();
        var connect = Connector(configuration);
        if (connect is null)
        {
            services.AddSingleton<IPsa>(NoPsa.Instance);
            return services;
        }
        var mapping = PsaMapping.Parse(configuration[PsaMapping.Setting]);
        // One client for the app's life, renewed connections every few minutes; no redirects, since
        // every request carries the PSA credentials. Each call has its own timeout (PsaHttpOptions).
        services.AddSingleton(sp => new PsaConnection(
            connect(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            }, sp.GetRequiredService<TimeProvider>()),
            mapping));
        services.AddSingleton<IPsa, PsaWriteBack>();
        // Webhook intake completes partial deliveries (Autotask's) from the PSA's own copy.
        services.AddSingleton<Application.Webhooks.IPsaTicketLookup>(sp => new PsaApiTicketLookup(sp.GetRequiredService<PsaConnection>()));
        return services;
    }

    /// <summary>The configured PSA's adapter, made once its HTTP client exists; null for none.</summary>
    internal static Func<HttpClient, TimeProvider, IPsaApi>? Connector(IConfiguration configuration)
    {
        var type = (configuration[TypeSetting] ?? "none").Trim().ToLowerInvariant();
        if (type is "none" or "") return null;
        if (!PsaVendors.IsVendor(type)) throw new InvalidOperationException($"{TypeSetting} must be connectwise, autotask, halopsa or none");
        var baseUrl = Required(configuration, "AUTOTIER_PSA_BASE_URL");
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
            throw new InvalidOperationException("AUTOTIER_PSA_BASE_URL must be an https URL");
        return type switch
        {
            PsaVendors.ConnectWise => Make(new ConnectWiseSettings(
                baseUrl,
                Required(configuration, "AUTOTIER_PSA_COMPANY_ID"),
                Required(configuration, "AUTOTIER_PSA_USERNAME"),
                Required(configuration, "AUTOTIER_PSA_SECRET"),
                Required(configuration, "AUTOTIER_PSA_CLIENT_ID"))),
            PsaVendors.Autotask => Make(new AutotaskSettings(
                baseUrl,
                Required(configuration, "AUTOTIER_PSA_CLIENT_ID"),
                Required(configuration, "AUTOTIER_PSA_USERNAME"),
                Required(configuration, "AUTOTIER_PSA_SECRET"))),
            _ => Make(new HaloSettings(
                baseUrl,
                Required(configuration, "AUTOTIER_PSA_CLIENT_ID"),
                Required(configuration, "AUTOTIER_PSA_SECRET"))),
        };
    }

    private static Func<HttpClient, TimeProvider, IPsaApi> Make(ConnectWiseSettings s) => (http, _) => new ConnectWiseApi(s, http);

    private static Func<HttpClient, TimeProvider, IPsaApi> Make(AutotaskSettings s) => (http, _) => new AutotaskApi(s, http);

    private static Func<HttpClient, TimeProvider, IPsaApi> Make(HaloSettings s) => (http, time) => new HaloApi(s, http, null, time);

    private static string Required(IConfiguration configuration, string name) =>
        configuration[name] is { Length: > 0 } value ? value.Trim() : throw new InvalidOperationException($"{name} must be set when {TypeSetting} is set");
}
