using Autotier.Adapters;
using Autotier.Adapters.Assistant;
using Autotier.Adapters.Blobs;
using Autotier.Adapters.Classification;
using Autotier.Adapters.Mail;
using Autotier.Adapters.Queues;
using Autotier.Adapters.Tables;
using Autotier.Application.Kb;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Application.Lifecycle;
using Autotier.Application.Playbooks;
using Autotier.Workflow.Activities;
using Autotier.Workflow.Activities.Lifecycle;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Autotier.Functions.Composition;

/// <summary>
/// The app's services. Each host's composition root (the Functions worker's Program.cs, the local
/// host's) calls this once; what differs between them (the clock, extra pipeline policies) is
/// registered by that root before the call.
/// </summary>
public static class AutotierServices
{
    public static IServiceCollection AddAutotier(this IServiceCollection services, IConfiguration configuration)
    {
        // Before any setting is read: a Key Vault reference that did not resolve stops the app here,
        // by name, in both hosts (the worker's and the local host's roots both come through here).
        KeyVaultReferences.ThrowIfAny(configuration);
        var settings = AutotierSettings.From(configuration);
        var names = StorageNames.FromPrefix(settings.TablePrefix);
        services.AddSingleton(settings);
        services.AddSingleton(names);
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp =>
        {
            var options = new TableClientOptions();
            // Hosts may add policies (the local host counts storage requests per ticket with one).
            foreach (var policy in sp.GetServices<StoragePipelinePolicy>())
                options.AddPolicy(policy.Policy, HttpPipelinePosition.PerCall);
            return settings.Storage.Tables(options);
        });
        services.AddSingleton<ITicketStore>(sp => new TableTicketStore(Table(sp, names.Tickets)));
        services.AddSingleton<IClientStore>(sp => new TableClientStore(Table(sp, names.Clients)));
        services.AddSingleton<ICorrectionStore>(sp => new TableCorrectionStore(Table(sp, names.Corrections)));

        // Published models (per client, else the deployment's, else built in) behind the classifier.
        services.AddSingleton(sp =>
        {
            var options = new BlobClientOptions();
            foreach (var policy in sp.GetServices<StoragePipelinePolicy>())
                options.AddPolicy(policy.Policy, HttpPipelinePosition.PerCall);
            return settings.Storage.Blobs(options);
        });
        services.AddSingleton(sp =>
        {
            var blobs = sp.GetRequiredService<BlobServiceClient>();
            return new ModelSource(
                BlobModelStore.For(blobs, names.TablePrefix, null),
                client => BlobModelStore.For(blobs, names.TablePrefix, client),
                sp.GetRequiredService<ILogger<ModelSource>>());
        });
        services.AddSingleton<ITicketClassifier, PublishedModelClassifier>();

