using Autotier.Adapters;
using Autotier.Adapters.Webhooks;
using Autotier.Application.Webhooks;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Autotier.Functions.Composition;

/// <summary>
/// The webhooks (generic and the three PSAs), the intake queue they feed, and the Review table.
/// Settings as the TypeScript app: AUTOTIER_WEBHOOK_SECRETS, AUTOTIER_PSA_TYPE, AUTOTIER_PSA_BASE_URL,
/// AUTOTIER_PSA_WEBHOOK_SECRETS, AUTOTIER_PSA_MAPPING, and for ConnectWise's key fetch the API
/// credentials AUTOTIER_PSA_COMPANY_ID, AUTOTIER_PSA_USERNAME (public key), AUTOTIER_PSA_SECRET
/// (private key), AUTOTIER_PSA_CLIENT_ID.
/// </summary>
public static class WebhookServices
{
    /// <summary>The Review table's name: <c>&lt;prefix&gt;Review</c>, as the TypeScript app's.</summary>
    public static string ReviewTable(StorageNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.TablePrefix + "Review";
    }

    /// <summary>The claim-check container: <c>&lt;prefix in lower case&gt;-intake</c>, as the TypeScript app's.</summary>
    public static string IntakeContainer(StorageNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.TablePrefix.ToLowerInvariant() + "-intake";
    }

    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = WebhookSettings.From(k => configuration[k]);
        services.AddSingleton(settings);
        services.AddSingleton<IDeliveryIds>(sp => new TableDeliveryIds(AutotierServices.Table(sp, sp.GetRequiredService<StorageNames>().Tokens)));
        services.AddSingleton<IReviewStore>(sp => new TableReviewStore(AutotierServices.Table(sp, ReviewTable(sp.GetRequiredService<StorageNames>()))));
        services.AddSingleton(sp =>
        {
            var options = StorageDeliveryInbox.ClientOptions();
            foreach (var policy in sp.GetServices<StoragePipelinePolicy>())
                options.AddPolicy(policy.Policy, HttpPipelinePosition.PerCall);
            var app = sp.GetRequiredService<AutotierSettings>();
            return new StorageDeliveryInbox(
                app.Storage.Queues(options).GetQueueClient(app.IntakeQueue),
                sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(IntakeContainer(sp.GetRequiredService<StorageNames>())));
        });
        services.AddSingleton<IDeliveryInbox>(sp => sp.GetRequiredService<StorageDeliveryInbox>());
        // The PSA API client comes with the write-back port; until it is registered a delivery
        // must carry the whole ticket (ConnectWise's and Halo's usually do), else it goes to review.
        services.TryAddSingleton<IPsaTicketLookup, NoPsaTicketLookup>();
        services.TryAddSingleton<IConnectWiseKeySource>(_ => new ConnectWiseKeyClient(
            ConnectWiseKeyClient.CreateHttpClient(),
            configuration["AUTOTIER_PSA_COMPANY_ID"] ?? "",
            configuration["AUTOTIER_PSA_USERNAME"] ?? "",
            configuration["AUTOTIER_PSA_SECRET"] ?? "",
            configuration["AUTOTIER_PSA_CLIENT_ID"] ?? ""));
        services.AddSingleton<ConnectWiseKeyCache>();
        services.AddSingleton<WebhookIntake>();
        services.AddSingleton<DeliveryProcessor>();
        services.AddSingleton<ReviewItems>();
        services.AddHostedService<WebhookStorageSetup>();
        return services;
    }
}

/// <summary>Creates the Review table, the intake queue and its claim container once at start.</summary>
internal sealed class WebhookStorageSetup(TableServiceClient tables, StorageNames names, StorageDeliveryInbox inbox) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await tables.CreateTableIfNotExistsAsync(WebhookServices.ReviewTable(names), cancellationToken);
        await tables.CreateTableIfNotExistsAsync(names.Tokens, cancellationToken);
        await inbox.EnsureCreatedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
