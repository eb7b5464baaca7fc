using System.Globalization;
using Autotier.Domain.Text;
using Autotier.Domain.Tickets;
using NodaTime;
using NodaTime.Text;

namespace Autotier.Domain.Mail;

/// <summary>
/// Every mail after the acknowledgement: a port of src/domain/messages.ts, byte for byte where the
/// TypeScript has the same mail, plus issue #32's changes: the promise of the right time (fix 2), a
/// security ticket's advice and sober wording (fix 1), and the one clarifying question of an
/// uncertain ticket (fix 6). Internal notes never reach these: only public notes and requester words.
/// </summary>
public static partial class Messages
{
    private const string SignOff = "Your IT support team";
    private const string Question = "Did this resolve your issue?";

    // Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit',
    // minute: '2-digit', hourCycle: 'h23' }) writes "Monday 2 March at 09:05". The invariant culture's
    // day and month names are the English ones, whatever culture the host runs in.
    private static readonly LocalDateTimePattern FriendlyPattern =
        LocalDateTimePattern.Create("dddd d MMMM 'at' HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A time the requester understands: their client's time zone (IANA), in words.</summary>
    /// <exception cref="ArgumentException">The time zone is not in the tz database.</exception>
    public static string FriendlyTime(DateTimeOffset at, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone)
            ?? throw new ArgumentException($"Unknown time zone \"{timeZone}\".", nameof(timeZone));
        return FriendlyPattern.Format(Instant.FromDateTimeOffset(at).InZone(zone).LocalDateTime);
    }

