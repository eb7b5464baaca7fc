using System.Globalization;
using System.Text.RegularExpressions;
using Autotier.Domain.Text;

namespace Autotier.Domain.Classification;

/// <summary>What the classifier is given besides the ticket; everything is optional.</summary>
/// <param name="AutoThreshold">Calibrated confidence from which an automatable category is automated.</param>
/// <param name="Model">The trained category model; without one, keyword rules guess (as the TS does).</param>
/// <param name="Danger">The learned danger check; without one, only the rule screen guards.</param>
/// <param name="Calibration">Maps the raw score to observed accuracy; without one, the raw score is the confidence.</param>
/// <param name="ClarifyBelow">With a model, a calibrated confidence under this asks the requester one question.</param>
public sealed record ClassifierOptions(
    double AutoThreshold = 0.6,
    ICategoryModel? Model = null,
    DangerCheck? Danger = null,
    ConfidenceCalibration? Calibration = null,
    double ClarifyBelow = 0.5);

/// <summary>
/// The classifier (classifyTicket in src/domain/classification.ts), for every channel: the text is
/// cleaned first (HTML to text, quoted history, signatures, disclaimers, forwards), then the safety
/// checks that can only escalate (the rule screen and the learned danger check), then the decisive
/// messages, then the model (its own top label, which keyword hits may confirm but never replace),
/// calibration, and the route.
/// </summary>
/// <remarks>
/// Changes from the TypeScript, each from the review of issue #31: the clean-up runs here, not in
/// mail intake only; keywords no longer add confidence to categories the model did not choose (a
/// "password" in an account-takeover report lifted it into automation); a ticket nobody is sure
/// about goes to tier 1 with a question instead of to an engineer; the peripheral is named so the
/// right guide runs; reasons quote the words that decided.
/// </remarks>
public static partial class TicketClassifier
{
    /// <summary>Weight of one keyword-rule hit next to the model's probability (two hits at most count).</summary>
    private const double RulePrior = 0.45;

    /// <summary>The confidence given to what the rule screen or a decisive message settles.</summary>
    private const double ScreenConfidence = 0.95, DecisiveConfidence = 0.9;

    /// <summary>Classifies a ticket as it arrived; the body may be HTML.</summary>
    public static TicketClassification Classify(string subject, string body, ClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(body);
        options ??= new();
        var text = CleanText(subject, body);
        try
        {
            return ClassifyClean(text, options);
        }
        catch (RegexMatchTimeoutException)
        {
            // Crafted text stalled a pattern: the ticket could not be screened, so an engineer reads it.
            return new(Categories.Engineering, Priorities.P2, ScreenConfidence, Routes.Escalate, 3,
                ["never automated: the text could not be screened (a pattern timed out)"],
                Dangerous: true, DecidedBy: DecidedBy.Screen);
        }
    }

