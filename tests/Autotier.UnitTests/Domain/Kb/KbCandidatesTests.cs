using Autotier.Domain.Classification;
using Autotier.Domain.Kb;
using Xunit;

namespace Autotier.UnitTests.Domain.Kb;

public sealed class KbCandidatesTests
{
    private static Escalation E(string ticketId, string subject, string category = Categories.SoftwareError) => new(ticketId, subject, category);

    [Fact]
    public void Recurring_escalations_with_overlapping_subjects_are_grouped()
    {
        var groups = KbCandidates.Find([
            E("T-1", "Sage payroll export error"),
            E("T-2", "Error on Sage payroll export"),
            E("T-3", "Sage payroll export error again"),
            E("T-4", "Teams camera black"),
        ]);

        var group = Assert.Single(groups);
        Assert.Equal(["T-1", "T-2", "T-3"], group.TicketIds);
        Assert.Equal(Categories.SoftwareError, group.Category);
        Assert.Equal(3, group.Subjects.Count);
    }

    [Fact]
    public void Groups_keep_to_one_category_need_min_count_and_list_the_largest_first()
    {
        var groups = KbCandidates.Find([
            E("T-1", "VPN drops at home", Categories.VpnRemoteAccess),
            E("T-2", "VPN drops at home", Categories.SoftwareError),
            E("T-3", "Printer jam upstairs", Categories.PrinterPeripheral),
            E("T-4", "Printer jam upstairs", Categories.PrinterPeripheral),
            E("T-5", "VPN drops at home", Categories.VpnRemoteAccess),
            E("T-6", "Printer jam upstairs again", Categories.PrinterPeripheral),
        ], minCount: 2);

        Assert.Equal([["T-3", "T-4", "T-6"], ["T-1", "T-5"]], groups.Select(g => g.TicketIds));
        Assert.Equal(["Printer jam upstairs", "Printer jam upstairs again"], groups[0].Subjects);
        Assert.Empty(KbCandidates.Find([E("T-1", "x y z"), E("T-2", "x y z")], minCount: 3));
    }

    [Fact]
    public void Subject_words_are_three_or_more_letters_or_digits_without_stop_words()
    {
        Assert.True(Autotier.Domain.Text.WordOverlap.Terms("Please help: Sage payroll for my 0x80070005 at").SetEquals(["sage", "payroll", "0x80070005"]));
        Assert.Equal(0.5, Autotier.Domain.Text.WordOverlap.Similarity(new HashSet<string> { "a", "b" }, new HashSet<string> { "b", "c", "a", "d" }));
        Assert.Equal(0, Autotier.Domain.Text.WordOverlap.Similarity(new HashSet<string>(), new HashSet<string> { "a" }));
    }
}
