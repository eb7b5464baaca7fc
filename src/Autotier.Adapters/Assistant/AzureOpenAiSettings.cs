using Azure.AI.OpenAI;
using Microsoft.Extensions.Configuration;

namespace Autotier.Adapters.Assistant;

/// <summary>
/// The assistant's settings, with the TypeScript app's names and defaults (src/config.ts): on only
/// when AUTOTIER_OPENAI_ENDPOINT and AUTOTIER_OPENAI_DEPLOYMENT are both set.
/// </summary>
/// <param name="Endpoint">The resource, e.g. https://&lt;name&gt;.openai.azure.com.</param>
/// <param name="Deployment">The chat model deployment (a chat model answering JSON objects, such as gpt-4o-mini).</param>
/// <param name="ApiVersion">AUTOTIER_OPENAI_API_VERSION, default 2024-10-21.</param>
/// <param name="ApiKey">Local runs only; in Azure unset, and the app signs in with its managed identity.</param>
/// <param name="DailyTokens">AUTOTIER_OPENAI_DAILY_TOKENS, default 200000 per client and UTC day.</param>
/// <param name="Timeout">AUTOTIER_OPENAI_TIMEOUT_MS, default 5000, per request.</param>
/// <param name="ManagedIdentityClientId">AZURE_CLIENT_ID: a user-assigned identity, when the app has one.</param>
public sealed record AzureOpenAiSettings(
    Uri Endpoint, string Deployment, string ApiVersion, string? ApiKey, long DailyTokens, TimeSpan Timeout, string? ManagedIdentityClientId = null)
{
    public const string DefaultApiVersion = "2024-10-21";

    /// <summary>The settings, or null when the assistant is off; a clear error for a setting that is set wrong.</summary>
    public static AzureOpenAiSettings? From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoint = configuration["AUTOTIER_OPENAI_ENDPOINT"]?.Trim();
        var deployment = configuration["AUTOTIER_OPENAI_DEPLOYMENT"]?.Trim();
        if (string.IsNullOrEmpty(endpoint) || string.IsNullOrEmpty(deployment)) return null;
        if (!Uri.TryCreate(endpoint.TrimEnd('/'), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new InvalidOperationException("AUTOTIER_OPENAI_ENDPOINT must be the resource URL, e.g. https://<name>.openai.azure.com");
        var apiVersion = configuration["AUTOTIER_OPENAI_API_VERSION"]?.Trim() is { Length: > 0 } v ? v : DefaultApiVersion;
        _ = ServiceVersionOf(apiVersion);
        var key = configuration["AUTOTIER_OPENAI_API_KEY"];
        return new AzureOpenAiSettings(
            uri,
            deployment,
            apiVersion,
            string.IsNullOrEmpty(key) ? null : key,
            Positive(configuration, "AUTOTIER_OPENAI_DAILY_TOKENS", 200_000),
            TimeSpan.FromMilliseconds(Positive(configuration, "AUTOTIER_OPENAI_TIMEOUT_MS", 5_000)),
            configuration["AZURE_CLIENT_ID"] is { Length: > 0 } clientId ? clientId : null);
    }

    /// <summary>The data-plane versions Azure.AI.OpenAI 2.1.0 can speak; another is a setting error, not a silent substitute.</summary>
    public static AzureOpenAIClientOptions.ServiceVersion ServiceVersionOf(string apiVersion) => apiVersion switch
    {
        "2024-10-21" => AzureOpenAIClientOptions.ServiceVersion.V2024_10_21,
        "2024-06-01" => AzureOpenAIClientOptions.ServiceVersion.V2024_06_01,
        _ => throw new InvalidOperationException(
            $"AUTOTIER_OPENAI_API_VERSION must be 2024-10-21 or 2024-06-01 (the versions Azure.AI.OpenAI 2.1.0 speaks), not '{apiVersion}'"),
    };

    private static long Positive(IConfiguration configuration, string name, long fallback)
    {
        var raw = configuration[name]?.Trim();
        if (string.IsNullOrEmpty(raw)) return fallback;
        return long.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new InvalidOperationException($"{name} must be a positive whole number, not '{raw}'");
    }
}
