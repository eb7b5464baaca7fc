using System.Text.Json;
using Autotier.Application.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Autotier.Functions.Http;

/// <summary>JSON in and out of HTTP functions, as the TypeScript app answered: <c>{error}</c> on every refusal.</summary>
public static class HttpJson
{
    public static IActionResult Error(int status, string error) => Json(status, new ErrorBody(error));

    public static IActionResult Json(int status, object body) => new ContentResult
    {
        StatusCode = status,
        ContentType = "application/json; charset=utf-8",
        // Serialized here with the app's one set of options, so the Functions host and the local
        // host write byte-identical bodies whatever MVC formatters each registers.
        Content = JsonSerializer.Serialize(body, body.GetType(), AutotierJson.Options),
    };

    /// <summary>
    /// The body's bytes, at most <paramref name="limit"/>; null when it is larger. The declared
    /// length is checked before anything is read, and the read stops one byte past the limit.
    /// </summary>
    public static async Task<ArraySegment<byte>?> ReadBytesAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > limit) return null;
        var buffer = new byte[limit + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0) total += read;
        return total > limit ? (ArraySegment<byte>?)null : new ArraySegment<byte>(buffer, 0, total);
    }

    /// <summary>
    /// Reads a JSON body of at most <paramref name="limit"/> bytes. The declared length is checked
    /// before anything is read, and the read stops one byte past the limit, so an oversized or
    /// lying body never fills memory.
    /// </summary>
    public static async Task<BodyRead> ReadJsonAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A body declared as something else (a form, a raw mail, text) is refused before it is read
        // (issue #33 fix 6): the caller learns at once, rather than from a ticket that never appears.
        // A body with no content type at all is read as JSON, as the TypeScript API did.
        if (!string.IsNullOrEmpty(request.ContentType) && !IsJson(request.ContentType))
            return new BodyRead(null, Error(StatusCodes.Status415UnsupportedMediaType, "request body must be JSON: send it with content-type: application/json"));
        var body = await ReadBytesAsync(request, limit, cancellationToken);
        if (body is not { } bytes) return new BodyRead(null, Error(StatusCodes.Status413PayloadTooLarge, $"request body is larger than {limit} bytes"));
        var (buffer, total) = (bytes.Array!, bytes.Count);
        if (total == 0) return new BodyRead(null, Error(StatusCodes.Status400BadRequest, "request body is empty; send a JSON object"));
        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, total));
            return new BodyRead(document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return new BodyRead(null, Error(StatusCodes.Status400BadRequest, "request body is not valid JSON"));
        }
    }

    /// <summary><c>application/json</c> or a <c>+json</c> type (<c>application/merge-patch+json</c>), any parameters.</summary>
    private static bool IsJson(string contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Value is { } type
        && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}

public sealed record ErrorBody(string Error);

/// <summary>Either the parsed JSON or the response that refuses it.</summary>
public sealed record BodyRead(JsonElement? Json, IActionResult? Refusal);
