using System.Security.Cryptography;
using System.Text;
using Autotier.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Autotier.Functions.Mail;

/// <summary>Reading raw bodies for the mail routes: bounded as the bytes arrive, refused early.</summary>
internal static class MailHttp
{
    /// <summary>
    /// Reads at most <paramref name="limit"/> bytes: a declared length over it is refused before
    /// anything is read, and the read stops one byte past it, so an oversized or lying body never
    /// fills memory.
    /// </summary>
    public static async Task<(byte[]? Bytes, IActionResult? Refusal)> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var tooLarge = HttpJson.Error(StatusCodes.Status413PayloadTooLarge, $"request body is larger than {limit} bytes");
        if (request.ContentLength > limit) return (null, tooLarge);
        using var buffer = new MemoryStream(request.ContentLength is { } n and > 0 ? (int)Math.Min(n, limit) : 64 * 1024);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit) return (null, tooLarge);
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    /// <summary>Basic credentials against the configured <c>user:password</c> pairs, in constant time per pair.</summary>
    public static bool VerifyBasic(string? authorization, IReadOnlyList<string> pairs)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        byte[] given;
        try
        {
            given = Convert.FromBase64String(authorization[6..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        var g = SHA256.HashData(given);
        var match = false;
        foreach (var pair in pairs)
            match |= CryptographicOperations.FixedTimeEquals(g, SHA256.HashData(Encoding.UTF8.GetBytes(pair)));
        return match;
    }

    /// <summary>503 with Retry-After: storage refused, nothing was taken, the sender should try again.</summary>
    public static IActionResult Unavailable(HttpRequest request)
    {
        request.HttpContext.Response.Headers.RetryAfter = "30";
        return HttpJson.Error(StatusCodes.Status503ServiceUnavailable, "storage is unavailable; nothing was taken, try again shortly");
    }
}
