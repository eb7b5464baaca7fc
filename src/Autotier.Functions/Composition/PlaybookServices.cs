using Autotier.Adapters;
using Autotier.Adapters.Graph;
using Autotier.Adapters.Tables;
using Autotier.Application.Kb;
using Autotier.Application.Playbooks;
using Autotier.Application.Ports;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Autotier.Functions.Composition;

/// <summary>
/// The playbooks that act: each client's Microsoft Graph directory (from its profile's connection),
/// the audit log of what they did (<c>&lt;prefix&gt;Audit</c>) and <see cref="IPlaybooks"/>. Called once
/// after <see cref="AutotierServices.AddAutotier"/>, whose storage, knowledge base and mail it uses.
/// </summary>
public static class PlaybookServices
{
    public static IServiceCollection AddPlaybooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(sp => new TableActionLog(sp.GetRequiredService<TableServiceClient>()
            .GetTableClient(TableActionLog.TableName(sp.GetRequiredService<StorageNames>()))));
        services.AddSingleton<IActionLog>(sp => sp.GetRequiredService<TableActionLog>());
        // Secrets and AZURE_CLIENT_ID are app settings (a Key Vault reference for the secret).
        services.AddSingleton<IDirectories>(_ => new GraphDirectories(name => configuration[name]));
        services.AddSingleton<IPlaybooks>(sp => new PlaybookRunner(
            sp.GetRequiredService<IDirectories>(), sp.GetRequiredService<KnowledgeBase>(),
            sp.GetRequiredService<IActionLog>(), sp.GetRequiredService<IEmailSender>()));
        services.AddHostedService<AuditTableSetup>();
        return services;
    }
}

/// <summary>Creates the audit table once at start, so no playbook pays for a "create if missing".</summary>
internal sealed class AuditTableSetup(TableActionLog log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => log.EnsureCreatedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
