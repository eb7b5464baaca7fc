// TEMPORARY: the helpers' contracts, stubbed so the lifecycle branch compiles before their merge. Deleted at merge.
#pragma warning disable CA1822, CA1002, CA2227, CS1591, CA1034, CA1062
using Autotier.Domain.Classification;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;

namespace Autotier.Domain.Lifecycle
{
    public sealed record BusinessHours(string TimeZone, IReadOnlyList<int> Days, string Start, string End)
    {
        public static BusinessHours AroundTheClock { get; } = new("UTC", [1, 2, 3, 4, 5, 6, 7], "00:00", "24:00");
        public static BusinessHours Default { get; } = new("UTC", [1, 2, 3, 4, 5], "08:00", "18:00");
    }

    public static class BusinessTime
    {
        public static DateTimeOffset Add(DateTimeOffset from, TimeSpan businessTime, BusinessHours hours) => from + businessTime;
        public static TimeSpan Between(DateTimeOffset from, DateTimeOffset to, BusinessHours hours) => to - from;
        public static bool IsOpen(DateTimeOffset t, BusinessHours hours) => true;
        public static DateTimeOffset NextOpen(DateTimeOffset t, BusinessHours hours) => t;
    }

    public static class SlaPolicies
    {
        public const double WarningFraction = 0.75;
        public static TimeSpan Response(string tier) => TimeSpan.FromMinutes(60);
        public static TimeSpan Resolution(string tier) => TimeSpan.FromMinutes(240);
    }

    public sealed record SlaClock(TimeSpan Budget, TimeSpan Used, DateTimeOffset? RunningSince, bool Warned, bool Breached)
    {
        public static SlaClock Start(string tier, DateTimeOffset at, TimeSpan? budget = null) => new(budget ?? SlaPolicies.Resolution(tier), TimeSpan.Zero, at, false, false);
        public SlaClock Pause(DateTimeOffset at, BusinessHours hours) => RunningSince is { } s ? this with { Used = Used + (at - s), RunningSince = null } : this;
        public SlaClock Resume(DateTimeOffset at) => RunningSince is null ? this with { RunningSince = at } : this;
        public DateTimeOffset? Reaches(double fraction, BusinessHours hours) => RunningSince is { } s ? s + (Budget * fraction - Used) : null;
    }

    public sealed record SlaView(string Tier, DateTimeOffset ResponseDue, DateTimeOffset? RespondedAt, DateTimeOffset? ResolutionDue, bool? AroundTheClock, bool Paused, bool Warned, bool Breached)
    {
        public static SlaView Of(string tier, DateTimeOffset receivedAt, SlaClock clock, BusinessHours hours, P1Settings? aroundTheClock, DateTimeOffset? personRespondedAt) =>
            new(tier, receivedAt + (aroundTheClock is null ? SlaPolicies.Response(tier) : TimeSpan.FromMinutes(aroundTheClock.ResponseMinutes)), personRespondedAt, clock.Reaches(1, hours), aroundTheClock is null ? null : true, clock.RunningSince is null, clock.Warned, clock.Breached);
    }

    public sealed record P1Settings(int ResponseMinutes = 15, int ResolutionMinutes = 240, int RepageMinutes = 15, int MaxPages = 8)
    {
        public P1Settings Sanitised() => this;
    }

    public static class AroundTheClockRule
    {
        public static bool Applies(TicketClassification c) => c.Priority == "P1" || c.Reasons.Any(r => r.Contains("security incident", StringComparison.Ordinal));
    }

    public enum SilencePolicy { Escalate, Close }

    public sealed record LifecycleSettings
    {
        public IReadOnlyDictionary<int, int> TierLimitMinutes { get; init; } = new Dictionary<int, int> { [1] = 30, [2] = 60, [3] = 120 };
        public int ReminderAfterHours { get; init; } = 24;
        public int SilenceAfterHours { get; init; } = 24;
        public int ReopenWindowDays { get; init; } = 7;
        public IReadOnlyDictionary<string, SilencePolicy> OnSilence { get; init; } = new Dictionary<string, SilencePolicy>();
        public int MaxTier { get; init; } = 3;
        public SilencePolicy SilenceFor(string category) => OnSilence.TryGetValue(category, out var p) ? p : category is "password_reset" or "software_access" or "engineering" ? SilencePolicy.Escalate : SilencePolicy.Close;
        public TimeSpan TierLimit(int tier) => TimeSpan.FromMinutes(TierLimitMinutes[Math.Clamp(tier, 1, 3)]);
        public static LifecycleSettings For(LifecycleSettings? overrides) => overrides ?? new();
    }