    /// <summary>The first response of a security ticket: the same facts, no "in our queue", and what to do now.</summary>
    /// <param name="security">Null for a ticket that is not about security: the TypeScript acknowledgement, unchanged.</param>
    /// <summary>
    /// The acknowledgement as every channel sends it: a security ticket's carries the containment
    /// advice for its kind and the MSP's emergency number (issue #32 fix 1); others the plain one.
    /// </summary>
    public static MailMessage AcknowledgementFor(Ticket ticket, string? emergencyPhone)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Acknowledgement(ticket, SecurityAdvice.KindOf(ticket) is { } kind ? new SecurityNotice(kind, emergencyPhone) : null);
    }

    public static MailMessage Acknowledgement(Ticket ticket, SecurityNotice? security)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (security is null) return Acknowledgement(ticket);
        return Acknowledgement(
            ticket,
            $"We're on it: {ticket.Subject}",
            $"Thank you for telling us straight away. We've received your report \"{ticket.Subject}\" and are treating it as urgent. Your reference number is {Reference(ticket)}.",
            ["One of our engineers is being brought in now.", .. SecurityAdvice.Paragraphs(security)]);
    }

    /// <summary>A documented guide's steps, and "Did this resolve your issue?" with the two links.</summary>
    public static MailMessage Guide(Ticket ticket, GuideText guide, ConfirmLinks links, IReadOnlyList<InlineImage>? images = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(guide);
        images ??= [];
        return WithLinks(
            ticket,
            guide.Title,
            [Greeting(ticket), guide.Intro ?? "This is a common one, and these steps usually sort it out in a few minutes:"],
            images.Count > 0 ? [.. guide.Steps, "The pictures below show these steps."] : guide.Steps,
            links,
            ["You can also just reply to this email and tell us how it went.", SignOff],
            images);
    }

    /// <summary>The guide again, a day later, when the requester has not answered.</summary>
    public static MailMessage Reminder(Ticket ticket, GuideText guide, ConfirmLinks links)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(guide);
        return WithLinks(
            ticket,
            $"Did the steps help? ({guide.Title})",
            [Greeting(ticket), $"We sent you some steps for \"{ticket.Subject}\" and wanted to check they worked. Here they are again:"],
            guide.Steps,
            links,
            ["If we don't hear back, we'll follow up ourselves.", SignOff],
            []);
    }

    /// <summary>
    /// The requester said it is fixed (or a playbook did it). A security ticket, or one whose account is
    /// disabled, is closed without "great news" or "resolved": its story is not a happy one.
    /// </summary>
    public static MailMessage Resolved(Ticket ticket, string summary, RatingLinks? rating = null, bool accountDisabled = false)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(summary);
        if (Sober(ticket, accountDisabled))
        {
            return Closing(ticket, $"Closed: {ticket.Subject}",
            [
                Greeting(ticket),
                $"We've closed your request \"{ticket.Subject}\".",
                $"What was done: {summary}",
                "If you notice anything unusual, or the problem comes back, reply to this email straight away and we will pick it up again.",
                SignOff,
            ], rating);
        }
        return Closing(ticket, $"Resolved: {ticket.Subject}",
        [
            Greeting(ticket),
            $"Great news: we've marked your request \"{ticket.Subject}\" as resolved.",
            $"What fixed it: {summary}",
            "If the problem comes back, just reply to this email and we will pick it up again.",
            SignOff,
        ], rating);
    }

    /// <summary>
    /// An engineer has the ticket. It promises the response due time until a person has responded,
    /// then the resolution time (fix 2); a security ticket's mail carries its advice (fix 1).
    /// </summary>
    /// <param name="told">Why automation handed over, in the requester's words (from the playbook).</param>
    /// <param name="security">The advice a security ticket carries; null for others.</param>
    public static MailMessage Escalated(Ticket ticket, EscalationPromise promise, string? told = null, SecurityNotice? security = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(promise);
        var deskNumber = ServiceDeskNumber(ticket);
        var paragraphs = new List<string> { Greeting(ticket) };
        if (!string.IsNullOrEmpty(told)) paragraphs.Add(told);
        paragraphs.Add($"One of our engineers now has your request \"{ticket.Subject}\", along with everything you've told us so far, so you won't need to explain it again.");
        if (!string.IsNullOrEmpty(deskNumber))
            paragraphs.Add($"It is ticket {deskNumber} with our service desk (our reference {ticket.TicketId}): quote either if you call us.");
        paragraphs.Add(When(promise));
        if (security is not null) paragraphs.AddRange(SecurityAdvice.Paragraphs(security));
        paragraphs.Add("If anything changes in the meantime, just reply to this email.");
        paragraphs.Add(SignOff);
        return Mail(ticket, $"An engineer is on it: {ticket.Subject}", paragraphs);
    }

    /// <summary>The ticket went up a tier. With a promise, it says when to expect to hear (fix 2).</summary>
    public static MailMessage HandedUp(Ticket ticket, EscalationPromise? promise = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Mail(ticket, $"Update on your request: {ticket.Subject}",
        [
            Greeting(ticket),
            $"We've passed your request \"{ticket.Subject}\" to a more senior engineer to make sure it gets sorted without delay.",
            promise is null ? "You don't need to do anything. We'll be in touch." : $"You don't need to do anything. {When(promise)}",
            SignOff,
        ]);
    }

    /// <summary>An engineer's plan. Only their public note is quoted: the plan's internal note never reaches a requester.</summary>
    public static MailMessage Plan(Ticket ticket, string? publicNote = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var paragraphs = new List<string> { Greeting(ticket) };
        if (!string.IsNullOrEmpty(publicNote))
        {
            paragraphs.Add("An engineer is working on your request. Here is what they are doing:");
            paragraphs.Add(publicNote);
        }
        else
        {
            paragraphs.Add($"An engineer has picked up your request \"{ticket.Subject}\" and is working on it.");
        }
        paragraphs.Add("You don't need to do anything for now. If anything changes, just reply to this email.");
        paragraphs.Add(SignOff);
        return Mail(ticket, $"We're working on it: {ticket.Subject}", paragraphs);
    }

    /// <summary>
    /// An engineer fixed it: their public note, if they wrote one, never their internal note. A security
    /// ticket or a disabled account is closed without "good news" or "resolved".
    /// </summary>
    public static MailMessage ResolvedByEngineer(Ticket ticket, string? publicNote = null, RatingLinks? rating = null, bool accountDisabled = false)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var sober = Sober(ticket, accountDisabled);
        var paragraphs = new List<string>
        {
            Greeting(ticket),
            sober
                ? $"One of our engineers has finished work on your request \"{ticket.Subject}\" and closed it."
                : $"Good news: one of our engineers has resolved your request \"{ticket.Subject}\".",
        };
        if (!string.IsNullOrEmpty(publicNote)) paragraphs.Add($"What they did: {publicNote}");
        paragraphs.Add(sober
            ? "If you notice anything unusual, or the problem comes back, reply to this email straight away and we will pick it up again."
            : "If the problem comes back, just reply to this email and we will pick it up again.");
        paragraphs.Add(SignOff);
        return Closing(ticket, sober ? $"Closed: {ticket.Subject}" : $"Resolved: {ticket.Subject}", paragraphs, rating);
    }

    /// <summary>A reply we could not read as yes or no ("ok", "?"): ask once, with the buttons again.</summary>
    public static MailMessage Clarify(Ticket ticket, GuideText guide, ConfirmLinks links)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(guide);
        return WithLinks(
            ticket,
            $"Just checking: did the steps work? ({guide.Title})",
            [Greeting(ticket), $"Thanks for your reply. We want to be sure we understood: did the steps we sent for \"{ticket.Subject}\" fix the problem?"],
            [],
            links,
            ["Or just reply \"yes\" or \"no\". If you need something else, tell us in a few words.", SignOff],
            []);
    }

    /// <summary>
    /// Fix 6: a ticket nobody is sure about starts at tier 1 with one clarifying question (the
    /// classification's <c>Question</c>), framed in the requester's language.
    /// </summary>
    /// <param name="language">en, de, es, fr or nl; null for the classification's, else English.</param>
    public static MailMessage ClarifyUncertain(Ticket ticket, string question, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(question);
        var words = ClarifyWords.For(language ?? ticket.Classification?.Language);
        var first = FirstName(ticket.Requester.Name);
        return Mail(ticket, $"{words.Subject}: {ticket.Subject}",
        [
            first is null ? words.Hello : string.Format(CultureInfo.InvariantCulture, words.HelloName, first),
            question,
            string.Format(CultureInfo.InvariantCulture, words.Reply, ticket.TicketId),
            words.SignOff,
        ]);
    }

    /// <summary>A reply after the close that reads as neither thanks nor "it's back": ask before reopening.</summary>
    public static MailMessage ClarifyAfterClose(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Mail(ticket, $"Is it back? {ticket.Subject}",
        [
            Greeting(ticket),
            $"Thanks for your message about \"{ticket.Subject}\". Has the problem come back?",
            "If it has, just reply \"it's back\" or tell us what you see, and we'll reopen your request straight away. If all is well, there is nothing you need to do.",
            SignOff,
        ]);
    }

    /// <summary>The silence policy closed a guide nobody answered.</summary>
    public static MailMessage ClosedUnconfirmed(Ticket ticket, RatingLinks? rating = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Closing(ticket, $"Closing your request: {ticket.Subject}",
        [
            Greeting(ticket),
            $"We haven't heard back about \"{ticket.Subject}\", so we hope the steps did the trick and we've closed the request.",
            "If it's still not working, just reply to this email and we'll reopen it straight away.",
            SignOff,
        ], rating);
    }

    public static MailMessage Reopened(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Mail(ticket, $"Reopened: {ticket.Subject}",
        [
            Greeting(ticket),
            $"Thanks for letting us know. We've reopened your request \"{ticket.Subject}\" and an engineer will pick it up.",
            SignOff,
        ]);
    }

    /// <summary>
    /// The one mail that carries a credential: a one-time Temporary Access Pass, sent only to an
    /// address the user registered and verified for sign-in, never to the address a request came from.
    /// </summary>
    public static MailMessage TemporaryAccessPass(string to, string? name, string pass, int minutes, string ticketId)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(ticketId);
        string[] paragraphs =
        [
            Greeting(name),
            $"You asked us for help getting into your work account (reference {ticketId}). Here is a one-time sign-in pass:",
            pass,
            $"It works once, within the next {minutes.ToString(CultureInfo.InvariantCulture)} minutes. Open https://aka.ms/mysecurityinfo, enter your work email address, and when asked for a password choose \"Use a Temporary Access Pass\" and type the pass above.",
            "We will never ask you to tell us this pass. If you didn't ask for help, don't use it, and reply to this email straight away so we can check your account.",
            SignOff,
        ];
        return new(to, $"{TicketIds.SubjectToken(ticketId)} Your one-time sign-in pass", string.Join("\n\n", paragraphs), ToHtml(paragraphs));
    }

    /// <summary>What an escalation promises, in words (fix 2).</summary>
    private static string When(EscalationPromise promise)
    {
        if (!promise.PersonResponded && promise.ResponseDue is { } response)
            return $"You can expect to hear from them by {FriendlyTime(response, promise.TimeZone)}.";
        if (promise.ResolutionDue is { } resolution)
        {
            var by = $"We aim to have it sorted by {FriendlyTime(resolution, promise.TimeZone)}.";
            return promise.PersonResponded ? by : $"They will be in touch as soon as they can. {by}";
        }
        return "They will be in touch as soon as they can.";
    }

    /// <summary>A security ticket or a disabled account: no "good news", no "resolved" (fix 1).</summary>
    private static bool Sober(Ticket ticket, bool accountDisabled) => accountDisabled || SecurityAdvice.KindOf(ticket) is not null;

    private static MailMessage WithLinks(
        Ticket ticket, string subject, IReadOnlyList<string> intro, IReadOnlyList<string> steps, ConfirmLinks links,
        IReadOnlyList<string> outro, IReadOnlyList<InlineImage> images)
    {
        ArgumentNullException.ThrowIfNull(links);
        var text = new List<string>(intro);
        if (steps.Count > 0) text.Add(string.Join("\n", steps.Select((s, i) => $"{(i + 1).ToString(CultureInfo.InvariantCulture)}. {s}")));
        text.Add(Question);
        text.Add($"Yes, it's fixed: {links.Yes}");
        text.Add($"No, it's still not working: {links.No}");
        text.AddRange(outro);

        var html = new List<string> { ToHtml(intro) };
        if (steps.Count > 0) html.Add("<ol>" + string.Concat(steps.Select(s => $"<li>{EscapeHtml(s)}</li>")) + "</ol>");
        html.AddRange(images.Select((img, i) =>
            $"<p><img src=\"cid:{EscapeHtml(img.ContentId)}\" alt=\"Picture {(i + 1).ToString(CultureInfo.InvariantCulture)} for the steps\" style=\"max-width:100%\"></p>"));
        html.Add($"<p><strong>{Question}</strong></p>");
        html.Add($"<p><a href=\"{EscapeHtml(links.Yes)}\">Yes, it's fixed</a> &nbsp;|&nbsp; <a href=\"{EscapeHtml(links.No)}\">No, it's still not working</a></p>");
        html.Add(ToHtml(outro));

        return new MailMessage(
            ticket.Requester.Email,
            TextRules.SingleLine(TicketIds.SubjectToken(ticket.TicketId) + " " + subject),
            string.Join("\n\n", text),
            string.Join("\n", html))
        {
            Images = images.Count > 0 ? images : null,
        };
    }

    /// <summary>
    /// A closing mail: its paragraphs, then (with links) "How did we do?" with one link per score,
    /// then the sign-off.
    /// </summary>
    private static MailMessage Closing(Ticket ticket, string subject, List<string> paragraphs, RatingLinks? rating)
    {
        var message = Mail(ticket, subject, paragraphs);
        if (rating is null) return message;
        var body = paragraphs.Take(paragraphs.Count - 1).ToList();
        var signOff = paragraphs[^1];
        const string ask = "How did we do? One click on a number tells us, from 1 (poor) to 5 (great):";
        const string optional = "It is optional, and you can add a comment on the page that opens.";
        var links = rating.InOrder;
        var lines = string.Join("\n", links.Select((url, i) => $"{(i + 1).ToString(CultureInfo.InvariantCulture)} - {RatingLinks.Labels[i]}: {url}"));
        var buttons = string.Join(" ", links.Select((url, i) =>
            $"<a href=\"{EscapeHtml(url)}\" style=\"display:inline-block;margin:0 6px 6px 0;padding:6px 12px;border:1px solid #1b5e9e;border-radius:4px;color:#1b5e9e;text-decoration:none\">{(i + 1).ToString(CultureInfo.InvariantCulture)} {EscapeHtml(RatingLinks.Labels[i])}</a>"));
        return message with
        {
            Text = string.Join("\n\n", [.. body, ask, lines, optional, signOff]),
            Html = string.Join("\n", ToHtml(body), ToHtml([ask]), $"<p>{buttons}</p>", ToHtml([optional, signOff])),
        };
    }

    /// <summary>The frame of the clarifying question, per language (the question itself comes from the classifier).</summary>
    private sealed record ClarifyWords(string Subject, string HelloName, string Hello, string Reply, string SignOff)
    {
        private static readonly Dictionary<string, ClarifyWords> ByLanguage = new(StringComparer.Ordinal)
        {
            ["en"] = new("A quick question about your request", "Hi {0},", "Hello,",
                "Just reply to this email in a few words; there is nothing else to fill in. Your reference number is {0}.", Messages.SignOff),
            ["de"] = new("Eine kurze Frage zu Ihrer Anfrage", "Hallo {0},", "Hallo,",
                "Antworten Sie einfach auf diese E-Mail, ein paar Worte genügen. Ihre Referenznummer ist {0}.", "Ihr IT-Support-Team"),
            ["es"] = new("Una pregunta rápida sobre su solicitud", "Hola, {0}:", "Hola:",
                "Basta con responder a este correo con unas pocas palabras. Su número de referencia es {0}.", "Su equipo de soporte informático"),
            ["fr"] = new("Une petite question sur votre demande", "Bonjour {0},", "Bonjour,",
                "Il vous suffit de répondre à cet e-mail en quelques mots. Votre numéro de référence est {0}.", "Votre équipe de support informatique"),
            ["nl"] = new("Een korte vraag over uw verzoek", "Hallo {0},", "Hallo,",
                "Beantwoord deze e-mail gewoon in een paar woorden. Uw referentienummer is {0}.", "Uw IT-supportteam"),
        };

        public static ClarifyWords For(string? language) =>
            language is not null && ByLanguage.TryGetValue(language, out var words) ? words : ByLanguage["en"];
    }
}
