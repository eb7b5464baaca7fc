using Autotier.Adapters;
using Autotier.Adapters.Graph;
using Autotier.Adapters.Mail;
using Autotier.Application.Mail;
using Autotier.Functions.Mail;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Autotier.Functions.Composition;

/// <summary>
/// Mail intake (issue #33's mail half): raw MIME and SendGrid, Graph change notifications and the
/// subscription that feeds them, ACS delivery reports. Settings as in the TypeScript app:
/// AUTOTIER_MAIL_INTAKE_SECRETS, AUTOTIER_SUPPORT_MAILBOX, AUTOTIER_GRAPH_CLIENT_STATE,
/// AUTOTIER_GRAPH_BASE_URL/AUTOTIER_GRAPH_AUTH, AUTOTIER_MAIL_FROM.
/// </summary>
public static class MailIntakeServices
{
    public static IServiceCollection AddMailIntake(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = AutotierSettings.From(configuration);
        var names = StorageNames.FromPrefix(settings.TablePrefix);
        string[] List(string key) => (configuration[key] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var mailbox = configuration["AUTOTIER_SUPPORT_MAILBOX"] is { Length: > 0 } m ? m : null;
        var graphSettings = new GraphMailSettings(List("AUTOTIER_GRAPH_CLIENT_STATE"), settings.PublicBaseUrl);
        services.AddSingleton(graphSettings);
        services.AddSingleton(new MailRouteSettings(List("AUTOTIER_MAIL_INTAKE_SECRETS"), graphSettings));
        services.AddSingleton(new MailIntakeSettings(
            [.. new[] { mailbox, configuration["AUTOTIER_MAIL_FROM"] ?? "DoNotReply@autotier.local" }.OfType<string>()]));

        var threadsTable = names.TablePrefix + "MailThreads";
        var reviewTable = names.TablePrefix + "Review";
        var graphTable = names.TablePrefix + "Graph";
        var sentMailTable = names.TablePrefix + "SentMail";
        var container = $"{names.TablePrefix.ToLowerInvariant()}-mail";
        services.AddSingleton(sp => new BlobMailStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(container)));
        services.AddSingleton<IMailStore>(sp => sp.GetRequiredService<BlobMailStore>());
        services.AddSingleton<IMailThreads>(sp => new TableMailThreads(AutotierServices.Table(sp, threadsTable)));
        // The Review table and its store are the webhooks' (AddWebhooks): one "needs a home" list for every channel.
        services.AddSingleton<IClientDomains>(sp => new TableClientDomains(AutotierServices.Table(sp, names.Clients), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IGraphSubscriptionStore>(sp => new TableGraphSubscriptionStore(AutotierServices.Table(sp, graphTable)));
        services.AddSingleton<IDeliveryLedger>(sp => new TableDeliveryLedger(AutotierServices.Table(sp, sentMailTable)));
        services.AddSingleton<IMailParser>(new MimeMailParser());
        services.AddSingleton<IMailInbox>(sp =>
        {
            var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
            foreach (var policy in sp.GetServices<StoragePipelinePolicy>())
                options.AddPolicy(policy.Policy, HttpPipelinePosition.PerCall);
            return new StorageMailInbox(settings.Storage.Queues(options).GetQueueClient($"{settings.IntakeQueue}-mail"));
        });
        // Graph: only with a support mailbox and a client state; messages are read from that mailbox alone.
        if (mailbox is not null && graphSettings.Configured)
        {
            var graph = new GraphSupportMailbox(AlertServices.GraphClient(configuration), mailbox);
            services.AddSingleton<IGraphMailbox>(graph);
        }
        services.AddSingleton(sp => new GraphSubscriptionKeeper(
            sp.GetService<IGraphMailbox>(), sp.GetRequiredService<IGraphSubscriptionStore>(), graphSettings, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<GraphNotifications>();
        services.AddSingleton<MailIntake>();
        services.AddSingleton<DeliveryReports>();
        services.AddHostedService(sp => new MailStorageSetup(
            sp.GetRequiredService<TableServiceClient>(), [threadsTable, reviewTable, graphTable, sentMailTable], sp.GetRequiredService<BlobMailStore>()));
        return services;
    }
}

/// <summary>Creates the mail intake's tables and container once at start.</summary>
internal sealed class MailStorageSetup(TableServiceClient tables, IReadOnlyList<string> names, BlobMailStore mail) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in names) await tables.CreateTableIfNotExistsAsync(name, cancellationToken);
        await mail.EnsureCreatedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
