using Autotier.Domain.Classification;
using Xunit;

namespace Autotier.UnitTests.Classification;

/// <summary>A model that answers the same scores for every text: the classifier's logic on its own.</summary>
internal sealed class FixedModel(string label, double p, string other = Categories.Engineering) : ICategoryModel
{
    public IReadOnlyList<string> Labels { get; } = [label, other];
    public int Calls { get; private set; }

    public ModelPrediction Predict(string text)
    {
        Calls++;
        return new(label, p, new Dictionary<string, double> { [label] = p, [other] = 1 - p });
    }
}

/// <summary>The C# counterpart of tests/unit/domain/classification.test.ts, and the review's fixes.</summary>
public sealed class TicketClassifierTests
{
    private static TicketClassification Classify(string subject, string body, ClassifierOptions? options = null) =>
        TicketClassifier.Classify(subject, body, options);

    [Fact]
    public void Routes_a_plain_lockout_to_automation()
    {
        var c = Classify("Locked out of my account", "I typed my password wrong too many times");
        Assert.Equal(Categories.PasswordReset, c.Category);
        Assert.Equal(Routes.Auto, c.Route);
        Assert.Equal(1, c.Tier);
        Assert.Equal(Playbooks.PasswordReset, c.Playbook);
    }

    [Theory]
    [InlineData("I clicked a phishing link, please reset my password", "It asked for my password and I typed it in.")]
    [InlineData("File server down", "The file server is not responding for anyone.")]
    [InlineData("VPN", "Whole office cannot connect to the VPN since the firewall update.")]
    [InlineData("Laptop stolen", "My laptop was stolen from my car, it has the VPN client on it.")]
    [InlineData("Printer", "Ransomware note printed on every printer!")]
    public void Never_automates_what_the_screen_stops(string subject, string body)
    {
        var c = Classify(subject, body, new(0, new FixedModel(Categories.PasswordReset, 0.99)));
        Assert.Equal(Categories.Engineering, c.Category);
        Assert.Equal(Routes.Escalate, c.Route);
        Assert.True(c.Tier >= 2);
        Assert.True(c.Dangerous);
        Assert.Contains(c.Reasons, r => r.StartsWith("never automated", StringComparison.Ordinal));
    }

    [Fact]
    public void Escalates_what_it_does_not_recognise_without_a_model()
    {
        var c = Classify("Question", "Can we talk about next year budget?");
        Assert.Equal(Routes.Escalate, c.Route);
        Assert.Equal(Categories.Engineering, c.Category);
    }

    [Fact]
    public void Makes_site_wide_outages_and_security_incidents_P1_with_the_reason()
    {
        var outage = Classify("Internet down", "The whole office has no internet");
        Assert.Equal(Priorities.P1, outage.Priority);
        Assert.Contains("site-wide outage: P1", outage.Reasons);
        Assert.Equal(Priorities.P1, Classify("Help", "A ransom note is on my screen").Priority);
        Assert.Equal(Priorities.P2, Classify("Laptop stolen", "My laptop was stolen").Priority);
    }

    [Fact]
    public void Moves_priority_one_step_for_the_clients_SLA_tier()
    {
        var c = Classify("Printer jam", "paper stuck in tray 2");
        Assert.Equal(Priorities.P2, TicketClassifier.AdjustForSlaTier(c, "premium").Priority);
        Assert.Contains("premium SLA client", TicketClassifier.AdjustForSlaTier(c, "premium").Reasons);
        Assert.Equal(Priorities.P4, TicketClassifier.AdjustForSlaTier(c, "basic").Priority);
        Assert.Equal(Priorities.P3, TicketClassifier.AdjustForSlaTier(c, "standard").Priority);
        Assert.Equal(Priorities.P1, TicketClassifier.AdjustForSlaTier(c with { Priority = Priorities.P1 }, "basic").Priority);
    }

    [Fact]
    public void A_VIP_requester_never_waits_as_P3_or_P4()
    {
        var c = Classify("Toner", "The colour printer toner is low, no rush");
        Assert.Equal(Priorities.P4, c.Priority);
        Assert.Equal(Priorities.P2, TicketClassifier.ForVip(c, vip: true).Priority);
        Assert.Contains("VIP requester", TicketClassifier.ForVip(c, vip: true).Reasons);
        Assert.Equal(Priorities.P4, TicketClassifier.ForVip(c, vip: false).Priority);
    }

