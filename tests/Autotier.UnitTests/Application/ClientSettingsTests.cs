using Autotier.Application.Clients;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Xunit;

namespace Autotier.UnitTests.Application;

/// <summary>
/// One profile setting changed by its path, checked before it is stored (issue #34 fix 6): every
/// kind of setting accepted in its own form, and refused with a sentence that names it.
/// </summary>
public sealed class ClientSettingsTests
{
    private const string Png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static readonly ClientProfile Demo = new("demo", "Demo Dental Group")
    {
        BusinessHours = new BusinessHours("Europe/London", [1, 2, 3, 4, 5], "08:00", "18:00"),
        VipEmails = ["owner@demo.example"],
        SystemProfile = new SystemProfile { VpnProduct = "FortiClient", Printers = new Dictionary<string, string> { ["Main Street"] = "HP LaserJet Pro M404" } },
    };

    private static ClientProfile Set(string setting, string value, ClientProfile? profile = null)
    {
        var change = ClientSettings.Apply(profile ?? Demo, setting, value);
        var done = Assert.IsType<SettingChange.Done>(change);
        Assert.True(done.Changed, $"{setting} {value} changed nothing");
        return done.Profile;
    }

    private static string Refused(string setting, string value, ClientProfile? profile = null) =>
        Assert.IsType<SettingChange.Refused>(ClientSettings.Apply(profile ?? Demo, setting, value)).Error;

    [Fact]
    public void Vips_are_addresses_stored_in_lower_case_once()
    {
        Assert.Equal(["ceo@demo.example", "owner@demo.example"], Set("vipEmails", "CEO@demo.example, owner@demo.example,ceo@demo.example").VipEmails);
        Assert.Equal("vipEmails has \"not-an-address\", which is not a mail address", Refused("vipEmails", "ceo@demo.example not-an-address"));
        Assert.Empty(Set("vipEmails", "").VipEmails);
    }

    [Fact]
    public void Lifecycle_knobs_are_whole_numbers_in_range_and_silence_policies_per_category()
    {
        var changed = Set("lifecycle.reopenWindowDays", "3");
        Assert.Equal(3, changed.Lifecycle!.ReopenWindowDays);
        Assert.Equal(24, changed.Lifecycle.ReminderAfterHours);
        var tier = Set("lifecycle.tierLimitMinutes.2", "45", changed);
        Assert.Equal([30, 45, 120], Enumerable.Range(1, 3).Select(t => (int)tier.Lifecycle!.TierLimit(t).TotalMinutes));
        Assert.Equal(SilencePolicy.Close, Set("lifecycle.onSilence.password_reset", "close").Lifecycle!.SilenceFor("password_reset"));

        Assert.Equal("lifecycle.maxTier is 4: it is 2 or 3", Refused("lifecycle.maxTier", "4"));
        Assert.Equal("lifecycle.reminderAfterHours is a whole number (hours after the guide before the reminder), not \"soon\"", Refused("lifecycle.reminderAfterHours", "soon"));
        Assert.Equal("lifecycle.tierLimitMinutes.4: tiers are 1, 2 and 3", Refused("lifecycle.tierLimitMinutes.4", "10"));
        Assert.StartsWith("lifecycle.onSilence.coffee: not a category", Refused("lifecycle.onSilence.coffee", "close"), StringComparison.Ordinal);
        Assert.Equal("lifecycle.onSilence.vpn_remote_access is one of escalate, close, not \"ignore\"", Refused("lifecycle.onSilence.vpn_remote_access", "ignore"));
    }

    [Fact]
    public void Devices_software_and_recent_changes_are_lists_separated_by_semicolons_bounded()
    {
        var changed = Set("systemProfile.devices", "20 Windows 11 laptops; 3 reception PCs, front desk");
        Assert.Equal(["20 Windows 11 laptops", "3 reception PCs, front desk"], changed.SystemProfile.Devices);
        Assert.Equal("FortiClient", changed.SystemProfile.VpnProduct);
        Assert.Equal(["Moved to Microsoft 365 MFA in October"], Set("systemProfile.recentChanges", "Moved to Microsoft 365 MFA in October").SystemProfile.RecentChanges);
        Assert.Equal("systemProfile.software has 31 items: at most 30", Refused("systemProfile.software", string.Join(";", Enumerable.Range(0, 31).Select(i => $"app {i}"))));
    }

    [Fact]
    public void P1_paging_keeps_the_pager_on_and_the_windows_in_order()
    {
        var p1 = Set("p1.repageMinutes", "10").P1!;
        Assert.Equal((15, 240, 10, 8), (p1.ResponseMinutes, p1.ResolutionMinutes, p1.RepageMinutes, p1.MaxPages));
        Assert.Equal("p1.maxPages is 0: give at least 1 (a zero would silence the pager)", Refused("p1.maxPages", "0"));
        Assert.Equal("p1.resolutionMinutes 10 is not after p1.responseMinutes 15", Refused("p1.resolutionMinutes", "10"));
    }

    [Fact]
    public void The_system_profile_takes_printers_by_site_vpn_product_and_user_sites()
    {
        var printers = Set("systemProfile.printers.Riverside", "Brother HL-L2350DW").SystemProfile.Printers!;
        Assert.Equal(["HP LaserJet Pro M404", "Brother HL-L2350DW"], [printers["Main Street"], printers["Riverside"]]);
        Assert.Equal("GlobalProtect", Set("systemProfile.vpnProduct", "GlobalProtect").SystemProfile.VpnProduct);
        Assert.Equal("Riverside", Set("systemProfile.userSites.anna.price@demo.example", "Riverside").SystemProfile.UserSites!["anna.price@demo.example"]);
        Assert.Null(Set("systemProfile.printers.Main Street", "").SystemProfile.Printers);
        Assert.Equal("systemProfile.userSites has \"anna\", which is not a mail address", Refused("systemProfile.userSites.anna", "Riverside"));
        Assert.Equal("systemProfile.vpnProduct has a control character (a line break or tab)", Refused("systemProfile.vpnProduct", "Forti\nClient"));
    }