    /// <summary>
    /// The text every channel's ticket is classified on: subject and the requester's own words
    /// (an HTML body made text; quoted history, signatures, disclaimers and forward headers gone).
    /// </summary>
    public static string CleanText(string subject, string body)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(body);
        var plain = HtmlText.LooksLikeHtml(body) ? HtmlText.ToText(body) : body;
        if (ForwardSubject.IsMatch(subject)) plain = MarkForward(plain);
        return $"{subject}\n{TicketText.Clean(plain).Text}";
    }

    // "FW: Urgent payment" with "Is this real?" above an Outlook header block: in a forward the
    // mail below the header is what the ticket is about (a fraud, a licence banner), not history.
    [GeneratedRegex(@"^\s*(fw|fwd|wg|tr|rv|doorst|fs)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 250)]
    private static partial Regex ForwardSubject { get; }

    [GeneratedRegex(@"^[ \t]*\*?(from|von|de|van)[ \t]*:\*?[ \t]+\S", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 250)]
    private static partial Regex HeaderFrom { get; }

    /// <summary>
    /// Marks the first header block of a forwarded mail with a forward separator, so
    /// <see cref="TicketText.Clean(string)"/> keeps the forwarded mail (and drops only its header)
    /// as it does for Gmail's "Forwarded message" line.
    /// </summary>
    private static string MarkForward(string body)
    {
        var m = HeaderFrom.Match(body);
        return m.Success ? body[..m.Index] + "---------- Forwarded message ---------\n" + body[m.Index..] : body;
    }

    private static TicketClassification ClassifyClean(string text, ClassifierOptions options)
    {
        var folded = TextRules.FoldText(text);
        var reasons = new List<string>();
        var priority = CategoryRules.PriorityOf(folded, reasons);
        var language = Clarify.LanguageOf(folded);

        if (SafetyScreen.Screen(text) is { } danger)
        {
            reasons.Add($"never automated: {danger.Reason}");
            reasons.Add(danger.Explain());
            // An attack in progress or a site, server, phones or website down is P1 whatever the wording.
            if (danger.Critical) reasons.Add($"{danger.Reason}: P1");
            return new(Categories.Engineering, danger.Critical ? Priorities.P1 : Raise(priority), ScreenConfidence,
                Routes.Escalate, 3, reasons, Dangerous: true, DecidedBy: DecidedBy.Screen, Language: language);
        }

        var assessment = options.Danger?.Assess(text);
        if (assessment is { Flagged: true })
        {
            reasons.Add("never automated: danger check");
            reasons.Add($"danger: learned check {F(assessment.Probability)}{WordsOf(assessment.Words)}");
            return new(Categories.Engineering, Raise(priority), Math.Max(assessment.Probability, options.Danger!.FlagAt),
                Routes.Escalate, 3, reasons, Dangerous: true, DecidedBy: DecidedBy.Model, Language: language);
        }
        var held = assessment is { Held: true };
        if (held) reasons.Add($"held from automation: danger check {F(assessment!.Probability)}{WordsOf(assessment.Words)}");

        if (CategoryRules.Decisive.FirstOrDefault(d => d.Pattern.IsMatch(folded)) is { } decisive)
        {
            reasons.Add($"rule: {decisive.Reason} ({decisive.Category})");
            return Route(decisive.Category, DecisiveConfidence, priority, reasons, folded, options, held, language,
                DecidedBy.Rules, clarifyAllowed: false);
        }

        var guess = options.Model is { } model ? ModelGuess(model, text, folded, options.Calibration, reasons) : RuleGuess(folded, reasons);
        if (guess is null)
        {
            reasons.Add("no known tier-1 pattern matched");
            return new(Categories.Engineering, priority, 0.5, Routes.Escalate, 2, reasons, Held: held, Language: language);
        }
        return Route(guess.Value.Category, guess.Value.Confidence, priority, reasons, folded, options, held, language,
            options.Model is null ? DecidedBy.Rules : DecidedBy.Model, clarifyAllowed: options.Model is not null);
    }

    private static TicketClassification Route(
        string category, double confidence, string priority, List<string> reasons, string folded,
        ClassifierOptions options, bool held, string? language, string decidedBy, bool clarifyAllowed)
    {
        var device = category == Categories.PrinterPeripheral ? Devices.Find(folded) : null;
        if (device is not null) reasons.Add($"device: {device}");
        var automatable = Categories.IsAutomatable(category);
        if (automatable && !held && confidence >= options.AutoThreshold)
            return new(category, priority, confidence, Routes.Auto, 1, reasons, device, Playbooks.For(category, device),
                DecidedBy: decidedBy, Language: language);
        if (clarifyAllowed && !held && confidence < options.ClarifyBelow)
        {
            reasons.Add($"unsure (confidence {F(confidence)} below {F(options.ClarifyBelow)}): asking the requester");
            return new(category, priority, confidence, Routes.Clarify, 1, reasons, device, DecidedBy: decidedBy,
                Question: Clarify.QuestionFor(language), Language: language);
        }
        if (automatable && !held)
            reasons.Add($"confidence {F(confidence)} below threshold {options.AutoThreshold.ToString(CultureInfo.InvariantCulture)}");
        return new(category, priority, confidence, Routes.Escalate, 2, reasons, device, DecidedBy: decidedBy, Held: held,
            Language: language);
    }

    /// <summary>
    /// The model's own top label, its probability raised when the keyword rules agree. Keywords
    /// only confirm: a category the model did not put first gets nothing, so "password" in an
    /// account-takeover report cannot lift it out of engineering into automation.
    /// </summary>
    private static (string Category, double Confidence)? ModelGuess(
        ICategoryModel model, string text, string folded, ConfidenceCalibration? calibration, List<string> reasons)
    {
        var p = model.Predict(text);
        if (!Categories.IsCategory(p.Label)) return null;
        var top = p.Scores.TryGetValue(p.Label, out var s) ? s : p.Confidence;
        var hits = Math.Min(CategoryRules.Hits(p.Label, folded), 2);
        var raw = (top + RulePrior * hits) / (1 + RulePrior * hits);
        var confidence = calibration?.Apply(raw) ?? Math.Round(raw, 3);
        var words = WordContributions.Top(model, text, p.Label, 3);
        reasons.Add($"model: {p.Label} {F(top)}{WordsOf(words)}");
        if (hits > 0) reasons.Add($"rules agree: {p.Label} (\"{string.Join("\", \"", CategoryRules.Words(p.Label, folded))}\")");
        if (calibration is not null) reasons.Add($"calibrated confidence {F(confidence)} (raw {F(raw)})");
        return (p.Label, confidence);
    }

    /// <summary>Without a model: the category with the most keyword patterns matched (the TS ruleGuess).</summary>
    private static (string Category, double Confidence)? RuleGuess(string folded, List<string> reasons)
    {
        var scores = CategoryRules.Keywords
            .Select(r => (r.Category, Hits: r.Patterns.Count(p => p.IsMatch(folded))))
            .OrderByDescending(x => x.Hits).ToList();
        var best = scores[0];
        if (best.Hits == 0) return null;
        var margin = best.Hits - scores[1].Hits;
        reasons.Add($"rules: {best.Category} (\"{string.Join("\", \"", CategoryRules.Words(best.Category, folded))}\")");
        return (best.Category, Math.Min(0.95, 0.55 + 0.15 * margin + 0.05 * (best.Hits - 1)));
    }

    /// <summary>The client's SLA tier moves priority one step: premium up, basic down (never a P1).</summary>
    public static TicketClassification AdjustForSlaTier(TicketClassification c, string slaTier)
    {
        ArgumentNullException.ThrowIfNull(c);
        var i = IndexOf(c.Priority);
        if (slaTier == "premium" && i > 1)
            return c with { Priority = Priorities.All[i - 1], Reasons = [.. c.Reasons, "premium SLA client"] };
        if (slaTier == "basic" && i is >= 1 and < 3)
            return c with { Priority = Priorities.All[i + 1], Reasons = [.. c.Reasons, "basic SLA client"] };
        return c;
    }

    /// <summary>VIP requesters never wait as P3 or P4 (the TS classify activity).</summary>
    public static TicketClassification ForVip(TicketClassification c, bool vip)
    {
        ArgumentNullException.ThrowIfNull(c);
        return vip && IndexOf(c.Priority) >= 2 ? c with { Priority = Priorities.P2, Reasons = [.. c.Reasons, "VIP requester"] } : c;
    }

    private static int IndexOf(string priority)
    {
        for (var i = 0; i < Priorities.All.Count; i++)
            if (Priorities.All[i] == priority) return i;
        return 2;
    }

    private static string Raise(string priority) => priority is Priorities.P3 or Priorities.P4 ? Priorities.P2 : priority;

    private static string F(double x) => x.ToString("0.00", CultureInfo.InvariantCulture);

    private static string WordsOf(IReadOnlyList<string> words) => words.Count == 0 ? "" : $" (words: {string.Join(", ", words)})";
}
