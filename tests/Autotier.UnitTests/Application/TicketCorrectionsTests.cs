using System.Text.Json;
using Autotier.Application.Tickets;
using Autotier.Domain.Classification;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Application;

public sealed class TicketCorrectionsTests
{
    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryCorrectionStore store = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly TicketCorrections corrections;

    public TicketCorrectionsTests() =>
        corrections = new TicketCorrections(tickets, store, time, NullLogger<TicketCorrections>.Instance);

    private async Task<Ticket> Stored(TicketClassification? classification)
    {
        var created = await tickets.CreateAsync(
            new NewTicket("demo", new Requester("Sam", "sam@demo.example"), "Mouse not working", "The mouse stopped.", null, Channel.Api)
            {
                Classification = classification,
            },
            time.GetUtcNow(), default);
        return created.Ticket;
    }

    private static readonly TicketClassification PrinterAuto =
        new(Categories.PrinterPeripheral, Priorities.P3, 0.82, Routes.Auto, 1, ["model: printer_peripheral 0.82"], "printer", "printer_guide", DecidedBy: DecidedBy.Model);

    private static JsonElement Event(object body) => JsonSerializer.SerializeToElement(body);

    [Fact(Timeout = 10_000)]
    public async Task A_correction_is_stored_on_the_ticket_on_its_timeline_and_in_the_clients_corrections()
    {
        var ticket = await Stored(PrinterAuto);
        time.Advance(TimeSpan.FromMinutes(5));

        var result = await corrections.ReclassifyAsync(
            ticket.TicketId,
            Event(new { type = "reclassified", by = "alex", category = "engineering", priority = "P2", note = "docking station firmware" }),
            default);

        var accepted = Assert.IsType<CorrectionResult.Accepted>(result);
        var c = accepted.Ticket.Classification!;
        Assert.Equal((Categories.Engineering, Priorities.P2, Routes.Escalate, DecidedBy.Engineer), (c.Category, c.Priority, c.Route, c.DecidedBy));
        Assert.Contains("engineer alex: category printer_peripheral -> engineering, priority P3 -> P2", c.Reasons);
        var correction = Assert.Single(accepted.Ticket.Corrections!);
        Assert.True(correction.Misroute);
        Assert.Equal("docking station firmware", correction.Note);

        var line = Assert.Single(await tickets.GetTimelineAsync(ticket.TicketId, default));
        Assert.Equal("reclassified-1", line.Step);
        var row = Assert.Single(await store.ListAsync("demo", default));
        Assert.Equal((ticket.TicketId, 1, "printer_peripheral", "engineering", "The mouse stopped."), (row.TicketId, row.Sequence, row.FromCategory, row.ToCategory, row.Body));
        Assert.True(row.Misroute);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_same_correction_sent_twice_is_recorded_once()
    {
        var ticket = await Stored(PrinterAuto);
        var body = Event(new { type = "reclassified", by = "alex", category = "engineering" });

        await corrections.ReclassifyAsync(ticket.TicketId, body, default);
        await corrections.ReclassifyAsync(ticket.TicketId, body, default);

        Assert.Single((await tickets.GetAsync(ticket.TicketId, default))!.Corrections!);
        Assert.Single(await store.ListAsync("demo", default));
        Assert.Single(await tickets.GetTimelineAsync(ticket.TicketId, default));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_priority_only_change_is_not_a_misroute_and_keeps_automation_on_the_same_category()
    {
        var ticket = await Stored(PrinterAuto);

        var result = await corrections.ReclassifyAsync(ticket.TicketId, Event(new { type = "reclassified", by = "alex", priority = "P2" }), default);

        var c = Assert.IsType<CorrectionResult.Accepted>(result).Ticket.Classification!;
        Assert.Equal((Categories.PrinterPeripheral, Priorities.P2, Routes.Auto), (c.Category, c.Priority, c.Route));
        Assert.False(Assert.Single(await store.ListAsync("demo", default)).Misroute);
    }

    [Fact(Timeout = 10_000)]
    public async Task Moving_a_ticket_into_an_automatable_category_does_not_start_automation()
    {
        var escalated = new TicketClassification(Categories.Engineering, Priorities.P3, 0.55, Routes.Escalate, 2, ["low confidence"]);
        var ticket = await Stored(escalated);

        var result = await corrections.ReclassifyAsync(ticket.TicketId, Event(new { type = "reclassified", by = "alex", category = "password_reset" }), default);

        Assert.Equal(Routes.Escalate, Assert.IsType<CorrectionResult.Accepted>(result).Ticket.Classification!.Route);
    }

    [Theory(Timeout = 10_000)]
    [InlineData("""{"type":"reclassified","category":"engineering"}""", "by: is required")]
    [InlineData("""{"type":"reclassified","by":"  "}""", "by: must not be empty")]
    [InlineData("""{"type":"reclassified","by":"alex"}""", "category: give a category, a priority or both")]
    [InlineData("""{"type":"reclassified","by":"alex","category":"printers"}""", "category: must be one of password_reset, software_access, vpn_remote_access, printer_peripheral, software_error, engineering")]
    [InlineData("""{"type":"reclassified","by":"alex","priority":"P5"}""", "priority: must be P1, P2, P3 or P4")]
    [InlineData("""{"type":"reclassified","by":"alex","priority":"P2","categroy":"engineering"}""", "unknown field: categroy")]
    [InlineData("""{"type":"reclassified","by":"alex","priority":"P2","note":5}""", "note: must be a string")]
    public async Task Bad_corrections_are_refused_naming_the_field_and_change_nothing(string json, string error)
    {
        var ticket = await Stored(PrinterAuto);

        var result = await corrections.ReclassifyAsync(ticket.TicketId, JsonDocument.Parse(json).RootElement, default);

        Assert.Equal(new CorrectionResult.Invalid(error), result);
        Assert.Null((await tickets.GetAsync(ticket.TicketId, default))!.Corrections);
        Assert.Empty(await store.ListAsync("demo", default));
    }

    [Fact(Timeout = 10_000)]
    public async Task Unknown_tickets_are_not_found_and_unclassified_ones_a_conflict()
    {
        var body = Event(new { type = "reclassified", by = "alex", priority = "P2" });
        Assert.IsType<CorrectionResult.NotFound>(await corrections.ReclassifyAsync("T-9999", body, default));
        Assert.IsType<CorrectionResult.Invalid>(await corrections.ReclassifyAsync("nope", body, default));
        var unclassified = await Stored(null);
        Assert.IsType<CorrectionResult.Conflict>(await corrections.ReclassifyAsync(unclassified.TicketId, body, default));
    }
}