    [Fact]
    public void Raises_priority_for_urgency_and_team_impact_in_any_language()
    {
        Assert.Equal(Priorities.P1, Classify("Printer jam", "URGENT the whole team cannot print").Priority);
        Assert.Equal(Priorities.P3, Classify("Printer jam", "paper stuck in tray 2").Priority);
        Assert.Equal(Priorities.P3, Classify("Teams", "Please add me to the Sales team in Teams").Priority);
        Assert.Equal(Priorities.P2, Classify("Drucker", "Dringend: der Drucker druckt nicht").Priority);
        Assert.Equal(Priorities.P4, Classify("Toner", "De toner is bijna op, geen haast").Priority);
    }

    [Fact]
    public void Keeps_remote_access_tickets_that_name_a_server_for_the_model()
    {
        foreach (var (subject, body) in new[]
        {
            ("Windows VPN error 809", "The network connection between your computer and the VPN server could not be established"),
            ("S: drive", "At home on the VPN the S: drive (file server) won't map"),
        })
        {
            var c = Classify(subject, body);
            Assert.Equal(Categories.VpnRemoteAccess, c.Category);
            Assert.False(c.Dangerous);
        }
    }

    [Fact]
    public void Reads_licence_banners_as_software_access_and_a_locked_account_as_password_reset()
    {
        Assert.Equal(Categories.SoftwareAccess, Classify("Word", "Unlicensed Product in red at the top of Word").Category);
        Assert.Equal(Categories.SoftwareAccess, Classify("Teams", "Teams says: Ask your admin to enable Teams").Category);
        Assert.Equal(Categories.SoftwareAccess, Classify("Adobe", "Acrobat says my trial has expired").Category);
        var locked = Classify("Login", "account locked, contact your administrator");
        Assert.Equal(Categories.PasswordReset, locked.Category);
        Assert.Contains("rule: locked account (password_reset)", locked.Reasons);
    }

    [Fact]
    public void Makes_ransomware_P1_at_tier_3_even_when_the_ticket_asks_for_a_password_reset()
    {
        const string note = "My files end in .locked and a note asks for bitcoin.";
        foreach (var body in new[] { note, $"{note} My password still works, please reset it anyway." })
        {
            var c = Classify("Files", body);
            Assert.Equal(Categories.Engineering, c.Category);
            Assert.Equal(Priorities.P1, c.Priority);
            Assert.Equal(3, c.Tier);
            Assert.Contains("security incident: P1", c.Reasons);
        }
    }

    // The review: keywords added confidence to the five automatable categories only, so "password"
    // in a report the model read as engineering lifted it into automation.
    [Fact]
    public void Keywords_never_lift_a_ticket_into_a_category_the_model_did_not_choose()
    {
        var model = new FixedModel(Categories.Engineering, 0.55, Categories.PasswordReset);
        var c = Classify("Password and authenticator", "Something odd with my password and authenticator, reset?", new(0.6, model));
        Assert.Equal(Categories.Engineering, c.Category);
        Assert.NotEqual(Routes.Auto, c.Route);
    }

