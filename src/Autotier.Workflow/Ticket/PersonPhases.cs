using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Replies;
using Autotier.Domain.Tickets;
using Autotier.Workflow.Activities.Lifecycle;
using Microsoft.DurableTask;

namespace Autotier.Workflow.Ticket;

/// <summary>The phases with a person: the hand-over, the tiers and SLA deadlines, and the reopen window after the close.</summary>
public static class PersonPhases
{
    /// <summary>How often a breached, still-open ticket re-alerts its owner and the duty manager (doubling, up to a business day).</summary>
    public static readonly TimeSpan FirstBreachReminder = TimeSpan.FromHours(1);

    public static readonly TimeSpan LongestBreachReminder = TimeSpan.FromHours(8);

    /// <summary>Hand over with the full package, and tell the requester when to expect an answer.</summary>
    public static async Task<Phase> EscalateAsync(TicketRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.Tier = Math.Clamp(Math.Max(run.Tier, run.Classification.Route == Routes.Auto ? 1 : run.Classification.Tier), 1, 3);
        run.Advance(StageStep.Escalated);
        run.Escalations++;
        var step = $"escalation-{run.Reopens}-{run.Tier}" + (run.Failures > 0 ? $"-f{run.Failures}" : "");
        try
        {
            await run.Context.EscalateAsync(new EscalateInput(run.TicketId, run.Now, step, run.Tier, run.EscalationReason, run.Answer, run.SlaView())
            {
                OnCall = run.AroundTheClock,
                Quiet = run.FollowsIncident,
                Cycle = run.Reopens,
            });
        }
        catch (TaskFailedException e)
        {
            // The full hand-over failed: the tier still hears of it.
            await run.AlertAsync("escalation", run.Tier,
                $"{run.TicketId} needs a person ({run.EscalationReason}); the hand-over failed: {Failure.Reason(e)}",
                run.AroundTheClock ? "oncall" : null);
        }
        await run.MailAsync(UpdateKind.Escalated, $"escalated-{run.Reopens}", run.EscalationTold);
        run.EscalationTold = null;
        run.Pages = 0;
        if (run.AroundTheClock && !run.FollowsIncident) await run.PageAsync();
        return Phase.Escalated;
    }

