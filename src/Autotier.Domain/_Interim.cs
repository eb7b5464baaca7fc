// INTERIM: stands in for the domain port being written on branch `domain`; deleted at its merge.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Autotier.Domain.Tickets
{
    public enum Stage
    {
        [JsonStringEnumMemberName("received")] Received,
        [JsonStringEnumMemberName("classified")] Classified,
        [JsonStringEnumMemberName("resolving")] Resolving,
        [JsonStringEnumMemberName("awaiting_confirmation")] AwaitingConfirmation,
        [JsonStringEnumMemberName("resolved")] Resolved,
        [JsonStringEnumMemberName("escalated")] Escalated,
        [JsonStringEnumMemberName("closed")] Closed,
    }

    public enum Channel
    {
        [JsonStringEnumMemberName("api")] Api,
        [JsonStringEnumMemberName("portal")] Portal,
        [JsonStringEnumMemberName("email")] Email,
        [JsonStringEnumMemberName("connectwise")] ConnectWise,
        [JsonStringEnumMemberName("autotask")] Autotask,
        [JsonStringEnumMemberName("halopsa")] HaloPsa,
        [JsonStringEnumMemberName("webhook")] Webhook,
    }

    public sealed record Requester(string? Name, string Email);

    public sealed record NewTicket(string ClientId, Requester Requester, string Subject, string Body, string? ExternalId, Channel Channel);

    public sealed record TimelineEntry(string Step, DateTimeOffset At, Stage? Stage, string Note);

    public sealed record Ticket(string TicketId, string ClientId, Requester Requester, string Subject, string Body, string? ExternalId, Channel Channel, Stage Stage, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    {
        public static Ticket Create(string ticketId, NewTicket input, DateTimeOffset now) =>
            new(ticketId, input.ClientId, input.Requester, input.Subject, input.Body, input.ExternalId, input.Channel, Stage.Received, now, now);
    }

    public static class TicketIds
    {
        public static bool IsTicketId(string value) => System.Text.RegularExpressions.Regex.IsMatch(value, "^T-[0-9]{1,12}$");
        public static string FromNumber(long n) => $"T-{1000 + n}";
        public static string OrchestrationInstanceId(string ticketId) => $"ticket-{ticketId}";
        public static string SubjectToken(string ticketId) => $"[#{ticketId}]";
    }
}

namespace Autotier.Domain.Intake
{
    using Autotier.Domain.Tickets;

    public sealed record ParseResult<T>(bool Ok, T? Value, string? Error);

    public static class NewTicketRequest
    {
        public const int MaxRequestBytes = 64 * 1024;
        public const int MaxBodyChars = 20_000;

        public static ParseResult<NewTicket> Parse(JsonElement json)
        {
            if (json.ValueKind != JsonValueKind.Object) return new(false, default, "request body must be a JSON object with clientId, requester, subject and body");
            string? S(JsonElement e, string n) => e.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var clientId = S(json, "clientId");
            if (clientId is null) return new(false, default, "clientId: is required");
            if (!json.TryGetProperty("requester", out var r) || r.ValueKind != JsonValueKind.Object) return new(false, default, "requester: is required");
            var email = S(r, "email");
            if (email is null || !email.Contains('@', StringComparison.Ordinal)) return new(false, default, "requester.email: must be an email address");
            var subject = S(json, "subject");
            if (string.IsNullOrWhiteSpace(subject)) return new(false, default, "subject: is required");
            var body = S(json, "body");
            if (body is null) return new(false, default, "body: is required");
            var ext = S(json, "externalId");
            return new(true, new NewTicket(clientId.Trim(), new Requester(S(r, "name"), email.ToLowerInvariant()), subject.Trim(), body, ext is null ? null : "api:" + ext, Channel.Api), null);
        }
    }
}

namespace Autotier.Domain.Mail
{
    using Autotier.Domain.Tickets;

    public sealed record MailMessage(string To, string Subject, string Text, string Html, string? ReplyTo = null);

    public static class Messages
    {
        public static MailMessage Acknowledgement(Ticket ticket) =>
            new(ticket.Requester.Email, $"[#{ticket.TicketId}] We've got your request: {ticket.Subject}", "interim", "<p>interim</p>");
    }

    public static class MailKeys
    {
        public static string For(string ticketId, string step) => $"{ticketId}:{step}";
    }
}
