using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Replies;
using Autotier.Domain.Resolutions;
using Autotier.Domain.Tickets;
using Autotier.Workflow.Activities.Lifecycle;

namespace Autotier.Workflow.Ticket;

/// <summary>The phases before a person has the ticket: one clarifying question, the playbook, the requester's answer.</summary>
public static class AutomationPhases
{
    /// <summary>At most this many playbook runs per ticket (a wrong-guide answer re-runs it for the right device).</summary>
    public const int MaxAttempts = 3;

    /// <summary>
    /// An uncertain ticket starts at tier 1 with one clarifying question to the requester, not with
    /// a person and nothing sent. Their answer is classified again with the ticket; silence after a
    /// reminder, or an answer still unclear, goes to a person at tier 1.
    /// </summary>
    public static async Task<Phase> ClarifyingAsync(TicketRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.Tier = 1;
        await run.MailAsync(UpdateKind.ClarifyUncertain, "clarify-uncertain");
        var askedAt = run.Now;
        var silenceAt = run.InRequesterHours(askedAt + TimeSpan.FromHours(run.Settings.ReminderAfterHours));
        for (; ; )
        {
            var deadlines = new Dictionary<string, DateTimeOffset?> { ["silence"] = silenceAt };
            run.SetStatus(deadlines);
            var wake = await run.Inbox.NextAsync(deadlines);
            if (wake.Deadline is not null)
            {
                run.Answer = RequesterAnswers.Silence;
                run.EscalationReason = "the classifier was unsure and the requester did not answer its question";
                return Phase.Escalate;
            }
            var e = wake.Event!;
            if (e.Kind == TicketEvent.Resolved)
            {
                await run.ResolvedByEngineerAsync(e, "resolved-by-engineer-clarifying");
                return Phase.Closed;
            }
            if (e.Kind == TicketEvent.Update)
            {
                await run.PublicUpdateAsync(e);
                continue;
            }
            if (e.Kind != TicketEvent.Reply) continue;
            await run.RecordReplyAsync(e, new ReplyReading(ReplyMeaning.Unclear, null), notify: false);
            var again = await run.Context.ClassifyClarifiedAsync(new ClarifiedInput(run.TicketId, run.Now, $"clarified-{run.Replies}", e.Text ?? ""));
            run.Reclassified(again);
            if (again.Route == Routes.Auto) return Phase.Automation;
            run.EscalationReason = "after the requester's answer: " + string.Join("; ", again.Reasons);
            // An outage or security incident found by the answer joins its incident as any other would.
            run.Incident ??= await run.Context.LinkIncidentAsync(new IncidentInput(run.TicketId, run.Now));
            return Phase.Escalate;
        }
    }

    /// <summary>Resolve it ourselves with the documented playbook, then wait on the requester.</summary>
    public static async Task<Phase> AutomationAsync(TicketRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.Advance(StageStep.Resolving);
        run.SetStatus();
        // From the moment the guide goes out we wait on the requester: the SLA clock stops.
        run.Sla = run.Sla.Pause(run.Now, run.Hours);
        for (; ; )
        {
            var attempt = ++run.Attempts;
            var ran = await run.Context.RunPlaybookAsync(new PlaybookInput(run.TicketId, run.Now, attempt, run.SlaView(), run.Proven) { Device = run.Device, Cycle = run.Reopens });
            if (ran.NeedsProof && !run.Proven)
            {
                var proof = await ProvenAsync(run);
                if (proof == Proof.Given) continue;
                if (proof == Proof.Resolved) return Phase.Closed;
                run.EscalationReason = "the playbook changes an account and the requester did not confirm the address is theirs";
                run.Sla = run.Sla.Resume(run.Now);
                return Phase.Escalate;
            }
            if (!ran.Ran)
            {
                run.EscalationReason = ran.Reason ?? "the playbook could not run";
                run.EscalationTold = ran.Told;
                run.Sla = run.Sla.Resume(run.Now);
                return Phase.Escalate;
            }
            run.Attempted = ran.Title;
            run.Advance(StageStep.GuideSent);
            return Phase.Awaiting;
        }
    }

    private enum Proof { Given, NotGiven, Resolved }

    /// <summary>
    /// Asks the requester to prove the address is theirs, until the proof link is used, the wait
    /// runs out, or an engineer resolves the ticket meanwhile. Replies are kept and PSA notes passed on.
    /// </summary>
    private static async Task<Proof> ProvenAsync(TicketRun run)
    {
        await run.MailAsync(UpdateKind.ProofRequest, $"proof-{run.Attempts}");
        // Shown as its own phase while it waits: the ops page and the tests see the workflow at rest.
        run.Phase = Phase.Proving;
        var until = run.InRequesterHours(run.Now + TimeSpan.FromHours(run.Settings.ReminderAfterHours));
        try
        {
            for (; ; )
            {
                var deadlines = new Dictionary<string, DateTimeOffset?> { ["proof"] = until };
                run.SetStatus(deadlines);
                var wake = await run.Inbox.NextAsync(deadlines);
                if (wake.Deadline is not null) return Proof.NotGiven;
                var e = wake.Event!;
                switch (e.Kind)
                {
                    case TicketEvent.Proof:
                        run.Proven = true;
                        return Proof.Given;
                    case TicketEvent.Resolved:
                        await run.ResolvedByEngineerAsync(e, "resolved-by-engineer-proof");
                        return Proof.Resolved;
                    case TicketEvent.Reply:
                        await run.RecordReplyAsync(e, ReplyReader.Read(e.Text ?? ""), notify: false);
                        break;
                    case TicketEvent.Update:
                        await run.PublicUpdateAsync(e);
                        break;
                    default:
                        break;
                }
            }
        }
        finally
        {
            run.Phase = Phase.Automation;
        }
    }

