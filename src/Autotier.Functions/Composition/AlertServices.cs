using Autotier.Adapters;
using Autotier.Adapters.Mail;
using Autotier.Adapters.Notify;
using Autotier.Adapters.Queues;
using Autotier.Application.Alerts;
using Autotier.Application.Ports;
using Autotier.Application.Metrics;
using Autotier.Domain.Alerts;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Autotier.Functions.Composition;

/// <summary>
/// What autotier sends out: mail (the outbox locally, ACS or Graph sendMail as AUTOTIER_MAIL_MODE
/// says) and alerts to engineers (AUTOTIER_NOTIFY). Settings keep the TypeScript app's names,
/// values and defaults; a bad value stops the host at start with a message that names the setting,
/// never its value.
/// </summary>
public static class AlertServices
{
    private const string GraphScope = "https://graph.microsoft.com/.default";

    /// <summary>
    /// Call after the outbox is registered as <see cref="IEmailSender"/>: mail mode acs or graph
    /// replaces it (the outbox stays registered for <c>/api/dev/outbox</c>).
    /// </summary>
    public static IServiceCollection AddAlertsAndMail(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = AutotierSettings.From(configuration);
        var routing = AlertRouting.Parse(configuration[AlertRouting.Setting]);
        var queuePrefix = configuration["AUTOTIER_TIER_QUEUE_PREFIX"] ?? "autotier-tier";
        var names = StorageNames.FromPrefix(settings.TablePrefix);
        var deliveriesTable = names.TablePrefix + "AlertDeliveries";
        var sentMailTable = names.TablePrefix + "SentMail";

        AddMail(services, configuration, sentMailTable);

        services.AddSingleton(new AlertDeliveryOptions(routing, settings.PublicBaseUrl, DigestPolicy.Default));
        services.AddSingleton(sp => new TableAlertDeliveryLog(AutotierServices.Table(sp, deliveriesTable)));
        services.AddSingleton<IAlertDeliveryLog>(sp => sp.GetRequiredService<TableAlertDeliveryLog>());
        services.AddSingleton<IAlertDigestStore>(sp => new TableAlertDigestStore(AutotierServices.Table(sp, deliveriesTable)));
        services.AddSingleton<INotifier>(sp =>
        {
            var options = QueueNotifier.ClientOptions();
            foreach (var policy in sp.GetServices<StoragePipelinePolicy>())
                options.AddPolicy(policy.Policy, HttpPipelinePosition.PerCall);
            var queues = settings.Storage.Queues(options);
            // Every ticket alert that reaches a person counts as an engineer interruption in the metrics.
            return new InterruptionCounter(
                new QueueNotifier(audience => queues.GetQueueClient(audience.QueueName(queuePrefix)), AutotierServices.Table(sp, deliveriesTable)),
                sp.GetRequiredService<IOutcomeLog>());
        });
        // One client for the app's life: a pooled connection is renewed every few minutes, so DNS changes are seen.
        services.TryAddSingleton(_ => new AlertHttp(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })));
        services.AddSingleton<IChatWebhook>(sp => new WorkflowsWebhook(sp.GetRequiredService<AlertHttp>().Client));
        services.AddSingleton<AlertDelivery>();
        // The hourly poison watch: the intake queues (deliveries first: `autotier intake replay` takes it
        // without --queue), and the routed audiences' queues, the only alert queues whose delivery can fail.
        services.AddSingleton(new Application.Lifecycle.PoisonWatchQueues(
            [settings.IntakeQueue, settings.IntakeQueue + "-start", settings.IntakeQueue + "-mail"],
            [.. routing?.Routed.Select(a => a.QueueName(queuePrefix)) ?? []]));
        services.AddSingleton<IPoisonQueues>(sp =>
        {
            var options = StoragePoisonQueues.ClientOptions();
            foreach (var policy in sp.GetServices<StoragePipelinePolicy>())
                options.AddPolicy(policy.Policy, HttpPipelinePosition.PerCall);
            return new StoragePoisonQueues(settings.Storage.Queues(options));
        });
        services.AddSingleton<Application.Lifecycle.PoisonWatch>();
        services.AddHostedService(sp => new AlertStartup(
            sp.GetRequiredService<TableServiceClient>(), [deliveriesTable, sentMailTable],
            AlertRouting.Summary(routing, queuePrefix), sp.GetRequiredService<ILogger<AlertStartup>>()));
        return services;
    }

    private static void AddMail(IServiceCollection services, IConfiguration configuration, string sentMailTable)
    {
        var mode = configuration["AUTOTIER_MAIL_MODE"] ?? "outbox";
        if (mode == "outbox") return;
        if (mode is not ("acs" or "graph")) throw new InvalidOperationException("AUTOTIER_MAIL_MODE must be outbox, acs or graph");
        var supportMailbox = configuration["AUTOTIER_SUPPORT_MAILBOX"] is { Length: > 0 } s ? s : null;
        services.AddSingleton(sp => new TableSendLedger(AutotierServices.Table(sp, sentMailTable)));
        if (mode == "acs")
        {
            var endpoint = AcsEndpoint.Parse(configuration[AcsEndpoint.Setting]);
            var from = configuration["AUTOTIER_MAIL_FROM"] ?? "DoNotReply@autotier.local";
            services.Replace(ServiceDescriptor.Singleton<IEmailSender>(sp => endpoint.AccessKey is { } key
                ? AcsEmailSender.WithAccessKey(endpoint.Endpoint, key, sp.GetRequiredService<TableSendLedger>(), from, supportMailbox, sp.GetRequiredService<TimeProvider>())
                : AcsEmailSender.WithCredential(endpoint.Endpoint, ManagedIdentity(configuration), sp.GetRequiredService<TableSendLedger>(), from, supportMailbox, sp.GetRequiredService<TimeProvider>())));
            return;
        }
        var mailbox = supportMailbox ?? throw new InvalidOperationException("AUTOTIER_SUPPORT_MAILBOX must be set when AUTOTIER_MAIL_MODE=graph");
        var graph = GraphClient(configuration);
        services.Replace(ServiceDescriptor.Singleton<IEmailSender>(sp =>
            new GraphEmailSender(graph, mailbox, sp.GetRequiredService<TableSendLedger>(), sp.GetRequiredService<TimeProvider>())));
    }

    /// <summary>
    /// Microsoft Graph as the TypeScript app reaches it: AUTOTIER_GRAPH_AUTH managed-identity (default),
    /// client-secret (AUTOTIER_GRAPH_TENANT_ID, _CLIENT_ID, _CLIENT_SECRET) or none (a local emulator),
    /// at AUTOTIER_GRAPH_BASE_URL.
    /// </summary>
    internal static GraphServiceClient GraphClient(IConfiguration configuration)
    {
        var baseUrl = (configuration["AUTOTIER_GRAPH_BASE_URL"] is { Length: > 0 } b ? b : "https://graph.microsoft.com/v1.0").TrimEnd('/');
        switch (configuration["AUTOTIER_GRAPH_AUTH"] ?? "managed-identity")
        {
            case "none":
                return new GraphServiceClient(new AnonymousAuthenticationProvider(), baseUrl);
            case "managed-identity":
                return new GraphServiceClient(ManagedIdentity(configuration), [GraphScope], baseUrl);
            case "client-secret":
                if (configuration["AUTOTIER_GRAPH_TENANT_ID"] is not { Length: > 0 } tenant
                    || configuration["AUTOTIER_GRAPH_CLIENT_ID"] is not { Length: > 0 } client
                    || configuration["AUTOTIER_GRAPH_CLIENT_SECRET"] is not { Length: > 0 } secret)
                    throw new InvalidOperationException("AUTOTIER_GRAPH_TENANT_ID, AUTOTIER_GRAPH_CLIENT_ID and AUTOTIER_GRAPH_CLIENT_SECRET must be set for Graph auth client-secret");
                return new GraphServiceClient(new ClientSecretCredential(tenant, client, secret), [GraphScope], baseUrl);
            default:
                throw new InvalidOperationException("AUTOTIER_GRAPH_AUTH must be managed-identity, client-secret or none");
        }
    }

    /// <summary>The app's own identity: the user-assigned one AZURE_CLIENT_ID names, or the default chain.</summary>
    private static DefaultAzureCredential ManagedIdentity(IConfiguration configuration) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"] is { Length: > 0 } id ? id : null });
}

/// <summary>The HTTP client alert webhooks are posted with (a type of its own so no other registration is taken by mistake).</summary>
public sealed record AlertHttp(HttpClient Client);

/// <summary>
/// Creates the delivery and sent-mail tables once at start, so no delivery pays for a "create if
/// missing", and says where alerts go.
/// </summary>
internal sealed partial class AlertStartup(TableServiceClient tables, IReadOnlyList<string> names, string summary, ILogger<AlertStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in names) await tables.CreateTableIfNotExistsAsync(name, cancellationToken);
        LogRouting(logger, summary);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Summary}")]
    private static partial void LogRouting(ILogger logger, string summary);
}
