using System.Text.Json;
using System.Text.Json.Serialization;

namespace Autotier.Application.Json;

/// <summary>
/// The one set of JSON options: the Functions worker's serializer, the Durable data converter (on
/// Azure and in the local host) and the HTTP API all use it, so an orchestration input written by
/// one host reads the same in the other.
/// </summary>
public static class AutotierJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Applies the app's settings to options a framework owns (ASP.NET Core's MVC JSON options).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // JSON bodies are written as JSON.stringify writes them ("We've", "<p>"): outside tests and
        // PSAs compare them. Nothing here is embedded in HTML; the pages encode what they show.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        // Enums travel as their wire names (snake_case stages), never as numbers.
        options.Converters.Add(new JsonStringEnumConverter());
    }
}
