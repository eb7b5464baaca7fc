using Autotier.Domain.Alerts;
using Xunit;

namespace Autotier.UnitTests.Domain.Alerts;

public sealed class AlertRoutingTests
{
    private const string Secret = "https://prod.example.logic.azure.com/workflows/1/triggers/manual/paths/invoke?sig=SECRETSIG";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Unset_or_blank_means_no_routing(string? value) => Assert.Null(AlertRouting.Parse(value));

    [Fact]
    public void Reads_each_audiences_channels()
    {
        var routing = AlertRouting.Parse($$$"""{"tier1": {"webhook": "{{{Secret}}}"}, "oncall": {"email": "oncall@msp.example", "webhook": "http://127.0.0.1:7071/hook"}}""")!;
        Assert.Equal(new Uri(Secret), routing.For(Audience.Tier1)!.Webhook);
        Assert.Null(routing.For(Audience.Tier1)!.Email);
        Assert.Equal("oncall@msp.example", routing.For(Audience.OnCall)!.Email);
        Assert.Null(routing.For(Audience.Tier2));
        Assert.Equal([Audience.Tier1, Audience.OnCall], routing.Routed);
        Assert.DoesNotContain("SECRETSIG", routing.For(Audience.Tier1)!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"tier1\": {\"webhook\": \"" + Secret + "\"", "AUTOTIER_NOTIFY is not valid JSON")]
    [InlineData("[\"" + Secret + "\"]", "AUTOTIER_NOTIFY: must be a JSON object of audiences")]
    [InlineData("{\"" + Secret + "\": {\"email\": \"a@b.example\"}}", "AUTOTIER_NOTIFY: unknown audience a key (the audiences are tier1, tier2, tier3, oncall, manager)")]
    [InlineData("{\"tier4\": {\"email\": \"a@b.example\"}}", "AUTOTIER_NOTIFY: unknown audience \"tier4\"")]
    [InlineData("{\"tier1\": \"" + Secret + "\"}", "AUTOTIER_NOTIFY: tier1: must be an object {webhook?, email?}")]
    [InlineData("{\"tier2\": {\"webhook\": \"http://prod.example/x?sig=SECRETSIG\"}}", "AUTOTIER_NOTIFY: tier2.webhook: must be an https URL")]
    [InlineData("{\"tier2\": {\"webhook\": 5}}", "AUTOTIER_NOTIFY: tier2.webhook: must be a string")]
    [InlineData("{\"tier3\": {\"email\": \"SECRETSIG\"}}", "AUTOTIER_NOTIFY: tier3.email: must be an email address")]
    [InlineData("{\"oncall\": {}}", "AUTOTIER_NOTIFY: oncall: names no channel (give webhook, email or both)")]
    [InlineData("{\"oncall\": {\"teams\": \"" + Secret + "\"}}", "AUTOTIER_NOTIFY: oncall: unknown channel \"teams\" (the channels are webhook and email)")]
    public void A_bad_value_names_the_setting_and_field_never_the_value(string value, string expected)
    {
        var error = Assert.Throws<FormatException>(() => AlertRouting.Parse(value));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETSIG", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, null, Audience.Tier1)]
    [InlineData(3, null, Audience.Tier3)]
    [InlineData(7, null, Audience.Tier3)]
    [InlineData(0, null, Audience.Tier1)]
    [InlineData(2, Audience.OnCall, Audience.OnCall)]
    public void The_audience_is_on_call_when_said_else_the_tier_clamped(int tier, Audience? said, Audience expected) =>
        Assert.Equal(expected, Audiences.Of(new AlertFacts("k", "T-1", "c", tier, "escalation", "", DateTimeOffset.UnixEpoch) { Audience = said }));

    [Fact]
    public void The_start_up_summary_names_channel_kinds_and_queues_never_a_url_or_address()
    {
        Assert.Equal(
            "AUTOTIER_NOTIFY is not set: alerts from autotier-tier1, autotier-tier2, autotier-tier3, autotier-tieroncall, autotier-tiermanager are recorded as not delivered (no channel)",
            AlertRouting.Summary(null, "autotier-tier"));
        var routing = AlertRouting.Parse($$$"""{"tier1": {"webhook": "{{{Secret}}}", "email": "t1@msp.example"}, "oncall": {"email": "oc@msp.example"}}""");
        Assert.Equal(
            "alerts are delivered to tier1 (Teams webhook and email), oncall (email); no channel for the others, whose alerts from autotier-tier2, autotier-tier3, autotier-tiermanager are recorded as not delivered",
            AlertRouting.Summary(routing, "autotier-tier"));
    }

    [Fact]
    public void Queue_names_are_the_typescript_apps_and_the_duty_managers() =>
        Assert.Equal(["autotier-tier1", "autotier-tier2", "autotier-tier3", "autotier-tieroncall", "autotier-tiermanager"], Audiences.All.Select(a => a.QueueName("autotier-tier")));
}
