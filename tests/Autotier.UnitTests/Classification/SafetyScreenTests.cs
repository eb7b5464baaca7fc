using Autotier.Domain.Classification;
using Xunit;

namespace Autotier.UnitTests.Classification;

/// <summary>The C# counterpart of tests/unit/domain/safetyScreen.test.ts, and the review's phrasing pairs.</summary>
public sealed class SafetyScreenTests
{
    public static TheoryData<string, string> Critical => new()
    {
        { "All the PDFs on the shared drive now end with .crypted and there is a how-to-pay note", DangerReasons.SecurityIncident },
        { "A red screen says my documents were encrypted and I have 48 hours to pay. My password still works.", DangerReasons.SecurityIncident },
        { "Reset my password please, I opened a Word attachment and pressed Enable Content", DangerReasons.SecurityIncident },
        { "I clicked the link in a text from \"Royal Mail\" and entered my Office 365 login", DangerReasons.SecurityIncident },
        { "Got an email that looked like it came from the bank, I filled in my details on the page", DangerReasons.SecurityIncident },
        { "Our clients say they are getting invoices from my address that I never sent", DangerReasons.SecurityIncident },
        { "There is a forwarding rule to a gmail address that I did not create", DangerReasons.SecurityIncident },
        { "Authenticator keeps asking me to approve, I am not signing in anywhere", DangerReasons.SecurityIncident },
        { "I approved an MFA request by accident, I was not logging in", DangerReasons.SecurityIncident },
        { "Alert: sign-in from an unknown location (Lagos). That was not me.", DangerReasons.SecurityIncident },
        { "Our director asked me by email to buy Google Play cards for a client, is that normal?", DangerReasons.SecurityIncident },
        { "New bank details arrived from our landlord by email, please check before we pay", DangerReasons.SecurityIncident },
        { "A caller from \"BT support\" asked me to install AnyDesk and I let him connect", DangerReasons.SecurityIncident },
        { "Nobody at the Croydon office can get online", DangerReasons.SiteWideOutage },
        { "The entire building lost internet after the power cut", DangerReasons.SiteWideOutage },
        { "All our phone lines are dead, customers hear a busy tone", DangerReasons.SiteWideOutage },
        { "Our company website is down, it says 503 service unavailable", DangerReasons.SiteWideOutage },
        { "SQL server crashed overnight and the practice system will not open for anyone", DangerReasons.SiteWideOutage },
        { "The domain controller is offline", DangerReasons.SiteWideOutage },
    };

    [Theory]
    [MemberData(nameof(Critical))]
    public void P1_never_automated(string text, string reason)
    {
        var danger = SafetyScreen.Screen(text);
        Assert.NotNull(danger);
        Assert.Equal(reason, danger.Reason);
        Assert.True(danger.Critical);
    }

    public static TheoryData<string, string> Dangerous => new()
    {
        { "Forwarding a suspicious email I got this morning, I did not click anything", DangerReasons.SecurityIncident },
        { "Sophos detected a threat on my laptop and quarantined a file", DangerReasons.SecurityIncident },
        { "The server says the C: drive is running out of space", DangerReasons.Infrastructure },
        { "The file server share is very slow today", DangerReasons.Infrastructure },
        { "Can you open a port on the firewall for our new booking system?", DangerReasons.Infrastructure },
        { "The network switch in the comms room is flashing amber", DangerReasons.Infrastructure },
        { "The UPS is beeping and showing a battery fault", DangerReasons.Infrastructure },
        { "I overwrote the Q3 folder with old files, can you restore from last night?", DangerReasons.DataLoss },
        { "The backup email says 3 jobs failed", DangerReasons.DataLoss },
        { "My iPad was stolen from the car", DangerReasons.StolenDevice },
        { "I have lost my work mobile on the bus", DangerReasons.StolenDevice },
        { "I lost my phone with all my work email on it", DangerReasons.StolenDevice },
        { "The big printer is not working for everyone on the second floor", DangerReasons.AffectsEveryone },
    };

    [Theory]
    [MemberData(nameof(Dangerous))]
    public void Never_automated_but_not_P1(string text, string reason)
    {
        var danger = SafetyScreen.Screen(text);
        Assert.NotNull(danger);
        Assert.Equal(reason, danger.Reason);
        Assert.False(danger.Critical);
    }

    // Tickets automation should take, though they name a server, greet everyone or carry a footer.
    [Theory]
    [InlineData("Windows VPN error 809: the network connection between your computer and the VPN server could not be established")]
    [InlineData("At home on the VPN the S: drive (file server) will not map")]
    [InlineData("Over the VPN the file server is very slow from home")]
    [InlineData("Outlook says it cannot connect to the mail server, webmail is fine")]
    [InlineData("The scanner shows \"SMTP server authentication failed\" when I scan to email")]
    [InlineData("Remote desktop to the terminal server from home says my credentials did not work")]
    [InlineData("Cannot add the printer from the print server after my desk move, error 0x0000011b")]
    [InlineData("FortiClient fails on my home router but works on my phone hotspot")]
    [InlineData("When I switch on my laptop the second screen stays black")]
    [InlineData("Hi everyone, I am locked out of my account, could someone unlock it?")]
    [InlineData("Nobody told me my password would expire, now I cannot log in")]
    [InlineData("My desk phone shows no service, everyone else is fine")]
    [InlineData("Account locked, contact your administrator")]
    [InlineData("Word says Unlicensed Product at the top")]
    [InlineData("Teams says: ask your admin to enable Microsoft Teams")]
    [InlineData("I changed phones and need to set up the Authenticator again")]
    [InlineData("Excel crashes when I open the stock file.\n\nThis email has been scanned for viruses by our provider. It is confidential.")]
    [InlineData("I entered my password on the login page and it keeps saying wrong password")]
    [InlineData("I clicked the link to the HR site on the intranet and it says access denied")]
    [InlineData("My laptop is slow since the update, Outlook takes minutes to open")]
    [InlineData("Please could you install Visio, my manager approved it")]
    // The review's one-desk complaints that name "the server": not an outage by that word alone.
    [InlineData("My scanner says it cannot reach the server when I scan to my folder")]
    [InlineData("Print jobs sit in the print queue, it says the server is busy")]
    [InlineData("Emails are stuck in my Outlook outbox, it says the server did not respond")]
    [InlineData("Lost my phone MFA codes: I need to re-register the authenticator app")]
    // A disclaimer that says "confidential" under an ordinary invoice question is no secret payment.
    [InlineData("Excel shows the invoice template in read only mode.\nThis email is confidential and intended for the recipient only.")]
    public void Leaves_to_the_model(string text) => Assert.Null(SafetyScreen.Screen(text));