    /// <summary>"Did this resolve your issue?": the links, a mail reply, an engineer's fix, or silence.</summary>
    public static async Task<Phase> AwaitingAsync(TicketRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var next = await AwaitAnswerAsync(run);
        if (next == Phase.Escalate) run.Sla = run.Sla.Resume(run.Now);
        return next;
    }

    private static async Task<Phase> AwaitAnswerAsync(TicketRun run)
    {
        var settings = run.Settings;
        DateTimeOffset? reminderAt = run.InRequesterHours(run.Now + TimeSpan.FromHours(settings.ReminderAfterHours));
        DateTimeOffset? silenceAt = null;
        for (; ; )
        {
            var deadlines = new Dictionary<string, DateTimeOffset?> { ["reminder"] = reminderAt, ["silence"] = silenceAt };
            run.SetStatus(deadlines);
            var wake = await run.Inbox.NextAsync(deadlines);
            if (wake.Deadline == "reminder")
            {
                await run.MailAsync(UpdateKind.Reminder, $"reminder-{run.Attempts}");
                // Count from when the reminder was due, so a late wake-up (a restart) does not stretch the wait.
                silenceAt = run.InRequesterHours(reminderAt!.Value + TimeSpan.FromHours(settings.SilenceAfterHours));
                reminderAt = null;
                continue;
            }
            if (wake.Deadline is not null) return await SilenceAsync(run);
            var e = wake.Event!;
            ReplyMeaning meaning;
            if (e.Kind == TicketEvent.Confirmation)
            {
                meaning = e.Answer == "yes" ? ReplyMeaning.Yes : ReplyMeaning.No;
            }
            else if (e.Kind == TicketEvent.Reply)
            {
                // Read against the guide's device: "it's the printer, still jams" answers the question.
                var reading = await run.ReadReplyAsync(e, $"Did \"{run.Attempted ?? "the help we sent"}\" resolve the issue?", run.Device ?? run.Classification.Device);
                await run.RecordReplyAsync(e, reading, notify: false);
                meaning = reading.Meaning;
                // A different problem became a ticket of its own; this one still waits for its answer.
                if (meaning == ReplyMeaning.NewIssue) continue;
                if (meaning == ReplyMeaning.WrongGuide)
                {
                    // "This is about my mouse, not the printer": the right guide, not a person, unless we tried enough.
                    if (reading.Device is { } device && run.Attempts < MaxAttempts)
                    {
                        run.Device = device;
                        return Phase.Automation;
                    }
                    run.EscalationReason = "the requester says the guide was for the wrong problem";
                    run.Answer = RequesterAnswers.No;
                    return Phase.Escalate;
                }
                if (meaning == ReplyMeaning.Unclear && !run.Clarified)
                {
                    await run.ClarifyAsync($"clarify-{run.Attempts}");
                    continue;
                }
            }
            else if (e.Kind == TicketEvent.Resolved)
            {
                // An engineer fixed it while we waited: that is not the requester's yes.
                await run.ResolvedByEngineerAsync(e, "resolved-by-engineer-awaiting");
                return Phase.Closed;
            }
            else if (e.Kind == TicketEvent.Update)
            {
                await run.PublicUpdateAsync(e);
                continue;
            }
            else
            {
                continue; // a plan before escalation (the events API answers 409), a PSA status
            }
            run.Answer = meaning == ReplyMeaning.Yes ? RequesterAnswers.Yes : meaning == ReplyMeaning.No ? RequesterAnswers.No : RequesterAnswers.Unclear;
            if (meaning == ReplyMeaning.Yes)
            {
                await run.ResolvedByRequesterAsync("resolved", $"The requester confirmed that \"{run.Attempted ?? "the guide"}\" fixed it.");
                return Phase.Closed;
            }
            run.EscalationReason = meaning == ReplyMeaning.No
                ? "the requester said the guide did not fix it"
                : "the requester replied and a person should read it";
            return Phase.Escalate;
        }
    }

    /// <summary>No answer after a reminder: the category's silence policy closes or escalates.</summary>
    private static async Task<Phase> SilenceAsync(TicketRun run)
    {
        run.Answer = RequesterAnswers.Silence;
        if (run.Settings.SilenceFor(run.Classification.Category) != SilencePolicy.Close)
        {
            run.EscalationReason = "the requester did not answer after a reminder";
            return Phase.Escalate;
        }
        run.Advance(StageStep.ClosedUnconfirmed);
        await run.Context.RecordOutcomeAsync(new OutcomeInput(
            run.TicketId, run.Now, "closed-unconfirmed", Outcomes.ResolvedUnconfirmed,
            $"No answer after the guide \"{run.Attempted ?? ""}\" and a reminder; closed as resolved, unconfirmed.") { Sla = run.SlaView(), Cycle = run.Reopens });
        await run.MailAsync(UpdateKind.ClosedUnconfirmed, "closed-unconfirmed");
        return Phase.Closed;
    }
}
