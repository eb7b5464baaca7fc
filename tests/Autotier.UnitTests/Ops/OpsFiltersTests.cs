using Autotier.Application.Ops;
using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Ops;

public sealed class OpsFiltersTests
{
    private static (OpsFilters? Filters, string? Error) Parse(params (string Key, string Value)[] query) =>
        OpsFilters.Parse(query.GroupBy(q => q.Key).Select(g => new KeyValuePair<string, IReadOnlyList<string>>(g.Key, g.Select(q => q.Value).ToList())));

    [Fact]
    public void Defaults_to_everything_newest_100_blank_fields_mean_no_filter_and_a_key_is_not_a_filter()
    {
        Assert.Equal(OpsFilters.None, Parse().Filters);
        Assert.Equal(OpsFilters.None, Parse(("stage", ""), ("client", ""), ("sla", ""), ("code", "secret")).Filters);
        var f = Parse(("stage", "awaiting_confirmation"), ("client", "demo"), ("sla", "1"), ("overdue", "on"), ("before", "T-1042"), ("limit", "20")).Filters!;
        Assert.Equal(new OpsFilters(Stage.AwaitingConfirmation, "demo", true, true, false, "T-1042", 20), f);
    }

    [Theory]
    [InlineData("stage", "done", "stage: must be one of received, classified, resolving, awaiting_confirmation, resolved, escalated, closed")]
    [InlineData("client", "Demo!", "client: must be a client id (lowercase letters, digits and hyphens)")]
    [InlineData("limit", "501", "limit: must be a whole number from 1 to 500")]
    [InlineData("limit", "1e2", "limit: must be a whole number from 1 to 500")]
    [InlineData("before", "1042", "before: must be a ticket id like T-1042")]
    [InlineData("sla", "yes", "sla: must be on, 1, true, 0 or false")]
    [InlineData("days", "0", "days: must be a whole number from 1 to 366")]
    [InlineData("days", "367", "days: must be a whole number from 1 to 366")]
    [InlineData("days", "-7", "days: must be a whole number from 1 to 366")]
    [InlineData("colour", "red", "unknown filter: colour")]
    public void Names_the_bad_value_or_the_unknown_filter(string key, string value, string error) =>
        Assert.Equal((null, error), Parse((key, value)));

    [Fact]
    public void A_filter_given_twice_is_refused() =>
        Assert.Equal("stage: give it once", Parse(("stage", "closed"), ("stage", "resolved")).Error);

    [Fact]
    public void The_outcomes_period_is_30_days_unless_days_says_otherwise_and_is_not_a_filter_of_the_rows()
    {
        Assert.Equal(30, OpsFilters.None.Days);
        Assert.Equal(30, Parse(("days", "")).Filters!.Days);
        var week = Parse(("days", "7"), ("client", "demo")).Filters!;
        Assert.Equal(7, week.Days);
        Assert.Equal(OpsFilters.None with { Client = "demo" }, week with { Days = OpsFilters.DefaultDays });
    }
}