    /// <summary>
    /// With a person: tier time limits chain upwards, the SLA warns at 75% and alerts on breach
    /// (P1 and security: to on-call), the P1 pager repeats until someone records a plan, and a
    /// breached ticket that is still open keeps re-alerting its owner and the duty manager (at a
    /// growing interval) so it always has a next deadline. An engineer's fix or a late yes resolves.
    /// </summary>
    public static async Task<Phase> EscalatedAsync(TicketRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var settings = run.Settings;
        // Tier limits count business time: nobody is expected to record a plan at 3 a.m.
        DateTimeOffset TierLimit(DateTimeOffset from) => BusinessTime.Add(from, settings.TierLimit(run.Tier), run.Hours);
        // A ticket that follows an incident waits for the lead's engineer: the lead carries the
        // tier limits, the pager and the SLA alerts for all of them.
        var quiet = run.FollowsIncident;
        DateTimeOffset? tierDeadline = quiet ? null : TierLimit(run.Now);
        DateTimeOffset? breachReminder = null;
        var breachReminders = 0;
        var planned = false;
        for (; ; )
        {
            var deadlines = new Dictionary<string, DateTimeOffset?>
            {
                ["tierLimit"] = tierDeadline,
                ["repage"] = run.Pages > 0 && run.Pages < run.P1.MaxPages ? run.LastPageAt + TimeSpan.FromMinutes(run.P1.RepageMinutes) : null,
                ["slaWarning"] = run.Sla.Warned || quiet ? null : run.Sla.Reaches(SlaPolicies.WarningFraction, run.Hours),
                // Followers keep the breach and its reminders: if the lead's engineer never acts (or the
                // lead's workflow fails), each ticket still ends up in front of a person.
                ["slaBreach"] = run.Sla.Breached ? null : run.Sla.Reaches(1, run.Hours),
                ["breachReminder"] = run.Sla.Breached && run.Sla.RunningSince is not null ? breachReminder : null,
            };
            run.SetStatus(deadlines);
            var wake = await run.Inbox.NextAsync(deadlines);
            switch (wake.Deadline)
            {
                case "tierLimit":
                    if (run.Tier < settings.MaxTier)
                    {
                        await HandUpAsync(run);
                        tierDeadline = TierLimit(tierDeadline ?? run.Now);
                    }
                    else
                    {
                        await run.AlertAsync("tier_limit_passed", run.Tier, $"No plan recorded at tier {run.Tier} within its time limit");
                        tierDeadline = null;
                    }
                    continue;
                case "repage":
                    await run.PageAsync();
                    continue;
                case "slaWarning":
                    run.Sla = run.Sla with { Warned = true };
                    await run.AlertAsync("sla_warning", run.Tier, $"75% of the resolution time is used; due {run.SlaView().ResolutionDue:O}", OnCallIfP1(run));
                    await run.UpdateAsync($"sla-warning-{run.Escalations}", "SLA warning: 75% of the resolution time used", StepOutcomes.SlaWarning);
                    continue;
                case "slaBreach":
                    run.Sla = run.Sla with { Breached = true };
                    await run.AlertAsync("sla_breach", run.Tier, "The resolution SLA is breached", OnCallIfP1(run));
                    await run.UpdateAsync($"sla-breach-{run.Escalations}", "SLA breached: the resolution deadline passed", StepOutcomes.SlaBreach);
                    breachReminder = BusinessTime.Add(run.Now, FirstBreachReminder, run.Hours);
                    continue;
                case "breachReminder":
                    breachReminders++;
                    var overdue = BusinessTime.Between(run.Sla.Reaches(1, run.Hours) ?? run.Now, run.Now, run.Hours);
                    var message = $"Still open {Hours(overdue)} after its resolution SLA was breached (reminder {breachReminders})";
                    await run.AlertAsync("sla_breach_reminder", run.Tier, message, OnCallIfP1(run));
                    await run.AlertAsync("sla_breach_reminder", run.Tier, message, "manager");
                    var interval = TimeSpan.FromTicks(Math.Min(LongestBreachReminder.Ticks, FirstBreachReminder.Ticks << Math.Min(breachReminders, 10)));
                    breachReminder = BusinessTime.Add(run.Now, interval, run.Hours);
                    continue;
                case not null:
                    continue;
            }
            var e = wake.Event!;
            if (e.Kind == TicketEvent.Plan)
            {
                tierDeadline = null;
                planned = true;
                await PlanAsync(run, e);
                await run.ShareWithIncidentAsync(e, close: false);
            }
            else if (e.Kind == TicketEvent.Update)
            {
                // An engineer who writes to the requester in the PSA is working on it: a plan, told publicly.
                tierDeadline = null;
                planned = true;
                var asPlan = new TicketEvent(TicketEvent.Plan) { By = e.By, Note = $"Public note in the PSA: {e.Text}", PublicNote = e.Text, Source = "psa" };
                await PlanAsync(run, asPlan);
                await run.ShareWithIncidentAsync(asPlan, close: false);
            }
            else if (e.Kind == TicketEvent.Waiting)
            {
                await run.HoldAsync(e);
            }
            else if (e.Kind == TicketEvent.IncidentChanged)
            {
                // Linked or unlinked on the ops page (the stores already say so): a ticket that now
                // follows a lead goes quiet, one on its own again gets its own tier time limit back
                // unless someone already has a plan.
                run.Incident = e.Incident;
                if (run.FollowsIncident != quiet)
                {
                    quiet = run.FollowsIncident;
                    tierDeadline = quiet || planned ? null : TierLimit(run.Now);
                }
            }
            else if (await ResolvesAsync(run, e))
            {
                return Phase.Closed;
            }
        }
    }

    private static string? OnCallIfP1(TicketRun run) => run.AroundTheClock ? "oncall" : null;

    private static string Hours(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours} business hours" : $"{(int)t.TotalMinutes} minutes";

    /// <summary>No plan in time: the next tier has it now.</summary>
    private static async Task HandUpAsync(TicketRun run)
    {
        var from = run.Tier++;
        await run.Context.UpdateTicketAsync(new TicketUpdate(run.TicketId, run.Now, $"tier-{run.Tier}-{run.Escalations}",
            $"No plan from tier {from} within {(int)run.Settings.TierLimit(from).TotalMinutes} minutes; handed up to tier {run.Tier}")
        {
            Outcome = StepOutcomes.HandedUp,
            Tier = run.Tier,
            Cycle = run.Reopens,
        });
        await run.AlertAsync("tier_handoff", run.Tier, $"No plan from tier {from} in time; {run.TicketId} is now yours");
        await run.MailAsync(UpdateKind.HandedUp, $"handed-up-{run.Escalations}-{run.Tier}");
    }

    /// <summary>Someone has it: the tier timer and the pager stop; the requester hears the public note.</summary>
    private static async Task PlanAsync(TicketRun run, TicketEvent plan)
    {
        run.Pages = 0;
        run.Tier = Math.Clamp(plan.Tier ?? run.Tier, 1, 3);
        var step = $"plan-{run.Reopens}-{++run.Plans}";
        if (plan.PublicNote is not null) run.PersonRespondedAt ??= run.Now;
        var note = $"Plan recorded by {plan.By} (tier {run.Tier}): {plan.Note}";
        await run.Context.UpdateTicketAsync(new TicketUpdate(run.TicketId, run.Now, step, note)
        {
            // A plan made in the PSA is already there.
            PsaNote = plan.FromPsa ? null : note,
            Outcome = StepOutcomes.Plan,
            Tier = run.Tier,
            Owner = plan.By,
            Responded = plan.PublicNote is not null,
            Sla = run.SlaView(),
            Cycle = run.Reopens,
        });
        await run.MailAsync(UpdateKind.Plan, step, plan.PublicNote);
    }

