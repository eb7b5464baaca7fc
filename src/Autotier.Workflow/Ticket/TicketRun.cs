using Autotier.Domain.Alerts;
using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Replies;
using Autotier.Domain.Resolutions;
using Autotier.Domain.Tickets;
using Autotier.Workflow.Activities.Lifecycle;
using Microsoft.DurableTask;

namespace Autotier.Workflow.Ticket;

/// <summary>The phases of a ticket's workflow.</summary>
public enum Phase { Clarifying, Automation, Awaiting, Escalate, Escalated, Closed, Done, Proving }

/// <summary>
/// What one ticket's workflow knows between phases, and the steps every phase shares. Only the
/// orchestration's clock and its activities are used: replaying it gives the same state.
/// </summary>
public sealed class TicketRun
{
    private readonly TaskOrchestrationContext context;

    public TicketRun(TaskOrchestrationContext context, string ticketId, TicketSetup setup, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(setup);
        this.context = context;
        TicketId = ticketId;
        Setup = setup;
        ReceivedAt = receivedAt;
        Inbox = new EventInbox(context);
        Hours = setup.Hours;
        Sla = SlaClock.Start(setup.SlaTier, receivedAt);
        Classification = setup.Classification;
        Tier = Math.Clamp(setup.Classification.Tier, 1, 3);
        EscalationReason = setup.Classification.Route == Routes.Escalate ? string.Join("; ", setup.Classification.Reasons) : "";
        if (AroundTheClockRule.Applies(setup.Classification))
        {
            // A P1 or a security incident on Sunday night does not wait for Monday.
            AroundTheClock = true;
            Hours = BusinessHours.AroundTheClock;
            Sla = StartSla(receivedAt);
        }
    }

    public TaskOrchestrationContext Context => context;

    public string TicketId { get; }

    public TicketSetup Setup { get; }

    public DateTimeOffset ReceivedAt { get; }

    public EventInbox Inbox { get; }

    public LifecycleSettings Settings => Setup.Lifecycle;

    public P1Settings P1 => Setup.P1;

    public BusinessHours Hours { get; private set; }

    public bool AroundTheClock { get; private set; }

    public SlaClock Sla { get; set; }

    public TicketClassification Classification { get; set; }

    public Stage Stage { get; private set; } = Stage.Classified;

    public Phase Phase { get; set; }

    public int Tier { get; set; }

    public string Answer { get; set; } = RequesterAnswers.None;

    public string EscalationReason { get; set; }

    /// <summary>What the requester is told about why automation handed over, when a playbook says.</summary>
    public string? EscalationTold { get; set; }

    public string? Attempted { get; set; }

    public int Attempts { get; set; }

    /// <summary>A device the requester named in a "wrong guide" reply: the next playbook run is for it.</summary>
    public string? Device { get; set; }

    /// <summary>The requester proved the address is theirs (the proof link).</summary>
    public bool Proven { get; set; }

    public int Reopens { get; set; }

    public int Replies { get; set; }

    public int Alerts { get; set; }

    public int Plans { get; set; }

    public int Failures { get; set; }

    /// <summary>How many times the ticket went to a person: step names of each hand-over are its own.</summary>
    public int Escalations { get; set; }

    /// <summary>Pages to the on-call for this escalation of a P1 (0 when not paging).</summary>
    public int Pages { get; set; }

    public DateTimeOffset LastPageAt { get; set; }

    /// <summary>One clarifying question before anything escalates or reopens.</summary>
    public bool Clarified { get; set; }

    /// <summary>A person paused the SLA (the PSA's "waiting on customer" or the ops page); only they resume it.</summary>
    public bool WaitingInPsa { get; set; }

    public int PsaSteps { get; set; }

    /// <summary>The incident this ticket is part of, when it is an outage or security ticket.</summary>
    public IncidentLink? Incident { get; set; }

    /// <summary>Another ticket leads this one's incident: its engineer's plan and fix come from there, and this one pages nobody.</summary>
    public bool FollowsIncident => Incident is { } i && !i.IsLead(TicketId);

    /// <summary>
    /// The lead of an incident passes its engineer's plan or fix to every other ticket of the
    /// incident, so each requester hears the same update (through their own workflow and mails).
    /// </summary>
    public async Task ShareWithIncidentAsync(TicketEvent e, bool close)
    {
        if (Incident is not { } incident || !incident.IsLead(TicketId)) return;
        var members = await context.IncidentMembersAsync(new IncidentMembersInput(Setup.ClientId, incident.IncidentId, close));
        foreach (var member in members.Where(m => m != TicketId))
            context.SendEvent(TicketIds.OrchestrationInstanceId(member), TicketEvents.Name, e with { Source = "incident" });
    }

