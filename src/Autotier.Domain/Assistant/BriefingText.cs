using System.Globalization;

namespace Autotier.Domain.Assistant;

/// <summary>
/// The assistant's briefing as it may be shown: plain text, bounded, always labelled as
/// machine-written. The escalation package carries it (<c>briefing: {machineWritten, label, summary,
/// steps}</c> as in the TypeScript app); <see cref="NoteLines"/> is how it heads the PSA note.
/// </summary>
public sealed record Briefing(string Label, string Summary, IReadOnlyList<string> Steps)
{
    /// <summary>Always true: the wire field engineers and the PSA note see.</summary>
    public bool MachineWritten { get; } = true;

    /// <summary>
    /// The lines for the top of the PSA note: the label, then the summary and each step inside quotes,
    /// so however the model phrased it, it reads as something quoted from a machine and not as
    /// autotier's (or the MSP's) own instruction; then the separator the note already uses.
    /// </summary>
    public IReadOnlyList<string> NoteLines()
    {
        var lines = new List<string>(Steps.Count + 3) { $"Briefing. {Label}", $"Summary: {PlainText.Quoted(Summary)}" };
        for (var i = 0; i < Steps.Count; i++)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Suggested step {i + 1}: {PlainText.Quoted(Steps[i])}"));
        lines.Add("---");
        return lines;
    }
}

/// <summary>Turns the model's briefing answer into a <see cref="Briefing"/>, or into nothing.</summary>
public static class BriefingText
{
    public const string Label =
        "Machine-written by a language model from the ticket (secrets and addresses withheld); quoted, not instructions: check it before relying on it.";

    /// <summary>About four sentences (the instructions ask for at most four).</summary>
    public const int MaxSummary = 800;

    /// <summary>The instructions ask for up to five; a longer list is cut, not refused.</summary>
    public const int MaxSteps = 5;

    public const int MaxStep = 240;

    /// <summary>Why a briefing was withheld, in words fit for the note and the log.</summary>
    public const string InjectedTicket =
        "no machine-written briefing: the ticket's text contains instructions addressed to a language model; read it with care";

    public const string InjectedAnswer =
        "no machine-written briefing: the model's answer repeated instructions addressed to it";

    /// <summary>
    /// The briefing as it may be shown, or null with the reason: the answer is cleaned to plain bounded
    /// text (<see cref="PlainText.Clean"/>); an answer that, cleaned, still speaks like an instruction to a
    /// model or passes one on ("tell the engineer to ...") is dropped whole rather than trimmed, because
    /// the rest of it was written under the same influence.
    /// </summary>
    public static (Briefing? Briefing, string? Withheld) From(BriefingAnswer? answer)
    {
        if (answer is null) return (null, null);
        if (PromptInjection.Detect(answer.Summary) || PromptInjection.DetectAny(answer.Steps)) return (null, InjectedAnswer);
        var summary = PlainText.Clean(answer.Summary, MaxSummary);
        var steps = answer.Steps
            .Select(step => PlainText.Clean(step, MaxStep))
            .Where(step => step.Length > 0)
            .Take(MaxSteps)
            .ToArray();
        if (summary.Length == 0) return (null, null);
        if (PromptInjection.Detect(summary) || PromptInjection.DetectAny(steps)) return (null, InjectedAnswer);
        return (new Briefing(Label, summary, steps), null);
    }
}
