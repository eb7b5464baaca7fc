using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Playbooks;
using Xunit;

namespace Autotier.UnitTests.Domain.Playbooks;

/// <summary>The TypeScript playbook rules tests (tests/unit/domain/playbook.test.ts), and the profile's JSON.</summary>
public sealed class PlaybookRulesTests
{
    private static readonly AccessProduct Visio = new("Visio", true) { Aliases = ["visio plan 2"], Sku = "VISIOCLIENT" };
    private static readonly AccessProduct Office = new("Microsoft 365 Apps", true) { Aliases = ["office"], Sku = "O365" };

    [Fact]
    public void Every_category_automation_may_touch_has_a_contract()
    {
        foreach (var c in PlaybookContracts.All)
        {
            Assert.NotEmpty(c.Preconditions);
            Assert.NotEmpty(c.Actions);
            Assert.False(string.IsNullOrEmpty(c.RequesterIsTold) || string.IsNullOrEmpty(c.ConfirmedBy) || string.IsNullOrEmpty(c.OnFailure), c.Name);
        }
        Assert.Equal(Categories.Automatable.Order(), PlaybookContracts.All.Select(c => c.Category).Distinct().Order());
    }

    [Fact]
    public void Finds_catalogue_products_by_name_or_alias_as_whole_words()
    {
        Assert.Equal([Visio], PlaybookRules.ProductsNamed([Visio, Office], "Can I get Visio please?"));
        Assert.Equal([Visio], PlaybookRules.ProductsNamed([Visio, Office], "need VISIO PLAN 2 for diagrams"));
        Assert.Equal([Office], PlaybookRules.ProductsNamed([Visio, Office], "my office chair is broken? no: Office won’t open"));
        Assert.Empty(PlaybookRules.ProductsNamed([Visio, Office], "television"));
    }

    [Fact]
    public void Allows_self_service_products_within_the_approval_limit_only()
    {
        var policy = new AccessPolicy(20, []);
        Assert.True(PlaybookRules.Decide(Visio with { MonthlyCost = 12 }, policy).Allowed);
        Assert.True(PlaybookRules.Decide(Visio with { MonthlyCost = 20 }, policy).Allowed);
        var dear = PlaybookRules.Decide(Visio with { MonthlyCost = 21 }, policy);
        Assert.False(dear.Allowed);
        Assert.Contains("above the client's approval limit of 20", dear.Reason, StringComparison.Ordinal);
        var listed = PlaybookRules.Decide(Visio with { SelfService = false }, policy);
        Assert.False(listed.Allowed);
        Assert.Contains("not on the client's self-service list", listed.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I am locked out", true)]
    [InlineData("account locked", true)]
    [InlineData("Lockout again", true)]
    [InlineData("locked-out of Windows", true)]
    [InlineData("I forgot my password", false)]
    public void Recognises_lockouts(string text, bool lockout) => Assert.Equal(lockout, PlaybookRules.MentionsLockout(text));

    [Fact]
    public void Masks_addresses() => Assert.Equal("s***@example.org", PlaybookRules.MaskAddress("sam.home@example.org"));

    [Fact]
    public void The_pass_mail_carries_the_pass_once_and_the_reference_in_its_subject()
    {
        var mail = PassMail.Create("kim@example.org", "Kim Park", "Ab3-xY", 60, "T-1042");
        Assert.Equal("[#T-1042] Your one-time sign-in pass", mail.Subject);
        Assert.StartsWith("Hi Kim,\n\nYou asked us for help getting into your work account (reference T-1042). Here is a one-time sign-in pass:\n\nAb3-xY\n\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("<p>Ab3-xY</p>", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profiles_directory_and_catalogue_read_and_write_the_TypeScript_JSON()
    {
        const string json = """
            {"clientId":"demo","name":"Demo","directory":{"tenantId":"t-1","appId":"app-1","credential":"workload-identity","passwordWriteback":false,"temporaryAccessPass":true,"passLifetimeMinutes":60},
             "access":{"approvalAboveMonthlyCost":20,"products":[{"product":"Visio","aliases":["visio plan 2"],"sku":"VISIOCLIENT","monthlyCost":12,"selfService":true},
                                                             {"product":"Adobe Acrobat","groupId":"g-1","monthlyCost":15.5,"selfService":false}]}}
            """;
        var profile = JsonSerializer.Deserialize<ClientProfile>(json, AutotierJson.Options)!;
        Assert.Equal(DirectoryCredentials.WorkloadIdentity, profile.Directory!.Credential);
        Assert.Equal(("t-1", "app-1", false, true, 60),
            (profile.Directory.TenantId, profile.Directory.AppId, profile.Directory.PasswordWriteback, profile.Directory.TemporaryAccessPass, profile.Directory.PassLifetimeMinutes));
        Assert.Equal(20, profile.Access!.ApprovalAboveMonthlyCost);
        Assert.Equal(["visio plan 2"], profile.Access.Products[0].Aliases);
        Assert.Equal(("g-1", 15.5, false), (profile.Access.Products[1].GroupId, profile.Access.Products[1].MonthlyCost, profile.Access.Products[1].SelfService));
        var written = JsonSerializer.Serialize(profile, AutotierJson.Options);
        Assert.Contains("\"directory\":{\"tenantId\":\"t-1\",\"credential\":\"workload-identity\",\"appId\":\"app-1\"", written, StringComparison.Ordinal);
        Assert.Contains("{\"product\":\"Adobe Acrobat\",\"selfService\":false,\"groupId\":\"g-1\",\"monthlyCost\":15.5}", written, StringComparison.Ordinal);
        // A profile stored before this port has neither, and reads as guides only.
        var old = JsonSerializer.Deserialize<ClientProfile>("""{"clientId":"demo","name":"Demo"}""", AutotierJson.Options)!;
        Assert.Null(old.Directory);
        Assert.Null(old.Access);
    }

    [Fact]
    public void The_built_in_device_guides_are_never_a_printers()
    {
        foreach (var playbook in new[]
        {
            Autotier.Domain.Classification.Playbooks.ScannerGuide, Autotier.Domain.Classification.Playbooks.MouseKeyboardGuide,
            Autotier.Domain.Classification.Playbooks.DisplayDockGuide, Autotier.Domain.Classification.Playbooks.HeadsetGuide,
            Autotier.Domain.Classification.Playbooks.DeskPhoneGuide, Autotier.Domain.Classification.Playbooks.PeripheralGuide,
        })
        {
            var guide = BuiltInGuides.ForDevice(playbook)!;
            Assert.DoesNotContain("printer", guide.Title + string.Join(' ', guide.Steps), StringComparison.OrdinalIgnoreCase);
        }
        Assert.Null(BuiltInGuides.ForDevice(Autotier.Domain.Classification.Playbooks.PrinterGuide));
    }
}
