using Autotier.Domain.Links;
using Autotier.Domain.Portal;
using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Portal;

/// <summary>The portal's signed tokens (tests/unit/domain/portal.test.ts), in the TypeScript format.</summary>
public sealed class PortalTokensTests
{
    private static readonly string Key = new('x', 40);
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-03-02T09:00:00.000Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Signed by Node's crypto the way src/domain/portal.ts signs (JSON.stringify, base64url, HMAC-SHA256 under the derived key).</summary>
    private const string NodeStatusToken = "WyJzdGF0dXMiLCJkZW1vIiwiVC0xMDQyIiwxODAzOTc4MDAwMDAwXQ.agvz6HwngQpAdIufH9DsKSxH6hZLUdjEjZVFsFqWNK0";

    private const string NodeFormToken = "WyJmb3JtIiwiZGVtbyIsIjBiOWM3YzJlLTExMTEtNDIyMi04MzMzLTk0NDQ1NTU1NjY2NiIsMTc3MjUyODQwMDAwMF0.jsMt9IJ0XM17Ps8IIfWW1DaYRnPWNquhJtCPVG4kzZ4";

    [Fact]
    public void Tokens_are_byte_for_byte_the_typescript_apps_so_links_verify_in_either()
    {
        Assert.Equal(NodeStatusToken, PortalTokens.SignStatus("demo", "T-1042", Created, Key));
        Assert.Equal(NodeFormToken, PortalTokens.SignForm("demo", "0b9c7c2e-1111-4222-8333-944455556666", Created, Key));
        Assert.Equal(LinkTokenProblem.None, PortalTokens.VerifyStatus(NodeStatusToken, "demo", "T-1042", Key, Created.AddDays(364)));
        Assert.Equal(("0b9c7c2e-1111-4222-8333-944455556666", LinkTokenProblem.None), PortalTokens.VerifyForm(NodeFormToken, "demo", Key, Created.AddHours(23)));
    }

    [Fact]
    public void A_status_token_opens_its_own_ticket_for_a_year_and_nothing_else()
    {
        var token = PortalTokens.SignStatus("demo", "T-1042", Created, Key);
        Assert.Equal(LinkTokenProblem.Expired, PortalTokens.VerifyStatus(token, "demo", "T-1042", Key, Created.AddDays(366)));
        Assert.Equal(LinkTokenProblem.WrongTicket, PortalTokens.VerifyStatus(token, "demo", "T-1043", Key, Created));
        Assert.Equal(LinkTokenProblem.WrongTicket, PortalTokens.VerifyStatus(token, "other", "T-1042", Key, Created));
        Assert.Equal(LinkTokenProblem.BadSignature, PortalTokens.VerifyStatus(token, "demo", "T-1042", new string('y', 40), Created));
        Assert.Equal(LinkTokenProblem.BadSignature, PortalTokens.VerifyStatus(token + "A", "demo", "T-1042", Key, Created));
        Assert.Equal(LinkTokenProblem.Malformed, PortalTokens.VerifyStatus("nonsense", "demo", "T-1042", Key, Created));
        Assert.Equal(LinkTokenProblem.Malformed, PortalTokens.VerifyStatus(null, "demo", "T-1042", Key, Created));
        Assert.Equal(LinkTokenProblem.Malformed, PortalTokens.VerifyStatus(new string('a', 1001) + ".b", "demo", "T-1042", Key, Created));
        // A form token is the portal's too, but never opens a status page, nor a status token a form.
        Assert.Equal(LinkTokenProblem.Malformed, PortalTokens.VerifyStatus(NodeFormToken, "demo", "T-1042", Key, Created));
        Assert.Equal(LinkTokenProblem.Malformed, PortalTokens.VerifyForm(token, "demo", Key, Created).Problem);
    }

    [Fact]
    public void Portal_and_confirmation_tokens_are_signed_with_different_keys()
    {
        // A confirmation link's token for the same ticket never opens the status page, and the other way round.
        var confirm = LinkTokens.Sign(new LinkToken("T-1042", "n1", Created.AddDays(14)), Key);
        Assert.Equal(LinkTokenProblem.BadSignature, PortalTokens.VerifyStatus(confirm, "demo", "T-1042", Key, Created));
        Assert.Equal(LinkTokenProblem.BadSignature, LinkTokens.Verify(NodeStatusToken, "T-1042", Key, Created).Problem);
    }

    [Fact]
    public void A_form_token_names_its_visit_for_a_day_for_its_own_client_only()
    {
        var token = PortalTokens.SignForm("demo", "visit-1", Created, Key);
        Assert.Equal(("visit-1", LinkTokenProblem.None), PortalTokens.VerifyForm(token, "demo", Key, Created.AddHours(23)));
        Assert.Equal(LinkTokenProblem.Expired, PortalTokens.VerifyForm(token, "demo", Key, Created.AddHours(25)).Problem);
        Assert.Equal(LinkTokenProblem.BadSignature, PortalTokens.VerifyForm(token, "other", Key, Created).Problem);
    }

    [Fact]
    public void The_status_path_escapes_its_parts()
    {
        Assert.Equal("/api/portal/demo/tickets/T-1042?token=a.b%2Bc", PortalTokens.StatusPath("demo", "T-1042", "a.b+c"));
    }

    [Fact]
    public void The_public_timeline_is_one_line_per_change_of_stage_in_public_words_and_never_a_note()
    {
        var at = Created;
        var timeline = PortalWords.PublicTimeline(
        [
            new TimelineEntry("escalated", at.AddMinutes(5), Stage.Escalated, "INTERNAL: VIP, call them"),
            new TimelineEntry("received", at, Stage.Received, "api"),
            new TimelineEntry("classified", at.AddMinutes(1), Stage.Classified, "rules: printer"),
            new TimelineEntry("plan-1", at.AddMinutes(6), Stage.Escalated, "INTERNAL: restore snapshot 42"),
            new TimelineEntry("note", at.AddMinutes(7), null, "INTERNAL: checked the logs"),
        ]);
        Assert.Equal(
            [
                new PublicTimelineEntry(at, "We received your request"),
                new PublicTimelineEntry(at.AddMinutes(1), "We looked at your request"),
                new PublicTimelineEntry(at.AddMinutes(5), "An engineer has your request"),
            ],
            timeline);
        Assert.Equal("Try the steps below, then tell us whether they worked.", PortalWords.WhatNext(Stage.AwaitingConfirmation));
    }
}
