using Autotier.Domain.Metrics;
using Xunit;

namespace Autotier.UnitTests.Domain.OutcomeLog;

/// <summary>The per-ticket summary the outcome events fold into (TypeScript applyOutcome).</summary>
public sealed class TicketOutcomesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static OutcomeEvent E(string step, int minutes, string kind) => new("demo", "T-1001", T0, step, T0.AddMinutes(minutes), kind);

    private static TicketOutcomes Fold(IEnumerable<OutcomeEvent> events) => events.Aggregate((TicketOutcomes?)null, TicketOutcomes.Apply)!;

    private static readonly OutcomeEvent[] Life =
    [
        E("received", 0, OutcomeKinds.Received) with { Channel = "email" },
        E("acknowledged", 0, OutcomeKinds.Acknowledged) with { ResponseDue = T0.AddHours(1) },
        E("classified", 0, OutcomeKinds.Classified) with { Category = "password_reset", Priority = "P3", Route = "auto", Tier = 1 },
        E("playbook-1", 1, OutcomeKinds.Playbook) with { Result = "guide_sent", ArticleId = "kb-1" },
        E("responded-playbook-1", 1, OutcomeKinds.Responded) with { By = "automation", Via = "guide" },
        E("answer-escalation-0-1", 90, OutcomeKinds.Answered) with { Answer = "no" },
        E("escalation-0-1", 90, OutcomeKinds.Escalated) with { Tier = 1, Reason = "the requester said the guide did not fix it", Cycle = 0 },
        E("responded-mail-plan-1", 120, OutcomeKinds.Responded) with { By = "person", Via = "plan" },
        E("resolved-by-engineer-0", 200, OutcomeKinds.Resolved) with { By = "engineer", Cycle = 0 },
        E("rated-n1", 210, OutcomeKinds.Rated) with { Score = 4, Comment = "quick" },
        E("closed", 10_000, OutcomeKinds.Closed),
    ];

    [Fact(Timeout = 10_000)]
    public async Task A_tickets_life_folds_into_one_summary_with_its_first_response_answer_and_resolution()
    {
        await Task.Yield();
        var s = Fold(Life);

        Assert.Equal(("email", "password_reset", "P3", "auto"), (s.Channel, s.Category, s.Priority, s.Route));
        Assert.Equal(T0, s.AcknowledgedAt);
        Assert.Equal(T0.AddHours(1), s.ResponseDue);
        Assert.Equal((T0.AddMinutes(1), "automation"), (s.FirstResponseAt, s.FirstResponseBy));
        Assert.Equal("kb-1", s.GuideArticleId);
        Assert.Equal(new AnswerAt("no", T0.AddMinutes(90)), s.Answer);
        Assert.Equal("engineer", Assert.Single(s.Resolutions).By);
        Assert.Single(s.Escalations);
        Assert.Equal(new Rating(4, T0.AddMinutes(210), "quick"), s.Rating);
        Assert.Equal(T0.AddMinutes(10_000), s.ClosedAt);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_same_events_in_any_order_and_repeated_give_the_same_summary()
    {
        await Task.Yield();
        var once = Fold(Life);
        var shuffled = Fold(Life.Reverse().Concat(Life.Where((_, i) => i % 2 == 0)));

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(once), System.Text.Json.JsonSerializer.Serialize(shuffled));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_summary_stays_bounded_however_many_escalations_a_ticket_has()
    {
        await Task.Yield();
        var s = Fold(Enumerable.Range(0, 500).Select(i =>
            E($"escalation-{i}", i, OutcomeKinds.Escalated) with { Tier = 1, Reason = new string('x', 5000), Cycle = 0 }));

        Assert.Equal(TicketOutcomes.MaxEntries, s.Escalations.Count);
        Assert.Equal("escalation-499", s.Escalations[^1].Step);
        Assert.All(s.Escalations, e => Assert.Equal(TicketOutcomes.MaxReason, e.Reason.Length));
    }
}