    public enum StageStep { Acknowledged, Classified, Resolving, GuideSent, Resolved, ClosedUnconfirmed, Escalated, Reopened, ReopenWindowPassed }

    public static class StageMoves
    {
        public static Stage After(Stage current, StageStep step) => step switch
        {
            StageStep.Acknowledged => Stage.Received,
            StageStep.Classified => Stage.Classified,
            StageStep.Resolving => Stage.Resolving,
            StageStep.GuideSent => Stage.AwaitingConfirmation,
            StageStep.Resolved => Stage.Resolved,
            StageStep.ClosedUnconfirmed => Stage.Closed,
            StageStep.Escalated or StageStep.Reopened => Stage.Escalated,
            _ => current == Stage.Resolved ? Stage.Closed : current,
        };
        public static bool Allowed(Stage from, Stage to) => true;
    }
}

namespace Autotier.Domain.Replies
{
    public enum ReplyMeaning { Yes, No, Unclear, WrongGuide }
    public sealed record ReplyReading(ReplyMeaning Meaning, string? Device);
    public static class ReplyReader
    {
        public static ReplyReading Read(string text) => new(text.Contains("yes", StringComparison.OrdinalIgnoreCase) ? ReplyMeaning.Yes : ReplyMeaning.No, null);
    }
}

namespace Autotier.Domain.Mail
{
    public sealed record ConfirmLinks(string Yes, string No);
    public sealed record EscalationPromise(DateTimeOffset? ResponseDue, DateTimeOffset? ResolutionDue, bool PersonResponded, string TimeZone);
    public static class LifecycleMessages
    {
        private static MailMessage M(Ticket t, string s, string text) => new(t.Requester.Email, $"[#{t.TicketId}] {s}", text, text);
        public static MailMessage Guide(Ticket t, string title, IReadOnlyList<string> steps, ConfirmLinks links) => M(t, title, string.Join("\n", steps) + "\n" + links.Yes + "\n" + links.No);
        public static MailMessage Reminder(Ticket t, string title, ConfirmLinks links) => M(t, "Reminder: " + title, links.Yes + "\n" + links.No);
        public static MailMessage Resolved(Ticket t, string summary, IReadOnlyList<string>? rating) => M(t, "Resolved", summary);
        public static MailMessage Escalated(Ticket t, EscalationPromise promise, string? told) => M(t, "An engineer is on it", (promise.PersonResponded ? promise.ResolutionDue : promise.ResponseDue)?.ToString("O") ?? "");
        public static MailMessage HandedUp(Ticket t) => M(t, "handed up", "");
        public static MailMessage Plan(Ticket t, string? publicNote) => M(t, "plan", publicNote ?? "");
        public static MailMessage ResolvedByEngineer(Ticket t, string? publicNote, IReadOnlyList<string>? rating) => M(t, "fixed", publicNote ?? "");
        public static MailMessage Clarify(Ticket t, string title, ConfirmLinks links) => M(t, "clarify", title);
        public static MailMessage ClarifyUncertain(Ticket t, string question) => M(t, "question", question);
        public static MailMessage ClarifyAfterClose(Ticket t) => M(t, "clarify after close", "");
        public static MailMessage ClosedUnconfirmed(Ticket t, IReadOnlyList<string>? rating) => M(t, "closed", "");
        public static MailMessage Reopened(Ticket t) => M(t, "reopened", "");
    }
}

namespace Autotier.Domain.Clients
{
    public static class ZzClientProfileStub
    {
        extension(ClientProfile p)
        {
            public Autotier.Domain.Lifecycle.BusinessHours BusinessHours => Autotier.Domain.Lifecycle.BusinessHours.Default;
            public Autotier.Domain.Lifecycle.LifecycleSettings? Lifecycle => null;
            public Autotier.Domain.Lifecycle.P1Settings? P1 => null;
            public string? EmergencyPhone => null;
        }
    }
}
