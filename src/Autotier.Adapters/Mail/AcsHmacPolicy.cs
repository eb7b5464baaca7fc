using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Autotier.Adapters.Mail;

/// <summary>
/// Signs each request with an ACS access key: <c>x-ms-date</c>, <c>x-ms-content-sha256</c> and
/// <c>Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&amp;Signature=...</c>
/// over <c>VERB\npath?query\ndate;host;hash</c> (Microsoft Learn, "Sign an HTTP request", Communication
/// Services). Written by hand because Azure.Communication.Common, whose HMACAuthenticationPolicy does
/// this, is not on the package feed. Placed per retry: each try carries a fresh date.
/// </summary>
public sealed class AcsHmacPolicy(byte[] accessKey, TimeProvider time) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = message.Request;
        using var body = new MemoryStream();
        request.Content?.WriteTo(body, message.CancellationToken);
        var contentHash = Convert.ToBase64String(SHA256.HashData(body.ToArray()));
        var date = time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        var uri = request.Uri.ToUri();
        var signature = Sign(accessKey, request.Method.Method, uri.PathAndQuery, date, uri.Authority, contentHash);
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.SetValue("x-ms-content-sha256", contentHash);
        request.Headers.SetValue("Authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}");
    }

    /// <summary>The signature of one request; public so a fake service can check what it was sent.</summary>
    public static string Sign(byte[] accessKey, string method, string pathAndQuery, string date, string host, string contentHash)
    {
        var toSign = $"{method}\n{pathAndQuery}\n{date};{host};{contentHash}";
        return Convert.ToBase64String(HMACSHA256.HashData(accessKey, Encoding.UTF8.GetBytes(toSign)));
    }
}