    /// <summary>When a person first answered the requester: escalation mails then promise the resolution time.</summary>
    public DateTimeOffset? PersonRespondedAt { get; set; }

    public DateTimeOffset Now => new(context.CurrentUtcDateTime, TimeSpan.Zero);

    /// <summary>
    /// The ticket was classified again (an uncertain ticket's answer): a P1 or security incident
    /// now runs around the clock from here, with its own SLA window.
    /// </summary>
    public void Reclassified(TicketClassification again)
    {
        ArgumentNullException.ThrowIfNull(again);
        Classification = again;
        Tier = Math.Clamp(again.Tier, 1, 3);
        if (!AroundTheClock && AroundTheClockRule.Applies(again))
        {
            AroundTheClock = true;
            Hours = BusinessHours.AroundTheClock;
            Sla = StartSla(Now);
        }
    }

    public Stage Advance(StageStep step) => Stage = StageMoves.After(Stage, step);

    public SlaClock StartSla(DateTimeOffset at) =>
        AroundTheClock ? SlaClock.Start(Setup.SlaTier, at, TimeSpan.FromMinutes(P1.ResolutionMinutes)) : SlaClock.Start(Setup.SlaTier, at);

    public SlaView SlaView() => Domain.Lifecycle.SlaView.Of(Setup.SlaTier, ReceivedAt, Sla, Hours, AroundTheClock ? P1 : null, PersonRespondedAt);

    /// <summary>
    /// When a message to the requester may go out: inside the client's business hours (a reminder
    /// at 23:17 helps nobody), except for P1 and security tickets, which run around the clock.
    /// </summary>
    public DateTimeOffset InRequesterHours(DateTimeOffset at) => AroundTheClock ? at : BusinessTime.NextOpen(at, Setup.Hours);

    /// <summary>The custom status: stage, phase and the nearest of the deadlines the phase waits on.</summary>
    public void SetStatus(IReadOnlyDictionary<string, DateTimeOffset?>? deadlines = null)
    {
        var next = (deadlines ?? new Dictionary<string, DateTimeOffset?>()).Where(d => d.Value is not null).OrderBy(d => d.Value).FirstOrDefault();
        context.SetCustomStatus(new TicketWorkflowStatus(Wire(Stage), Phase.ToString().ToLowerInvariant())
        {
            Category = Classification.Category,
            Tier = Tier,
            NextDeadline = next.Value,
            NextDeadlineIs = next.Key,
        });
    }

    private static string Wire(Stage stage) => System.Text.Json.JsonSerializer.Serialize(stage).Trim('"');

    public Task MailAsync(UpdateKind kind, string step, string? text = null, Stage? stage = null) =>
        context.SendUpdateAsync(new UpdateInput(TicketId, Now, kind, step) { Text = text, Sla = SlaView(), Stage = stage });

    public Task AlertAsync(string kind, int tier, string message, string? audience = null) =>
        context.NotifyTierAsync(new AlertInput(TicketId, Now, $"{kind}-{++Alerts}", kind, tier, message, audience));

    public Task UpdateAsync(string step, string note, string? outcome = null, Stage? stage = null) =>
        context.UpdateTicketAsync(new TicketUpdate(TicketId, Now, step, note) { Outcome = outcome, Stage = stage, Tier = Tier, Sla = SlaView(), Cycle = Reopens });

    /// <summary>Pages the on-call about a P1 nobody has planned for yet.</summary>
    public async Task PageAsync()
    {
        LastPageAt = Now;
        Pages++;
        await context.NotifyTierAsync(new AlertInput(
            TicketId, Now, $"p1-page-{Escalations}-{Pages}", Pages == 1 ? AlertKinds.P1Page : AlertKinds.P1Repage, Tier,
            $"P1 {TicketId}: page {Pages} of {P1.MaxPages}, no plan recorded yet ({EscalationReason})", "oncall"));
    }

    public async Task ClarifyAsync(string step)
    {
        Clarified = true;
        await MailAsync(UpdateKind.Clarify, step, stage: Stage);
    }

