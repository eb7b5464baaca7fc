using Autotier.Application.Assistant;
using Autotier.Application.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Autotier.Adapters.Assistant;

/// <summary>The assistant the settings describe: <see cref="NullAssistant"/> unless the endpoint and the deployment are set.</summary>
public static class AzureOpenAiAssistant
{
    public static IAssistant From(IConfiguration configuration, IAssistantUsage usage, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var settings = AzureOpenAiSettings.From(configuration);
        return settings is null
            ? NullAssistant.Instance
            : new GuardedAssistant(
                new AzureOpenAiChat(settings, time: time),
                usage,
                new AssistantLimits(settings.DailyTokens),
                time,
                loggers.CreateLogger<GuardedAssistant>());
    }
}
