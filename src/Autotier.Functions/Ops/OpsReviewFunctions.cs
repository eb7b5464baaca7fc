using Autotier.Application.Lifecycle;
using Autotier.Application.Webhooks;
using Autotier.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using static Autotier.Functions.Ops.OpsPages;

namespace Autotier.Functions.Ops;

/// <summary>
/// "Needs a home" (issues #33 fix 7 and #34 fix 3): <c>GET /api/ops/review</c> lists the deliveries no
/// client could be found for (a webhook for an unmapped company, a mail from an unknown domain),
/// what came, from where and why; <c>POST /api/ops/review/{id}</c> assigns one to a client (it is
/// filed exactly as if it had been placed: the same <see cref="ReviewItems"/> as
/// <c>autotier review assign</c>) or discards it. Under the ops pages' access rule and an
/// anti-forgery token, as the ticket page's actions.
/// </summary>
public sealed class OpsReviewFunctions(ReviewItems items, OpsAccessSettings access, Func<LinkSettings> links, TimeProvider time)
{
    /// <summary>The forms' token names this page, not a ticket.</summary>
    public const string Subject = "review";

    private const int Preview = 300;
    private const int MaxFormBytes = 4 * 1024;

    [Function("opsReview")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/review")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var (caller, refusal) = OpsAccess.Check(request, access, now);
        if (refusal is not null) return refusal;
        var waiting = await items.ListAsync(cancellationToken);
        var token = OpsForms.Token(Subject, caller!, links().SigningKey, now);
        var key = caller!.KeyQuery;
        var rows = waiting.Select(i => (IReadOnlyList<string>)
        [
            $"<code>{E(i.Id)}</code>",
            E(i.ReceivedAt),
            E(i.Source),
            E(i.Reason),
            $"<pre class=\"raw\">{E(i.Raw.Length > Preview ? i.Raw[..Preview] + "…" : i.Raw)}</pre>",
            Actions(i, token, caller, key),
        ]);
        var body = Header(now, $"<p><a href=\"../ops{key}\">Back to the ticket list</a></p>")
            + "<main id=\"main\"><h1>Needs a home</h1><section class=\"card\">"
            + "<p>Deliveries autotier could not place with a client: a webhook for a company mapped to no client, a mail from a domain no client has. "
            + "Assign one to a client to file it as if it had been placed, or discard it.</p>"
            + Table($"Waiting ({waiting.Count})", ["Item", "Received", "From", "Why", "What came", "Action"], rows, "Nothing waits for a home.")
            + "</section></main>";
        return HtmlPage.Render(request.HttpContext.Response, 200, "autotier ops: needs a home", body, Style);
    }

    private static string Actions(ReviewItem item, string token, OpsCaller caller, string key)
    {
        var id = E(item.Id);
        var who = caller.Who == "ops key"
            ? $"<label for=\"by-{id}\">Your name</label><input id=\"by-{id}\" name=\"by\" required maxlength=\"100\">"
            : "";
        return $"<form method=\"post\" action=\"review/{Uri.EscapeDataString(item.Id)}{key}\"><input type=\"hidden\" name=\"token\" value=\"{E(token)}\">{who}"
            + $"<label for=\"client-{id}\">Client id</label><input id=\"client-{id}\" name=\"client\" maxlength=\"64\">"
            + "<button type=\"submit\" name=\"action\" value=\"assign\">Assign and file</button> "
            + "<button type=\"submit\" name=\"action\" value=\"discard\" class=\"secondary\">Discard</button></form>";
    }

    [Function("opsReviewAction")]
    public async Task<IActionResult> Act(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/review/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var (caller, refusal) = OpsAccess.Check(request, access, now);
        if (refusal is not null) return refusal;
        var form = await FormAsync(request, MaxFormBytes, cancellationToken);
        if (form is null) return Refuse(request, 413, "That is too long", $"the form is larger than {MaxFormBytes} bytes or not UTF-8", now);
        string? Field(string name) => form.TryGetValue(name, out var v) && v.Count == 1 && v[0] is { Length: > 0 } s ? s.Trim() : null;
        if (OpsForms.Problem(Field("token"), Subject, caller!, links().SigningKey, now) is { } forged)
            return Refuse(request, 403, "That form has expired", forged, now);
        if (caller!.Who == "ops key" && Field("by") is null)
            return Refuse(request, 400, "Say who you are", "by: your name is needed", now);
        var result = Field("action") switch
        {
            "assign" when Field("client") is { } client => await items.AssignAsync(id, client, cancellationToken),
            "assign" => new ReviewAction.Refused("client: say which client to file it for"),
            "discard" => await items.DiscardAsync(id, cancellationToken),
            _ => new ReviewAction.Refused("action: must be assign or discard"),
        };
        switch (result)
        {
            case ReviewAction.Done:
                return SeeOther(request, $"../review{caller.KeyQuery}");
            case ReviewAction.NotFound missing:
                return Refuse(request, 404, "Not there any more", missing.Error, now, ("../review", "Back to needs a home"));
            case ReviewAction.Refused refused:
                return Refuse(request, 400, "That did not work", refused.Error, now, ("../review", "Back to needs a home"));
            default:
                throw new InvalidOperationException("unknown review result");
        }
    }
}
