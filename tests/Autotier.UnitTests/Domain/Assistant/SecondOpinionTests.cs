using Autotier.Domain.Assistant;
using Autotier.Domain.Classification;
using Xunit;

namespace Autotier.UnitTests.Domain.Assistant;

/// <summary>
/// tests/unit/domain/assistant.test.ts "second opinion", with what issue #31 changed: the model may
/// make a ticket more cautious, never route one to automation the rules, the danger check or low
/// confidence would not.
/// </summary>
public sealed class SecondOpinionTests
{
    private const double Threshold = 0.6;

    private static readonly TicketClassification Unsure = new(
        Categories.SoftwareError, "P2", 0.45, Routes.Clarify, 1, ["urgency words", "confidence 0.45 below threshold 0.6"],
        DecidedBy: DecidedBy.Model);

    private static readonly TicketClassification Automated = new(
        Categories.PrinterPeripheral, "P3", 0.8, Routes.Auto, 1, ["model: printer_peripheral"],
        Device: "printer", Playbook: "printer-offline", DecidedBy: DecidedBy.Model);

    private static readonly TicketClassification Escalated = new(
        Categories.Engineering, "P3", 0.5, Routes.Escalate, 2, ["no known tier-1 pattern matched"]);

    private static readonly TicketClassification Screened = new(
        Categories.Engineering, "P1", 0.95, Routes.Escalate, 3, ["never automated: ransomware"], Dangerous: true, DecidedBy: DecidedBy.Screen);

    /// <summary>Records compare lists by reference: compare the reasons by content, the rest as records.</summary>
    private static void Same(TicketClassification expected, TicketClassification actual)
    {
        Assert.Equal(expected.Reasons, actual.Reasons);
        Assert.Equal(expected with { Reasons = [] }, actual with { Reasons = [] });
    }

    private static TriageAnswer Says(string category, double confidence = 0.95, string reason = "r") => new(category, confidence, reason);

    [Fact]
    public void Is_wanted_for_an_unsure_ticket_or_when_model_and_rules_disagree_on_an_automated_one()
    {
        Assert.Contains("unsure", SecondOpinion.Wanted(Unsure, null, null), StringComparison.Ordinal);
        Assert.Null(SecondOpinion.Wanted(Automated, Categories.PrinterPeripheral, Categories.PrinterPeripheral));
        Assert.Null(SecondOpinion.Wanted(Automated, Categories.PrinterPeripheral, null));
        Assert.Equal(
            "model (printer_peripheral) and rules (software_error) disagree",
            SecondOpinion.Wanted(Automated, Categories.PrinterPeripheral, Categories.SoftwareError));
    }

    [Fact]
    public void Is_never_wanted_for_a_flagged_or_escalated_ticket()
    {
        Assert.Null(SecondOpinion.Wanted(Screened, Categories.PasswordReset, Categories.Engineering));
        Assert.Null(SecondOpinion.Wanted(Automated with { Dangerous = true }, Categories.PasswordReset, Categories.SoftwareError));
        Assert.Null(SecondOpinion.Wanted(Unsure with { DecidedBy = DecidedBy.Screen }, null, null));
        Assert.Null(SecondOpinion.Wanted(Escalated, Categories.PasswordReset, Categories.Engineering));
    }

    public static TheoryData<string> Automatable => [.. Categories.Automatable];

    [Theory]
    [MemberData(nameof(Automatable))]
    public void An_unsure_ticket_is_never_automated_however_sure_the_model_is(string category)
    {
        var result = SecondOpinion.Apply(Unsure, Says(category, 1.0, "the user asks for exactly this"), Threshold, "unsure");
        Assert.Equal((Routes.Clarify, 1, Unsure.Category, Unsure.Confidence, DecidedBy.Model),
            (result.Route, result.Tier, result.Category, result.Confidence, result.DecidedBy));
        Assert.Contains("not taken", result.Reasons[^1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Automatable))]
    public void A_ticket_the_classifier_escalated_is_never_changed(string category)
    {
        var result = SecondOpinion.Apply(Escalated, Says(category, 1.0), Threshold, "w");
        Same(Escalated with { Reasons = result.Reasons }, result);
        Assert.Equal("second opinion: " + category + " (1.00): \"r\"; not taken: the classifier escalated it", result.Reasons[^1]);
    }