    [Fact]
    public void Keywords_confirm_the_models_own_top_label()
    {
        var model = new FixedModel(Categories.PasswordReset, 0.55);
        var c = Classify("Password", "I forgot my password, please reset it", new(0.6, model));
        Assert.Equal(Categories.PasswordReset, c.Category);
        Assert.True(c.Confidence > 0.55);
        Assert.Equal(Routes.Auto, c.Route);
        Assert.Contains(c.Reasons, r => r.StartsWith("rules agree: password_reset", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Help", "Something is not right with my computer today", "en")]
    [InlineData("Hilfe", "Ich habe ein Problem mit meinem Computer, bitte helfen", "de")]
    [InlineData("Aide", "Je ne sais pas ce qui se passe avec mon ordinateur, merci", "fr")]
    [InlineData("Ayuda", "No sé qué le pasa a mi ordenador, gracias por la ayuda", "es")]
    [InlineData("Hulp", "Ik weet niet wat er met mijn computer is, graag hulp", "nl")]
    public void A_ticket_nobody_is_sure_about_gets_one_question_at_tier_1_in_its_language(string subject, string body, string language)
    {
        var c = Classify(subject, body, new(0.6, new FixedModel(Categories.SoftwareError, 0.3)));
        Assert.Equal(Routes.Clarify, c.Route);
        Assert.Equal(1, c.Tier);
        Assert.Equal(language, c.Language);
        Assert.Equal(Clarify.QuestionFor(language), c.Question);
        Assert.Null(c.Playbook);
    }

    [Fact]
    public void The_clarifying_question_is_english_when_the_language_cannot_be_told()
    {
        var c = Classify("Help", "broken again", new(0.6, new FixedModel(Categories.SoftwareError, 0.3)));
        Assert.Equal(Routes.Clarify, c.Route);
        Assert.Null(c.Language);
        Assert.StartsWith("Thank you for getting in touch", c.Question, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dangerous_ticket_is_never_sent_to_clarify_or_automation_even_at_threshold_0()
    {
        var c = Classify("MFA", "I keep getting MFA prompts but I'm not at my desk", new(0, new FixedModel(Categories.PasswordReset, 0.3)));
        Assert.Equal(Routes.Escalate, c.Route);
        Assert.Equal(Priorities.P1, c.Priority);
    }

    // The review: "Mouse not working" and "Scanner not working" got the printer guide.
    [Theory]
    [InlineData("Mouse not working", "It stopped this morning", Devices.Mouse, Playbooks.MouseKeyboardGuide)]
    [InlineData("Scanner not working", "Scan to email does nothing", Devices.Scanner, Playbooks.ScannerGuide)]
    [InlineData("Printer not working", "Paper jam in tray 2", Devices.Printer, Playbooks.PrinterGuide)]
    [InlineData("Tastatur", "Meine Tastatur geht nicht", Devices.Keyboard, Playbooks.MouseKeyboardGuide)]
    [InlineData("Beeldscherm", "Mijn tweede beeldscherm blijft zwart", Devices.Monitor, Playbooks.DisplayDockGuide)]
    [InlineData("Casque", "Mon casque ne marche pas dans Teams", Devices.Headset, Playbooks.HeadsetGuide)]
    [InlineData("Docking station", "The dock does not charge my laptop", Devices.Dock, Playbooks.DisplayDockGuide)]
    [InlineData("Webcam", "The webcam image is dark", null, Playbooks.PeripheralGuide)]
    public void The_playbook_fits_the_device(string subject, string body, string? device, string playbook)
    {
        var c = Classify(subject, body, new(0.6, new FixedModel(Categories.PrinterPeripheral, 0.95)));
        Assert.Equal(Routes.Auto, c.Route);
        Assert.Equal(device, c.Device);
        Assert.Equal(playbook, c.Playbook);
    }

    // Only mail intake used to strip quoted history: a password request quoting an old "mail
    // server will be down" notice became a P1 that paged the on-call.
    [Fact]
    public void Quoted_history_is_stripped_on_every_channel()
    {
        const string body = "Hi, can you reset my password please? Thanks, Ann\n\n"
            + "On Mon, 2 Mar 2026 at 09:00, IT Support <it@example.com> wrote:\n"
            + "> The mail server will be down for everyone tonight from 22:00.\n"
            + "> The whole office will have no email until the morning.\n";
        var c = Classify("Re: maintenance", body);
        Assert.NotEqual(Priorities.P1, c.Priority);
        Assert.False(c.Dangerous);
        Assert.Equal(Categories.PasswordReset, c.Category);
        Assert.DoesNotContain("mail server", TicketClassifier.CleanText("Re: maintenance", body), StringComparison.Ordinal);
    }

    [Fact]
    public void An_HTML_body_is_read_as_text_with_its_quoted_history_removed()
    {
        const string html = "<html><body><p>Please reset my password.</p><p>Thanks, Ann</p>"
            + "<div class=\"gmail_quote\">On Mon IT wrote:<blockquote>The whole office will have no internet tonight.</blockquote></div></body></html>";
        var text = TicketClassifier.CleanText("Re: notice", html);
        Assert.Contains("Please reset my password.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("internet", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<p>", text, StringComparison.Ordinal);
        Assert.NotEqual(Priorities.P1, Classify("Re: notice", html).Priority);
    }

    [Fact]
    public void A_forwarded_mail_is_the_ticket_not_history()
    {
        const string body = "Is this real?\n\nFrom: Boss <boss@outlook.com>\nSent: Friday\nTo: Accounts\nSubject: Payment\n\n"
            + "Pay a new supplier 18,000 today and keep it quiet.";
        var c = Classify("FW: Payment", body);
        Assert.Equal(Priorities.P1, c.Priority);
        Assert.Contains(c.Reasons, r => r.StartsWith("danger: payment fraud", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Kennwort", "Ich habe mein Kennwort vergessen", Categories.PasswordReset)]
    [InlineData("Wachtwoord", "Ik ben mijn wachtwoord vergeten", Categories.PasswordReset)]
    [InlineData("Mot de passe", "J'ai oublié mon mot de passe", Categories.PasswordReset)]
    [InlineData("Contraseña", "Olvidé mi contraseña", Categories.PasswordReset)]
    [InlineData("Zugriff", "Ich brauche Zugriff auf den Ordner Einkauf", Categories.SoftwareAccess)]
    [InlineData("Toegang", "Ik heb toegang nodig tot de map Inkoop", Categories.SoftwareAccess)]
    [InlineData("VPN", "Das VPN verbindet sich im Homeoffice nicht", Categories.VpnRemoteAccess)]
    [InlineData("Bureau à distance", "Le bureau à distance ne marche pas de chez moi", Categories.VpnRemoteAccess)]
    [InlineData("Impresora", "La impresora no imprime", Categories.PrinterPeripheral)]
    [InlineData("Muis", "Mijn muis doet het niet", Categories.PrinterPeripheral)]
    [InlineData("Outlook", "Outlook stürzt beim Start ab", Categories.SoftwareError)]
    [InlineData("Excel", "Excel se bloquea al guardar", Categories.SoftwareError)]
    public void Keyword_rules_know_five_languages(string subject, string body, string category) =>
        Assert.Equal(category, Classify(subject, body).Category);

    [Fact]
    public void The_threshold_guard_reports_a_dangerous_row_a_threshold_would_automate()
    {
        ThresholdGuard.Row[] rows =
        [
            new(0.55, Categories.Engineering, Categories.PasswordReset, Dangerous: true),
            new(0.9, Categories.PasswordReset, Categories.PasswordReset, Dangerous: false),
            new(0.95, Categories.Engineering, Categories.PasswordReset, Dangerous: true, Held: true),
            new(0.95, Categories.Engineering, Categories.Engineering, Dangerous: true),
        ];
        Assert.True(ThresholdGuard.IsSafe(rows, 0.6));
        Assert.False(ThresholdGuard.IsSafe(rows, 0.5));
        Assert.Single(ThresholdGuard.AutomatedDangerous(rows, 0.5));
    }

    [Fact]
    public void A_danger_check_flag_escalates_and_a_hold_keeps_the_category_from_automation()
    {
        var model = new FixedModel(Categories.PasswordReset, 0.99);
        TicketClassification WithDanger(double p) =>
            Classify("Password", "Please reset my password", new(0.6, model, new DangerCheck(new FixedModel(DangerCheck.Dangerous, p, DangerCheck.Safe))));
        var flagged = WithDanger(0.8);
        Assert.Equal(Categories.Engineering, flagged.Category);
        Assert.True(flagged.Dangerous);
        Assert.Equal(3, flagged.Tier);
        var held = WithDanger(0.3);
        Assert.Equal(Categories.PasswordReset, held.Category);
        Assert.Equal(Routes.Escalate, held.Route);
        Assert.True(held.Held);
        Assert.Equal(Routes.Auto, WithDanger(0.05).Route);
    }

    [Fact]
    public void Calibration_maps_scores_to_observed_accuracy_and_keeps_their_order()
    {
        var samples = Enumerable.Range(0, 100).Select(i => (Score: i / 100.0, Correct: i % 10 < i / 10)).ToList();
        var calibration = ConfidenceCalibration.Fit(samples);
        for (var s = 0.0; s < 1; s += 0.05) Assert.True(calibration.Apply(s) <= calibration.Apply(s + 0.05) + 1e-9);
        Assert.InRange(calibration.Apply(0.85), 0.75, 0.95);
        Assert.InRange(calibration.Apply(0.15), 0.05, 0.25);
    }
}