        // The optional Azure OpenAI assistant: a null one unless AUTOTIER_OPENAI_ENDPOINT and
        // AUTOTIER_OPENAI_DEPLOYMENT are set (then no workflow step asks it anything).
        services.AddSingleton<IAssistantUsage>(sp => new TableAssistantUsage(Table(sp, names.AssistantUsage)));
        services.AddSingleton(sp => AzureOpenAiAssistant.From(
            configuration, sp.GetRequiredService<IAssistantUsage>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<ClassifierWarmUp>();

        services.AddSingleton<IKbStore>(sp => new TableKbStore(Table(sp, names.Kb)));
        services.AddSingleton<IResolutionLog>(sp => new TableResolutionLog(Table(sp, names.Resolutions)));
        services.AddSingleton<KnowledgeBase>();
        services.AddSingleton<IKbImages>(sp => new BlobKbImages(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(names.KbImages)));
        services.AddSingleton(sp => new TableOutbox(Table(sp, names.Outbox), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<TableOutbox>());
        services.AddSingleton<IDevOutbox>(sp => sp.GetRequiredService<TableOutbox>());
        services.AddAlertsAndMail(configuration);

        services.AddSingleton<ITicketStarts>(sp =>
        {
            var options = StorageTicketStarts.ClientOptions();
            foreach (var policy in sp.GetServices<StoragePipelinePolicy>())
                options.AddPolicy(policy.Policy, HttpPipelinePosition.PerCall);
            return new StorageTicketStarts(settings.Storage.Queues(options).GetQueueClient($"{settings.IntakeQueue}-start"));
        });
        // The mail wait and pause run on real time even when the app's clock is virtual.
        services.AddSingleton(sp => new AcknowledgeAtOnce(
            sp.GetRequiredService<IEmailSender>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AcknowledgeAtOnce>>(), TimeProvider.System));
        services.AddSingleton<TicketIntake>();
        services.AddSingleton<TicketQueries>();
        services.AddSingleton<TicketCorrections>();
        // The ops pages: their bounded reads, the list and ticket use cases, and their access rule.
        services.AddSingleton<Application.Ops.IOpsQuery>(sp => new TableOpsQuery(Table(sp, names.Tickets)));
        services.AddSingleton<Application.Ops.OpsListing>();
        services.AddSingleton<Application.Ops.OpsTicketQuery>();
        services.AddSingleton<Application.Ops.OpsWorkflowActions>();
        services.AddSingleton(Ops.OpsAccessSettings.From(configuration));
        AddLifecycle(services, configuration, names);
        services.AddPlaybooks(configuration);
        services.AddPsa(configuration);
        services.AddTicketSteps();
        services.AddMailIntake(configuration);
        services.AddWebhooks(configuration);
        services.AddPortal(configuration);
        services.AddHostedService<StorageSetup>();
        if (configuration[Application.Clients.DeployedProfile.Setting] is { Length: > 0 } profileJson)
        {
            services.AddHostedService(sp => new ClientProfileSeed(
                sp.GetRequiredService<IClientStore>(), profileJson, sp.GetRequiredService<ILogger<ClientProfileSeed>>()));
        }
        return services;
    }

    /// <summary>The ticket lifecycle: its activities, the events and links that reach it, and what they need.</summary>
    private static void AddLifecycle(IServiceCollection services, IConfiguration configuration, StorageNames names)
    {
        // Read when a link is first made or checked, so a deployment without the key fails those
        // steps with the setting named, not the whole app at start.
        var links = new Lazy<LinkSettings>(() => LinkSettings.From(configuration["AUTOTIER_LINK_SIGNING_KEY"], AutotierSettings.From(configuration).PublicBaseUrl));
        services.AddSingleton<Func<LinkSettings>>(() => links.Value);
        services.AddSingleton<ITokenStore>(sp => new TableTokenStore(Table(sp, names.Tokens)));
        services.AddSingleton<IIncidentStore>(sp => new TableIncidentStore(Table(sp, names.Incidents)));
        // Each new outcome also goes out as a log line: the fleet view in Log Analytics reads those.
        services.AddSingleton<IOutcomeLog>(sp => new Application.Metrics.LoggedOutcomeLog(
            new TableOutcomeLog(Table(sp, names.Outcomes)), sp.GetRequiredService<ILogger<Application.Metrics.LoggedOutcomeLog>>()));
        services.AddSingleton<Application.Metrics.ClientMetricsQuery>();
        services.AddSingleton<TicketEventIntake>();
        services.AddSingleton<Application.Lifecycle.StartSweep>();
        services.AddSingleton<TicketRatings>();
    }

    /// <summary>
    /// The ticket workflow's activities, over whatever ports are registered: the app's table stores
    /// here, in-memory ones in the fake-clock tests, so both run the same steps.
    /// </summary>
    public static IServiceCollection AddTicketSteps(this IServiceCollection services)
    {
        services.AddSingleton<AcknowledgeTicket>();
        services.AddSingleton<ReviewClassification>();
        services.AddSingleton<TicketKit>();
        services.AddSingleton<StartLifecycle>();
        services.AddSingleton<RunPlaybook>();
        services.AddSingleton<SendUpdate>();
        services.AddSingleton<UpdateTicket>();
        services.AddSingleton<NotifyTier>();
        services.AddSingleton<RecordOutcome>();
        services.AddSingleton<EscalateTicket>();
        services.AddSingleton<RecordReply>();
        services.AddSingleton<ReadReply>();
        services.AddSingleton<ClassifyClarified>();
        services.AddSingleton<IncidentLinking>();
        services.AddSingleton<LinkIncident>();
        services.AddSingleton<IncidentMembers>();
        return services;
    }

    /// <summary>One of the app's tables, from the one table service client every composition file shares.</summary>
    internal static TableClient Table(IServiceProvider sp, string name) =>
        sp.GetRequiredService<TableServiceClient>().GetTableClient(name);
}

/// <summary>An Azure SDK pipeline policy a host adds to every storage client the app makes.</summary>
public sealed record StoragePipelinePolicy(HttpPipelinePolicy Policy);

/// <summary>
/// Trains the built-in models (a few seconds of CPU) as the host starts, beside it rather than in
/// its way: health answers at once, and the first ticket finds them ready or waits on the same work.
/// </summary>
internal sealed class ClassifierWarmUp : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(BuiltInModel.Warm, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Creates the app's tables once at start, so no request path pays for a "create if missing".</summary>
internal sealed class StorageSetup(TableServiceClient tables, StorageNames names) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in new[] { names.Tickets, names.Clients, names.Outbox, names.Corrections, names.AssistantUsage, names.Kb, names.Resolutions, names.Tokens, names.Incidents, names.Outcomes })
            await tables.CreateTableIfNotExistsAsync(name, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
