using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.Domain.Text;
using Autotier.Domain.Tickets;

namespace Autotier.Domain.Intake;

/// <summary>
/// The body of POST /api/tickets, checked as the TypeScript zod schema checks it and answered with
/// the same error texts. Zod checks the fields in schema order (clientId, requester.name,
/// requester.email, subject, body, externalId), runs each field's checks in order, and reports
/// unknown top-level keys only after every field passed; the first issue is the one reported.
/// </summary>
public static partial class NewTicketRequest
{
    /// <summary>Largest request body POST /api/tickets accepts; larger requests get 413.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>Longest ticket body in characters (Table Storage keeps a string property under 32K UTF-16 units).</summary>
    public const int MaxBodyChars = 20_000;

    private const int MaxSubjectChars = 300;
    private const int MaxNameChars = 200;
    private const int MaxExternalIdChars = 100;
    private const int MaxEmailChars = 254;

    private const string NotAnObject = "request body must be a JSON object with clientId, requester, subject and body";

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "clientId", "requester", "subject", "body", "externalId",
    };

    // The patterns are the TS ones with JavaScript's meaning kept: \z for $ (.NET's $ allows a final
    // newline), the JS white-space set for \s, and both cases spelled out for /i so that .NET's wider
    // case folding (the Kelvin sign as k) does not widen them.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ClientIdPattern { get; }

    [GeneratedRegex(@"^[A-Za-z0-9._:@-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdLikePattern { get; }

    [GeneratedRegex("<[" + JsText.WhiteSpaceClass + "]*/?[" + JsText.WhiteSpaceClass + "]*[a-zA-Z!][^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex HtmlTag { get; }

    /// <summary>Zod v4's default <c>z.email()</c> pattern (zod/v4/core/regexes.js, zod 4.6.7).</summary>
    [GeneratedRegex(@"^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}\z", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern { get; }

    /// <summary>An address as intake accepts it (zod's <c>z.email()</c>, at most 254 characters): one rule for every field that names a person.</summary>
    public static bool IsEmailAddress(string text) =>
        text is not null && text.Length <= MaxEmailChars && EmailPattern.IsMatch(text);

    /// <summary>
    /// A new API ticket from a parsed request body: fields trimmed, the email lower case, the
    /// caller's externalId in the API's namespace, the channel api. Or the first thing wrong with it,
    /// e.g. <c>requester.email: must be an email address</c>.
    /// </summary>
    /// Unknown fields inside <c>requester</c> (<c>role</c>, <c>__proto__</c>) are refused as unknown
    /// top-level ones are (issue #33 fix 6: the TypeScript API dropped them silently, so a caller's
    /// typo or a probe went unnoticed).
    public static ParseResult<NewTicket> Parse(JsonElement json) => Parse(json, null);

    /// <summary>
    /// The same rules with the variations of other channels: <paramref name="extraFields"/>
    /// checks a channel's own top-level fields (after the ticket's, before unknown ones, as zod's
    /// <c>extend</c>) and names them known. The ticket keeps the caller's raw externalId (no namespace).
    /// </summary>
    internal static ParseResult<NewTicket> Parse(JsonElement json, Func<JsJson, string?>? extraFields, IReadOnlySet<string>? extraKnown = null)
    {
        if (json.ValueKind != JsonValueKind.Object) return Fail(NotAnObject);
        var fields = JsJson.ReadObject(json);

        if (RequiredString(fields, "clientId", "clientId", out var clientId) is { } clientIdError) return Fail(clientIdError);
        clientId = JsText.Trim(clientId);
        if (!ClientIdPattern.IsMatch(clientId)) return Fail("clientId: must be 1-63 lowercase letters, digits or hyphens");

        if (!fields.TryGet("requester", out var requesterJson)) return Fail("requester: is required");
        // Zod's own wording ("a object") is kept: callers and tests already match on these texts.
        if (requesterJson.ValueKind != JsonValueKind.Object) return Fail("requester: must be a object");
        var requester = JsJson.ReadObject(requesterJson);

        string? name = null;
        if (requester.TryGet("name", out var nameJson))
        {
            if (nameJson.ValueKind != JsonValueKind.String) return Fail("requester.name: must be a string");
            name = JsText.Trim(JsJson.ReadString(nameJson));
            if (PlainTextIssue(name, MaxNameChars) is { } nameError) return Fail("requester.name: " + nameError);
        }

        // A missing email reads "must be a string", not "is required": the schema's custom message
        // replaces zod's "received undefined" text that describeIssue looks for. Kept as the TS answers.
        if (!requester.TryGet("email", out var emailJson) || emailJson.ValueKind != JsonValueKind.String)
            return Fail("requester.email: must be a string");
        var email = JsJson.ReadString(emailJson); // z.email() does not trim
        // Length first (zod checks it second), as both give the same message and it spares the pattern a long input.
        if (email.Length > MaxEmailChars || !EmailPattern.IsMatch(email)) return Fail("requester.email: must be an email address");
        if (requester.Keys.Where(k => k is not ("name" or "email")).ToList() is { Count: > 0 } unknownInRequester)
            return Fail("unknown field: " + string.Join(", ", unknownInRequester.Select(k => "requester." + k)));

        if (RequiredString(fields, "subject", "subject", out var subject) is { } subjectTypeError) return Fail(subjectTypeError);
        subject = JsText.Trim(subject);
        if (PlainTextIssue(subject, MaxSubjectChars) is { } subjectError) return Fail("subject: " + subjectError);

        if (RequiredString(fields, "body", "body", out var body) is { } bodyTypeError) return Fail(bodyTypeError);
        if (body.Length > MaxBodyChars) return Fail(FormattableString.Invariant($"body: must be at most {MaxBodyChars} characters"));

        string? externalId = null;
        if (fields.TryGet("externalId", out var externalIdJson))
        {
            if (externalIdJson.ValueKind != JsonValueKind.String) return Fail("externalId: must be a string");
            externalId = JsText.Trim(JsJson.ReadString(externalIdJson));
            if (IdLikeIssue(externalId) is { } externalIdError) return Fail("externalId: " + externalIdError);
        }

        if (extraFields?.Invoke(fields) is { } extraError) return Fail(extraError);
        var unknown = fields.Keys.Where(k => !KnownFields.Contains(k) && extraKnown?.Contains(k) != true).ToList();
        if (unknown.Count > 0) return Fail("unknown field: " + string.Join(", ", unknown));

        return ParseResult<NewTicket>.Success(new NewTicket(
            clientId,
            // The pattern admits ASCII only, so the invariant lower case is JavaScript's toLowerCase.
            new Requester(name, email.ToLowerInvariant()),
            subject,
            body,
            // The caller's idempotency key, in the API's own namespace: it can never name a ticket that
            // came from a PSA or a mail (whose write-backs it could otherwise aim at).
            externalId is null ? null : "api:" + externalId,
            Channel.Api));
    }

    private static ParseResult<NewTicket> Fail(string error) => ParseResult<NewTicket>.Failure(error);

    /// <summary>The type check zod makes first: absent is "is required", anything but a string (null too) "must be a string".</summary>
    private static string? RequiredString(JsJson fields, string key, string path, out string value)
    {
        value = "";
        if (!fields.TryGet(key, out var element)) return path + ": is required";
        if (element.ValueKind != JsonValueKind.String) return path + ": must be a string";
        value = JsJson.ReadString(element);
        return null;
    }

    /// <summary>The checks of the TS plainText(max), in its order, on text already trimmed.</summary>
    private static string? PlainTextIssue(string text, int max)
    {
        if (text.Length < 1) return "must not be empty";
        if (text.Length > max) return FormattableString.Invariant($"must be at most {max} characters");
        if (HtmlTag.IsMatch(text)) return "must be plain text (HTML tags are not allowed)";
        if (TextRules.UnsafeInOneLine.IsMatch(text))
            return "must be one line of text (no line breaks, control characters or direction overrides)";
        return null;
    }

    /// <summary>The checks of the TS idLike, in its order, on text already trimmed.</summary>
    private static string? IdLikeIssue(string id)
    {
        if (id.Length < 1) return "must not be empty";
        if (id.Length > MaxExternalIdChars) return FormattableString.Invariant($"must be at most {MaxExternalIdChars} characters");
        if (!IdLikePattern.IsMatch(id)) return "may contain only letters, digits and . _ : @ -";
        return null;
    }
}