    [Fact]
    public void An_attack_in_progress_is_P1_whatever_else_the_ticket_asks_for()
    {
        const string locked = "My files end in .locked and a note asks for bitcoin";
        Assert.True(SafetyScreen.Screen(locked)?.Critical);
        Assert.True(SafetyScreen.Screen($"{locked}. My password still works, can you reset it anyway?")?.Critical);
        Assert.True(SafetyScreen.Screen($"The printer jammed. {locked}.")?.Critical);
    }

    // The review: one word decided ("it wasn't me" P1, "a sign-in I didn't make" P3). Every
    // wording of the same report now decides the same way, in five languages.
    [Theory]
    [InlineData("I got an alert about a sign-in to my account. It wasn't me.")]
    [InlineData("I got an alert about a sign-in I didn't make.")]
    [InlineData("There is a login on my account that I don't recognise")]
    [InlineData("Microsoft warned me about a sign-in I never made from Spain")]
    [InlineData("Ich habe eine Anmeldung gesehen, die ich nicht gemacht habe.")]
    [InlineData("Da war eine Anmeldung heute Nacht, das war ich nicht. War ich nicht!")]
    [InlineData("Ik kreeg een melding van een aanmelding die ik niet deed.")]
    [InlineData("Er is een aanmelding op mijn account, die herken ik niet.")]
    [InlineData("J'ai une connexion que je n'ai pas faite sur mon compte.")]
    [InlineData("Aviso de un inicio de sesión que no he hecho.")]
    public void A_disowned_sign_in_is_an_account_takeover_however_it_is_worded(string text)
    {
        var danger = SafetyScreen.Screen(text);
        Assert.NotNull(danger);
        Assert.True(danger.Critical);
        Assert.Equal("account takeover", danger.Rule);
    }

    // "Amazon vouchers" was P1 and "Apple vouchers" P3: the brand is the scammer's choice.
    [Theory]
    [InlineData("The director asked me to buy Amazon vouchers for a client today")]
    [InlineData("The director asked me to buy Apple vouchers for a client today")]
    [InlineData("The director asked me to buy Google Play cards for a client today")]
    [InlineData("The director asked me to buy Steam cards and send him the codes")]
    [InlineData("Der Chef will, dass ich Apple-Gutscheine kaufe und ihm die Codes schicke")]
    [InlineData("El jefe me pide comprar tarjetas regalo de Amazon")]
    [InlineData("Le directeur veut que j'achète des cartes cadeaux")]
    [InlineData("De directeur vraagt om cadeaubonnen van Bol te kopen")]
    public void Gift_cards_of_any_brand_are_payment_fraud(string text)
    {
        var danger = SafetyScreen.Screen(text);
        Assert.NotNull(danger);
        Assert.True(danger.Critical);
        Assert.Equal("payment fraud", danger.Rule);
    }

    [Theory]
    [InlineData("Can you pay a new supplier 18,000 today and keep it quiet until Monday")]
    [InlineData("Please process the payment for this supplier, and don't tell anyone in accounts")]
    [InlineData("Bitte heute an den Lieferanten überweisen und vertraulich behandeln")]
    [InlineData("Haz la transferencia al proveedor y no se lo digas a nadie")]
    [InlineData("Faites le virement au fournisseur, n'en parlez a personne")]
    [InlineData("Wil je de leverancier vandaag betalen? Houd het onder ons.")]
    [InlineData("Our supplier sent a new IBAN for the next invoice")]
    public void A_secret_or_redirected_payment_is_P1_fraud(string text)
    {
        var danger = SafetyScreen.Screen(text);
        Assert.NotNull(danger);
        Assert.True(danger.Critical, text);
        Assert.Equal("payment fraud", danger.Rule);
    }

    [Theory]
    [InlineData("I keep getting MFA prompts but I'm not at my desk")]
    [InlineData("Authenticator approve requests came in while I was on holiday")]
    [InlineData("Ich bekomme MFA-Anfragen, bin aber nicht am Rechner")]
    [InlineData("Ik krijg steeds MFA meldingen terwijl ik niet achter mijn laptop zit")]
    [InlineData("Je reçois des notifications MFA alors que je ne suis pas a mon poste")]
    [InlineData("Me llegan notificaciones de MFA y no estoy en mi puesto")]
    public void MFA_prompts_nobody_started_are_MFA_fatigue(string text)
    {
        var danger = SafetyScreen.Screen(text);
        Assert.NotNull(danger);
        Assert.True(danger.Critical);
        Assert.Equal("MFA fatigue", danger.Rule);
    }

    [Fact]
    public void The_reason_quotes_the_words_that_decided()
    {
        var danger = SafetyScreen.Screen("Sign-in alert. It wasn't me.");
        Assert.Equal("danger: account takeover (\"wasn't me\")", danger?.Explain());
    }
}
