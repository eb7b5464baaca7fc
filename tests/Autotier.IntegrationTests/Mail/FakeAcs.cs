using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Autotier.Adapters.Mail;
using Autotier.IntegrationTests.Alerts;
using Microsoft.AspNetCore.Http;

namespace Autotier.IntegrationTests.Mail;

/// <summary>
/// A local server speaking ACS's Email REST API (2023-03-31): <c>POST /emails:send</c> answers 202
/// with an <c>Operation-Location</c>; <c>GET /emails/operations/{id}</c> reports the status. With an
/// access key it checks each request's HMAC signature as ACS does and answers 401 to a bad one.
/// </summary>
public sealed class FakeAcs
{
    public static readonly byte[] AccessKey = Encoding.UTF8.GetBytes("local-test-key-of-the-fake-acs");

    public int ThrottleFirst { get; set; }

    public int FailFirst { get; set; }

    public int RunningReads { get; set; }

    public string FinalStatus { get; set; } = "Succeeded";

    public bool RejectSend { get; set; }

    public List<string> SignatureProblems { get; } = [];

    public FakeHttpServer Server { get; private set; } = null!;

    public string ConnectionString => $"endpoint={Server.BaseAddress};accesskey={Convert.ToBase64String(AccessKey)}";

    public IEnumerable<ReceivedRequest> Sends => Server.Requests.Where(r => r.Method == "POST");

    public static async Task<FakeAcs> StartAsync(bool checkSignature = true)
    {
        var acs = new FakeAcs();
        acs.Server = await FakeHttpServer.StartAsync((request, context) => acs.HandleAsync(request, context, checkSignature));
        return acs;
    }

    private async Task HandleAsync(ReceivedRequest request, HttpContext context, bool checkSignature)
    {
        var response = context.Response;
        if (checkSignature && Verify(request) is { } problem)
        {
            lock (SignatureProblems) SignatureProblems.Add(problem);
            await Json(response, 401, new { error = new { code = "Denied", message = problem } });
            return;
        }
        if (request.Method == "POST" && request.PathAndQuery.StartsWith("/emails:send?", StringComparison.Ordinal))
        {
            if (ThrottleFirst > 0)
            {
                ThrottleFirst--;
                response.Headers["Retry-After"] = "1";
                await Json(response, 429, new { error = new { code = "TooManyRequests", message = "slow down" } });
                return;
            }
            if (FailFirst > 0)
            {
                FailFirst--;
                await Json(response, 500, new { error = new { code = "InternalServerError", message = "oops" } });
                return;
            }
            if (RejectSend)
            {
                await Json(response, 400, new { error = new { code = "BadRequest", message = "recipient someone@x.example rejected" } });
                return;
            }
            var id = request.Header("operation-id") ?? "generated";
            response.Headers["Operation-Location"] = $"{Server.BaseAddress}emails/operations/{id}?api-version=2023-03-31";
            response.Headers["Retry-After"] = "0";
            await Json(response, 202, new { id, status = "Running" });
            return;
        }
        if (request.Method == "GET" && request.PathAndQuery.StartsWith("/emails/operations/", StringComparison.Ordinal))
        {
            var id = request.PathAndQuery["/emails/operations/".Length..].Split('?')[0];
            response.Headers["Retry-After"] = "0";
            if (RunningReads > 0)
            {
                RunningReads--;
                await Json(response, 200, new { id, status = "Running" });
                return;
            }
            object body = FinalStatus == "Failed"
                ? new { id, status = FinalStatus, error = new { code = "EmailDroppedAllRecipientsSuppressed", message = "someone@x.example suppressed" } }
                : new { id, status = FinalStatus };
            await Json(response, 200, body);
            return;
        }
        response.StatusCode = 404;
    }

    /// <summary>What ACS checks: the content hash matches the body, and the signature matches the key.</summary>
    private static string? Verify(ReceivedRequest request)
    {
        var date = request.Header("x-ms-date");
        var hash = request.Header("x-ms-content-sha256");
        var authorization = request.Header("authorization");
        if (date is null || hash is null || authorization is null) return "missing x-ms-date, x-ms-content-sha256 or Authorization";
        if (hash != Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body)))) return "the content hash does not match the body";
        if (!DateTimeOffset.TryParse(date, out var at) || (DateTimeOffset.UtcNow - at).Duration() > TimeSpan.FromMinutes(15)) return "x-ms-date is not within 15 minutes";
        var expected = AcsHmacPolicy.Sign(AccessKey, request.Method, request.PathAndQuery, date, request.Header("host")!, hash);
        return authorization == $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={expected}" ? null : "the signature does not match";
    }

    private static async Task Json(HttpResponse response, int status, object body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