    /// <summary>An engineer's fix or a late yes ends the escalation; a reply goes to the tier.</summary>
    private static async Task<bool> ResolvesAsync(TicketRun run, TicketEvent e)
    {
        if (e.Kind == TicketEvent.Resolved)
        {
            await run.ResolvedByEngineerAsync(e, $"resolved-by-engineer-{run.Reopens}");
            await run.ShareWithIncidentAsync(e, close: true);
            return true;
        }
        if (e.Kind == TicketEvent.Reply)
        {
            await run.RecordReplyAsync(e, ReplyReader.Read(e.Text ?? ""), notify: true);
            return false;
        }
        if (e.Kind == TicketEvent.Confirmation && e.Answer == "yes")
        {
            // A late "yes" from the guide mail: the requester fixed it after all.
            run.Sla = run.Sla.Pause(run.Now, run.Hours);
            await run.ResolvedByRequesterAsync($"resolved-late-{run.Reopens}", $"The requester confirmed that \"{run.Attempted ?? "the guide"}\" fixed it after escalation.");
            return true;
        }
        return false;
    }

    /// <summary>A reply within the reopen window reopens and escalates; otherwise the ticket closes.</summary>
    public static async Task<Phase> ClosedAsync(TicketRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.Clarified = false;
        var reopenUntil = run.Now + TimeSpan.FromDays(run.Settings.ReopenWindowDays);
        run.SetStatus(new Dictionary<string, DateTimeOffset?> { ["reopenWindow"] = reopenUntil });
        if (!await ReopenedBeforeAsync(run, reopenUntil))
        {
            var before = run.Stage;
            if (run.Advance(StageStep.ReopenWindowPassed) != before)
                await run.UpdateAsync("closed", "Closed: the reopen window passed", StepOutcomes.Closed, run.Stage);
            return Phase.Done;
        }
        run.Reopens++;
        await run.Context.UpdateTicketAsync(new TicketUpdate(run.TicketId, run.Now, $"reopen-{run.Reopens}", $"Reopened by the requester (reopen {run.Reopens})")
        {
            Outcome = StepOutcomes.Reopened,
            Stage = run.Advance(StageStep.Reopened),
            Reopens = run.Reopens,
        });
        await run.AlertAsync("reopened", Math.Max(run.Tier, 1), $"{run.TicketId} was reopened by the requester");
        await run.MailAsync(UpdateKind.Reopened, $"reopened-{run.Reopens}");
        run.Sla = run.StartSla(run.Now);
        run.PersonRespondedAt = null;
        // The incident was resolved: a ticket that comes back is its own again (its own pages and deadlines).
        run.Incident = null;
        run.Answer = RequesterAnswers.No;
        run.EscalationReason = "the requester reopened the ticket after it was closed";
        return Phase.Escalate;
    }

    /// <summary>Waits out the reopen window; true when a reply (not a "thanks!") reopens the ticket.</summary>
    private static async Task<bool> ReopenedBeforeAsync(TicketRun run, DateTimeOffset reopenUntil)
    {
        for (; ; )
        {
            var wake = await run.Inbox.NextAsync(new Dictionary<string, DateTimeOffset?> { ["reopenWindow"] = reopenUntil });
            if (wake.Deadline is not null) return false;
            var e = wake.Event!;
            if (e.Kind == TicketEvent.Update)
            {
                await run.PublicUpdateAsync(e);
                continue;
            }
            // "No, I still need help" from the guide mail after the close: the page promised an engineer.
            if (e.Kind == TicketEvent.Confirmation && e.Answer == "no") return true;
            if (e.Kind != TicketEvent.Reply) continue;
            var reading = await run.ReadReplyAsync(e, "The issue was marked resolved and the ticket closed; the requester wrote again. Is it still fixed?");
            await run.RecordReplyAsync(e, reading, notify: false);
            // "thanks!" after the close is not a reopen, nor is a different problem (a ticket of its
            // own now); "it has locked me out again" is.
            if (reading.Meaning is ReplyMeaning.Yes or ReplyMeaning.NewIssue) continue;
            if (reading.Meaning == ReplyMeaning.Unclear && !run.Clarified)
            {
                await run.ClarifyAsync($"clarify-closed-{run.Reopens}-{run.Replies}");
                continue;
            }
            return true;
        }
    }
}

/// <summary>Why an activity failed, in words fit for a timeline (the exception type, never its data).</summary>
public static class Failure
{
    public static string Reason(TaskFailedException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.FailureDetails?.ErrorType is { Length: > 0 } type ? $"{e.TaskName} failed: {type}" : $"{e.TaskName} failed";
    }
}
