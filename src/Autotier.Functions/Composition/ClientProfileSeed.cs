using Autotier.Application.Clients;
using Autotier.Application.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Autotier.Functions.Composition;

/// <summary>
/// Writes the deployment's client profile (<c>AUTOTIER_CLIENT_PROFILE</c>; registered only when it is set) to the Clients table once
/// the tables exist (registered after <see cref="StorageSetup"/>; hosted services start in order).
/// A refused profile is logged as an error and not written: the app still starts, so the health
/// check and the logs say what is wrong, and the client keeps the profile it had. The unit test
/// over infra/clients/*.profile.json refuses such a file before it is ever deployed.
/// </summary>
internal sealed partial class ClientProfileSeed(IClientStore clients, string profileJson, ILogger<ClientProfileSeed> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        switch (await DeployedProfile.ApplyAsync(clients, profileJson, cancellationToken))
        {
            case SettingChange.Refused refused:
                LogRefused(logger, refused.Error);
                break;
            case SettingChange.Done done:
                LogApplied(logger, done.Profile.ClientId, done.Changed);
                break;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "autotier.clientProfileRefused: the deployment's client profile was not written: {Error}")]
    private static partial void LogRefused(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "client profile of {ClientId} from the deployment (changed: {Changed})")]
    private static partial void LogApplied(ILogger logger, string clientId, bool changed);
}