    /// <summary>
    /// What a reply means: autotier's own tables first; only when they cannot tell and the client's
    /// assistant is configured, the assistant (which may find a new problem: that becomes a linked
    /// ticket of its own). A failed reading is as unclear as before.
    /// </summary>
    public async Task<ReplyReading> ReadReplyAsync(TicketEvent reply, string question, string? device = null)
    {
        var reading = ReplyReader.Read(reply.Text ?? "", device);
        if (reading.Meaning != ReplyMeaning.Unclear || !Setup.Assistant) return reading;
        try
        {
            var read = await context.ReadReplyAsync(new ReadReplyInput(TicketId, Now, $"read-reply-{Replies + 1}", reply.From ?? "", reply.Text ?? "", question));
            return read.Answer switch
            {
                "yes" => new ReplyReading(ReplyMeaning.Yes),
                "no" => new ReplyReading(ReplyMeaning.No),
                "new_issue" => new ReplyReading(ReplyMeaning.NewIssue),
                _ => reading,
            };
        }
        catch (TaskFailedException)
        {
            return reading;
        }
    }

    public async Task RecordReplyAsync(TicketEvent reply, ReplyReading reading, bool notify) =>
        await context.RecordReplyAsync(new ReplyInput(
            TicketId, Now, $"reply-{++Replies}", reply.From ?? "", reply.Text ?? "", reading.Wire, Tier, notify));

    /// <summary>An engineer's fix: their note stays internal; the requester hears the public note or a plain line.</summary>
    public async Task ResolvedByEngineerAsync(TicketEvent resolved, string step)
    {
        Sla = Sla.Pause(Now, Hours);
        WaitingInPsa = false;
        Advance(StageStep.Resolved);
        var where = resolved.FromPsa ? " in the PSA" : "";
        await context.RecordOutcomeAsync(new OutcomeInput(TicketId, Now, step, Outcomes.ResolvedByEngineer, $"Resolved by {resolved.By}{where}.")
        {
            Note = resolved.Note,
            Engineer = resolved.By,
            Sla = SlaView(),
            Cycle = Reopens,
            InPsa = resolved.FromPsa,
        });
        PersonRespondedAt ??= Now;
        await MailAsync(UpdateKind.ResolvedByEngineer, step, resolved.PublicNote);
    }

    /// <summary>The requester's yes: the guide they were sent fixed it.</summary>
    public async Task ResolvedByRequesterAsync(string step, string summary)
    {
        Advance(StageStep.Resolved);
        await context.RecordOutcomeAsync(new OutcomeInput(TicketId, Now, step, Outcomes.ResolvedConfirmed, summary) { Sla = SlaView(), Cycle = Reopens });
        await MailAsync(UpdateKind.Resolved, step, Attempted);
    }

    /// <summary>An engineer's customer-facing note in the PSA reaches the requester as a public update.</summary>
    public Task PublicUpdateAsync(TicketEvent update) =>
        MailAsync(UpdateKind.Plan, $"psa-update-{Reopens}-{++PsaSteps}", update.Text);

    /// <summary>
    /// A person holds the SLA: the PSA's status "waiting on customer", or "pause the SLA" on the ops
    /// page, pauses the clock while it runs, and a move back to an open status (or "resume") starts it
    /// again. Only a pause a person made is lifted here: the clock the workflow paused itself (waiting
    /// on the requester's answer) is not theirs to start.
    /// </summary>
    public async Task HoldAsync(TicketEvent waiting)
    {
        if (waiting.IsWaiting == true && Sla.RunningSince is not null)
        {
            Sla = Sla.Pause(Now, Hours);
            WaitingInPsa = true;
        }
        else if (waiting.IsWaiting != true && WaitingInPsa)
        {
            Sla = Sla.Resume(Now);
            WaitingInPsa = false;
        }
        else
        {
            return;
        }
        var step = $"psa-status-{Reopens}-{++PsaSteps}";
        if (waiting.FromPsa)
        {
            await UpdateAsync(step, WaitingInPsa
                ? $"{waiting.By} set the PSA ticket to waiting on the requester: the SLA clock is paused"
                : $"{waiting.By} set the PSA ticket back to open: the SLA clock runs again");
            return;
        }
        // From the ops page: the PSA hears it too (an internal note), as it hears a plan made there.
        var note = WaitingInPsa
            ? $"{waiting.By} paused the SLA clock on the ops page: waiting on the requester"
            : $"{waiting.By} resumed the SLA clock on the ops page";
        await context.UpdateTicketAsync(new TicketUpdate(TicketId, Now, step, note) { PsaNote = note, Tier = Tier, Sla = SlaView(), Cycle = Reopens });
    }
}
