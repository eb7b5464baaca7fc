using Autotier.Domain.Tickets;
using Autotier.Domain.Webhooks;
using Xunit;

namespace Autotier.UnitTests.Domain.Webhooks;

/// <summary>PSA webhook bodies to tickets, as tests/unit/domain/psa.test.ts and the e2e webhook scenarios expect.</summary>
public sealed class PsaWebhookEventsTests
{
    private static readonly PsaIntakeMapping Mapping = PsaIntakeMapping.Parse("""{"companies":{"250":"demo","co250":"demo"},"tiers":{"1":"1"},"selfIds":["77"]}""");

    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(Autotier.LocalHost.RepositoryRoot.Find(), "tests", "fixtures", "psa", "connectwise", name));

    [Fact]
    public void A_connectwise_ticket_callback_with_its_entity_as_a_json_string_is_a_whole_ticket()
    {
        var entity = System.Text.Json.JsonSerializer.Serialize(new
        {
            id = 4711, summary = "Printer offline", initialDescription = "The 3rd floor printer is offline.",
            company = new { id = 250, identifier = "Co250" }, contactName = "Kim Park", contactEmailAddress = "Kim@Demo.Example",
        });
        var raw = System.Text.Json.JsonSerializer.Serialize(new
        {
            MessageId = "m-1", FromUrl = "api-na.myconnectwise.net", CompanyId = "autotier", MemberId = "jdoe", Action = "added", Type = "ticket", ID = 4711,
            Entity = entity, Metadata = new { key_url = "https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?id=k1" },
        });

        var parsed = PsaWebhookEvents.Parse(PsaVendors.ConnectWise, raw);

        Assert.True(parsed.Ok, parsed.Error);
        var e = parsed.Value;
        Assert.Equal(("m-1", PsaAction.Created, "4711", "jdoe"), (e.EventId, e.Action, e.TicketId, e.ActorId));
        Assert.True(e.Partial.IsComplete);
        var ticket = PsaWebhookEvents.ToNewTicket(PsaVendors.ConnectWise, e.Partial, Mapping);
        Assert.True(ticket.Ok, ticket.Error);
        Assert.Equal(
            new NewTicket("demo", new Requester("Kim Park", "kim@demo.example"), "Printer offline", "The 3rd floor printer is offline.", "connectwise:4711", Channel.ConnectWise) { ExternalNumber = "4711" },
            ticket.Value);
    }

    [Theory]
    [InlineData("amp-labs-contact-create.json", "fbed4425-b1f3-425c-8bca-bb405891fc8e")]
    [InlineData("amp-labs-contact-update.json", null)]
    [InlineData("amp-labs-contact-delete.json", null)]
    public void Real_connectwise_callbacks_for_contacts_are_refused_as_not_tickets(string file, string? messageId)
    {
        var raw = Fixture(file).Replace("{{testServerURL}}", "https://sandbox-na.myconnectwise.net", StringComparison.Ordinal);
        var parsed = PsaWebhookEvents.Parse(PsaVendors.ConnectWise, raw);
        Assert.False(parsed.Ok);
        Assert.Equal("Type: only ticket callbacks are handled, not \"contact\"", parsed.Error);
        // The same body as a ticket callback reads its MessageId and key URL, and its contact entity is not a ticket.
        var asTicket = PsaWebhookEvents.Parse(PsaVendors.ConnectWise, raw.Replace("\"Type\": \"contact\"", "\"Type\": \"ticket\"", StringComparison.Ordinal));
        Assert.True(asTicket.Ok, asTicket.Error);
        if (messageId is not null) Assert.Equal(messageId, asTicket.Value.EventId);
        Assert.False(asTicket.Value.Partial.IsComplete);
        // Their real key URLs (sandbox-na, dated release, doubled slash, companyName) are taken for that site, and only for it.
        Assert.NotNull(WebhookAuth.ConnectWiseKeyUrl(asTicket.Value.KeyUrl!, "https://sandbox-na.myconnectwise.net/v2025_1/apis/3.0"));
        Assert.Null(WebhookAuth.ConnectWiseKeyUrl(asTicket.Value.KeyUrl!, "https://api-na.myconnectwise.net/v4_6_release/apis/3.0"));
    }

    [Fact]
    public void An_autotask_delivery_is_named_by_guid_and_sequence_number_and_carries_only_the_id()
    {
        var raw = """{"Action":"Create","Guid":"5d1e3a4c-8b7f-4f0e-9c2d-7a6b5e4d3c2b","EntityType":"Ticket","Id":9001,"Fields":{"Title":"x"},"EventTime":"2026-12-07T10:00:00Z","SequenceNumber":1001,"PersonID":29682885}""";
        var parsed = PsaWebhookEvents.Parse(PsaVendors.Autotask, raw);
        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal("5d1e3a4c-8b7f-4f0e-9c2d-7a6b5e4d3c2b:1001", parsed.Value.EventId);
        Assert.Equal((PsaAction.Created, "9001", "29682885"), (parsed.Value.Action, parsed.Value.TicketId, parsed.Value.ActorId));
        Assert.False(parsed.Value.Partial.IsComplete);

        var noSequence = PsaWebhookEvents.Parse(PsaVendors.Autotask, raw.Replace(",\"SequenceNumber\":1001", "", StringComparison.Ordinal));
        Assert.Equal("5d1e3a4c-8b7f-4f0e-9c2d-7a6b5e4d3c2b:9001:Create:2026-12-07T10:00:00Z", noSequence.Value!.EventId);
        Assert.Equal("EntityType: only Ticket webhooks are handled, not \"Contact\"",
            PsaWebhookEvents.Parse(PsaVendors.Autotask, raw.Replace("\"Ticket\"", "\"Contact\"", StringComparison.Ordinal)).Error);
    }

    [Fact]
    public void A_halo_ticket_with_line_breaks_controls_and_separators_in_one_line_fields_has_them_replaced()
    {
        var raw = System.Text.Json.JsonSerializer.Serialize(new
        {
            id = "d-1", @event = "New Ticket Logged",
            ticket = new
            {
                id = 321, summary = "VPN\r\ndown\u2028now\u202E", details = "Since 9.\u2028Still down.\u2029",
                client_id = 250, client_name = "Demo", user_name = "Ana\u0000 Lima", user_email = " Ana@Demo.Example ",
            },
        });
        var parsed = PsaWebhookEvents.Parse(PsaVendors.HaloPsa, raw);
        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal(("d-1", PsaAction.Created), (parsed.Value.EventId, parsed.Value.Action));
        var ticket = PsaWebhookEvents.ToNewTicket(PsaVendors.HaloPsa, parsed.Value.Partial, Mapping);
        Assert.True(ticket.Ok, ticket.Error);
        Assert.Equal("VPN down now", ticket.Value.Subject);
        Assert.Equal("Ana Lima", ticket.Value.Requester.Name);
        Assert.Equal("ana@demo.example", ticket.Value.Requester.Email);
        Assert.Equal("Since 9.\u2028Still down.", ticket.Value.Body);
        Assert.Equal(("halopsa:321", Channel.HaloPsa), (ticket.Value.ExternalId, ticket.Value.Channel));
    }

    [Theory]
    [InlineData("Ticket Updated", null, PsaAction.Updated)]
    [InlineData("Ticket Deleted", null, PsaAction.Deleted)]
    [InlineData(null, "5", PsaAction.Updated)]
    [InlineData(null, null, PsaAction.Created)]
    public void Halo_events_are_read_from_their_rule_names(string? name, string? actionId, PsaAction expected)
    {
        var raw = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["event"] = name,
            ["ticket"] = new { id = 1 },
            ["action"] = actionId is null ? null : new { id = actionId },
        }.Where(kv => kv.Value is not null).ToDictionary());
        Assert.Equal(expected, PsaWebhookEvents.Parse(PsaVendors.HaloPsa, raw).Value!.Action);
    }

    [Fact]
    public void An_unmapped_company_or_a_contact_without_an_address_cannot_be_placed()
    {
        var ticket = new PsaTicketFields { Id = "7", Number = "7", Summary = "s", CompanyKeys = ["999", "Other"], ContactEmail = "a@demo.example" };
        Assert.Equal("halopsa company 999 / Other is not mapped to a client", PsaWebhookEvents.ToNewTicket(PsaVendors.HaloPsa, ticket, Mapping).Error);
        Assert.True(PsaWebhookEvents.ToNewTicket(PsaVendors.HaloPsa, ticket, Mapping, assignedClient: "demo").Ok);
        Assert.Equal("halopsa ticket 7 has no contact with an email address",
            PsaWebhookEvents.ToNewTicket(PsaVendors.HaloPsa, ticket with { CompanyKeys = ["250"], ContactEmail = "not an address" }, Mapping).Error);
    }

    [Theory]
    [InlineData(PsaVendors.ConnectWise, """{"Action":"added","Type":"ticket","ID":1}""", "Metadata: is required")]
    [InlineData(PsaVendors.ConnectWise, """{"Action":"added","Type":"ticket","ID":null,"Metadata":{"key_url":"x"}}""", "ID: Invalid input")]
    [InlineData(PsaVendors.Autotask, """{"Action":"Create","EntityType":"Ticket","Id":1}""", "Guid: is required")]
    [InlineData(PsaVendors.HaloPsa, """{"event":"x"}""", "ticket: is required")]
    [InlineData(PsaVendors.HaloPsa, """{"value":[null]}""", "ticket: is required")]
    [InlineData(PsaVendors.HaloPsa, """[null]""", "request body must be a JSON object with clientId, requester, subject and body")]
    [InlineData(PsaVendors.HaloPsa, "{", "body is not valid JSON")]
    public void Malformed_deliveries_say_what_is_wrong(string vendor, string raw, string error) =>
        Assert.Equal(error, PsaWebhookEvents.Parse(vendor, raw).Error);
}
