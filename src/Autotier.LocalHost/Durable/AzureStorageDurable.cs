using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace Autotier.LocalHost.Durable;

/// <summary>
/// The Durable Task Framework's Azure Storage provider, set up as the Durable extension sets it up
/// on Azure (task hub from host.json, four partitions, table partition management), but without
/// the app lease (one local process owns the hub). <paramref name="policy"/>, when given, sees
/// every storage request the provider makes (the request counter).
/// </summary>
public static class AzureStorageDurable
{
    public static AzureStorageOrchestrationService Create(
        string connectionString, DurableHostOptions options, ILoggerFactory loggerFactory, string workerId, HttpPipelinePolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var blobOptions = new BlobClientOptions();
        var queueOptions = new QueueClientOptions();
        var tableOptions = new TableClientOptions();
        if (policy is not null)
        {
            blobOptions.AddPolicy(policy, Azure.Core.HttpPipelinePosition.PerCall);
            queueOptions.AddPolicy(policy, Azure.Core.HttpPipelinePosition.PerCall);
            tableOptions.AddPolicy(policy, Azure.Core.HttpPipelinePosition.PerCall);
        }
        var clients = new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(connectionString, blobOptions),
            StorageServiceClientProvider.ForQueue(connectionString, queueOptions),
            StorageServiceClientProvider.ForTable(connectionString, tableOptions));
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.HubName,
            StorageAccountClientProvider = clients,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            UseAppLease = false,
            // As the Durable extension answers by default (overridableExistingInstanceStates:
            // NonRunningStates): starting an instance id that is pending or running is refused.
            ThrowExceptionOnInvalidDedupeStatus = true,
            WorkerId = workerId,
            LoggerFactory = loggerFactory,
        };
        // A message a worker took and then died with comes back after these (5 minutes by default,
        // as on Azure): crash recovery is never faster here than there unless host.json says so.
        if (options.ControlQueueVisibilityTimeout is { } control) settings.ControlQueueVisibilityTimeout = control;
        if (options.WorkItemQueueVisibilityTimeout is { } workItems) settings.WorkItemQueueVisibilityTimeout = workItems;
        return new AzureStorageOrchestrationService(settings);
    }
}