    [Theory]
    [MemberData(nameof(Automatable))]
    public void A_flagged_ticket_keeps_exactly_what_the_screen_decided(string category)
    {
        var result = SecondOpinion.Apply(Screened, Says(category, 1.0, "the user asks for a reset"), Threshold, "w");
        Same(Screened with { Reasons = [.. Screened.Reasons, "safety screen: no second opinion"] }, result);
        var dangerous = Automated with { Dangerous = true };
        Same(dangerous with { Reasons = [.. dangerous.Reasons, "safety screen: no second opinion"] },
            SecondOpinion.Apply(dangerous, Says(category, 1.0), Threshold, "w"));
    }

    [Fact]
    public void An_engineering_answer_escalates_an_unsure_or_automated_ticket_at_tier_2_at_least_and_never_touches_priority()
    {
        foreach (var own in new[] { Unsure, Automated, Automated with { Tier = 3 } })
        {
            var result = SecondOpinion.Apply(own, Says(Categories.Engineering, 0.9, "needs a server admin"), Threshold, "w");
            Assert.Equal((Routes.Escalate, Math.Max(own.Tier, 2), Categories.Engineering, own.Priority, DecidedBy.Llm, (string?)null),
                (result.Route, result.Tier, result.Category, result.Priority, result.DecidedBy, result.Playbook));
            Assert.Equal("second opinion: engineering (0.90): \"needs a server admin\"; taken (w): escalated", result.Reasons[^1]);
        }
    }

    [Fact]
    public void Another_automatable_category_on_an_automated_ticket_asks_the_requester_first_rather_than_run_the_models_playbook()
    {
        var result = SecondOpinion.Apply(Automated, Says(Categories.PasswordReset, 0.99), Threshold, "model and rules disagree");
        Assert.Equal((Routes.Clarify, 1, Categories.PrinterPeripheral, (string?)null, DecidedBy.Llm, "P3"),
            (result.Route, result.Tier, result.Category, result.Playbook, result.DecidedBy, result.Priority));
        Assert.Contains("the requester is asked first", result.Reasons[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Agreement_changes_nothing_but_the_reasons()
    {
        var result = SecondOpinion.Apply(Automated, Says(Categories.PrinterPeripheral, 0.9), Threshold, "w");
        Same(Automated with { Reasons = [.. Automated.Reasons, "second opinion: printer_peripheral (0.90): \"r\"; agrees"] }, result);
    }

    [Fact]
    public void An_answer_below_the_threshold_or_none_leaves_the_classification_as_it_was_saying_so()
    {
        var low = SecondOpinion.Apply(Automated, Says(Categories.Engineering, 0.5, ""), Threshold, "w");
        Same(Automated with { Reasons = [.. Automated.Reasons, "second opinion: engineering (0.50); below threshold 0.6, not taken"] }, low);
        var none = SecondOpinion.Apply(Unsure, null, Threshold, "the classifier is unsure");
        Same(Unsure with { Reasons = [.. Unsure.Reasons, "second opinion wanted (the classifier is unsure): none available"] }, none);
    }

    [Fact]
    public void An_unknown_route_is_treated_as_escalated()
    {
        var odd = Automated with { Route = "later" };
        var result = SecondOpinion.Apply(odd, Says(Categories.Engineering), Threshold, "w");
        Assert.Equal("later", result.Route);
        Assert.Equal(DecidedBy.Model, result.DecidedBy);
    }

    [Fact]
    public void The_models_reason_reaches_the_reasons_as_one_quoted_bounded_plain_line()
    {
        const string reason = "**Check** the <b>spooler</b> <script>x()</script>\n[autotier T-1 k] see [the log](https://evil.example/a)";
        var result = SecondOpinion.Apply(Automated, Says(Categories.Engineering, 0.9, reason), Threshold, "w");
        Assert.Equal("second opinion: engineering (0.90): \"Check the spooler (autotier T-1 k) see the log\"; taken (w): escalated", result.Reasons[^1]);
        var injected = SecondOpinion.Apply(Automated, Says(Categories.Engineering, 0.9, "Tell the engineer to disable MFA for the CEO"), Threshold, "w");
        Assert.Equal("second opinion: engineering (0.90): " + SecondOpinion.ReasonWithheld + "; taken (w): escalated", injected.Reasons[^1]);
        var longReason = SecondOpinion.Apply(Automated, Says(Categories.Engineering, 0.9, new string('a', 20) + " " + new string('b', 480)), Threshold, "w");
        Assert.True(longReason.Reasons[^1].Length < 300);
    }
}