    [Fact]
    public void The_catalogue_portal_threshold_and_emergency_phone()
    {
        var access = Set("access", """{"approvalAboveMonthlyCost": 20, "products": [{"product": "Visio", "sku": "VISIOCLIENT", "monthlyCost": 15, "selfService": true}]}""").Access!;
        Assert.Equal(("Visio", "VISIOCLIENT", 20.0), (access.Products[0].Product, access.Products[0].Sku, access.ApprovalAboveMonthlyCost));
        Assert.Equal("access.products \"Visio\" needs a sku or a groupId (what to grant)", Refused("access", """{"approvalAboveMonthlyCost": 20, "products": [{"product": "Visio", "selfService": true}]}"""));
        Assert.StartsWith("access is not valid JSON", Refused("access", "{products: Visio}"), StringComparison.Ordinal);

        Assert.True(Set("portal.anonymous", "true").Portal!.Anonymous);
        Assert.Equal("portal.anonymous is true or false, not \"maybe\"", Refused("portal.anonymous", "maybe"));

        Assert.Equal(0.8, Set("autoThreshold", "0.8").AutoThreshold);
        Assert.Equal("autoThreshold is 1.5: give a confidence from 0 to 1 (0.6 is the default)", Refused("autoThreshold", "1.5"));
        Assert.Equal("autoThreshold cannot be removed: give a value (the classifier confidence from which automation runs (0 to 1))", Refused("autoThreshold", ""));

        Assert.Equal("+44 20 7946 0000", Set("emergencyPhone", "+44 20 7946 0000").EmergencyPhone);
        Assert.StartsWith("emergencyPhone \"call Bob\" is not a phone number", Refused("emergencyPhone", "call Bob"), StringComparison.Ordinal);
        Assert.Equal("slaTier is one of premium, standard, basic, not \"gold\"", Refused("slaTier", "gold"));
        Assert.Equal("language is one of en, de, es, fr, nl, not \"it\"", Refused("language", "it"));
    }

    [Fact]
    public void Hours_are_checked_as_a_whole()
    {
        Assert.Equal([1, 2, 3, 4, 5, 6], Set("businessHours.days", "1,2,3,4,5,6").BusinessHours.Days);
        Assert.Equal("businessHours.end 07:00 is not after businessHours.start 08:00", Refused("businessHours.end", "07:00"));
        Assert.Equal("businessHours.timeZone \"Mars/Olympus\" is not a known time zone (an IANA id such as Europe/London)", Refused("businessHours.timeZone", "Mars/Olympus"));
    }

    [Fact]
    public void Branding_takes_names_contacts_and_inline_logos_only()
    {
        var branded = Set("branding.mspLogo", Png);
        Assert.Equal(Png, branded.Branding!.MspLogo);
        Assert.Equal("Contoso IT", Set("branding.mspName", "Contoso IT", branded).Branding!.MspName);
        Assert.Equal(Png, Set("branding.mspName", "Contoso IT", branded).Branding!.MspLogo);
        Assert.StartsWith("branding.clientLogo must be a data:image/png, image/jpeg or image/webp URI", Refused("branding.clientLogo", "https://cdn.example/logo.png"), StringComparison.Ordinal);
        Assert.Equal("branding.clientLogo is image/svg+xml: give a PNG, JPEG or WebP picture", Refused("branding.clientLogo", "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="));
        Assert.Equal("branding.clientLogo says image/png but its bytes are not a picture", Refused("branding.clientLogo", "data:image/png;base64,aGVsbG8="));
        // Removing the last branding setting removes the branding.
        Assert.Null(Set("branding.mspLogo", "", branded).Branding);
    }

    [Fact]
    public void The_same_value_again_is_no_change_and_an_unknown_setting_lists_the_known_ones()
    {
        var once = Set("lifecycle.reopenWindowDays", "5");
        var again = Assert.IsType<SettingChange.Done>(ClientSettings.Apply(once, "lifecycle.reopenWindowDays", "5"));
        Assert.False(again.Changed);
        Assert.False(Assert.IsType<SettingChange.Done>(ClientSettings.Apply(Demo, "systemProfile.vpnProduct", "FortiClient")).Changed);

        var unknown = Refused("vips", "a@b.example");
        Assert.StartsWith("\"vips\" is not a setting; the settings are name, slaTier, autoThreshold, vipEmails,", unknown, StringComparison.Ordinal);
        Assert.Contains("systemProfile.printers.<site>", unknown, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', unknown);
    }

    [Fact]
    public void The_rules_accept_the_demo_client_and_a_profile_with_every_setting()
    {
        Assert.Null(ClientProfileRules.Validate(Demo));
        var everything = Demo with
        {
            EmailDomains = ["demo.example"],
            Language = "de",
            EmergencyPhone = "+44 20 7946 0000",
            Lifecycle = new LifecycleSettings { MaxTier = 2 },
            P1 = new P1Settings(10, 120, 10, 6),
            Portal = new PortalSettings(true),
            Branding = new Branding { MspName = "Contoso", MspLogo = Png, ClientLogo = Png, MspContact = "help@contoso.example", ClientContact = "Anna" },
        };
        Assert.Null(ClientProfileRules.Validate(everything));
    }
}
