using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Xunit;

namespace Autotier.UnitTests.Application;

/// <summary>
/// Profiles the TypeScript app stored read through the app's JSON options into the lifecycle fields,
/// with the defaults its readers (lifecycleFor, p1SettingsFor) filled in.
/// </summary>
public sealed class ClientProfileJsonTests
{
    /// <summary>JSON.stringify(DEMO_CLIENT) from the TypeScript build (src/domain/client.ts).</summary>
    private const string DemoClient =
        """{"clientId":"demo","name":"Demo Dental Group","slaTier":"standard","businessHours":{"timeZone":"Europe/London","days":[1,2,3,4,5],"start":"08:00","end":"18:00"},"autoThreshold":0.6,"vipEmails":["owner@demo.example"],"emailDomains":["demo.example"],"systemProfile":{"devices":["20 Windows 11 laptops","3 reception PCs"],"software":["Microsoft 365 Business Premium","Dentrix","Adobe Acrobat"],"vpnProduct":"FortiClient","printers":{"Main Street":"HP LaserJet Pro M404","Riverside":"Brother HL-L2350DW"},"recentChanges":["Moved to Microsoft 365 MFA in October"]}}""";

    private static ClientProfile Read(string json) =>
        JsonSerializer.Deserialize<ClientProfile>(json, AutotierJson.Options) ?? throw new InvalidOperationException("null profile");

    [Fact]
    public void The_demo_client_reads_with_its_hours_and_domains_and_default_lifecycle()
    {
        var demo = Read(DemoClient);

        Assert.Equal(("demo", "Demo Dental Group", "standard"), (demo.ClientId, demo.Name, demo.SlaTier));
        Assert.Equal(("Europe/London", "08:00", "18:00"), (demo.BusinessHours.TimeZone, demo.BusinessHours.Start, demo.BusinessHours.End));
        Assert.Equal([1, 2, 3, 4, 5], demo.BusinessHours.Days);
        Assert.Null(demo.BusinessHours.Validate());
        Assert.Equal(["demo.example"], demo.EmailDomains);
        Assert.Equal(["owner@demo.example"], demo.VipEmails);
        Assert.Null(demo.Lifecycle);
        Assert.Null(demo.P1);
        Assert.Null(demo.EmergencyPhone);
        var lifecycle = LifecycleSettings.For(demo.Lifecycle);
        Assert.Equal((24, 7), (lifecycle.ReminderAfterHours, lifecycle.ReopenWindowDays));
        Assert.Equal(15, P1Settings.For(demo.P1).ResponseMinutes);
        // The hours are used as read: a Monday 07:30 UTC in March is before the London office opens.
        Assert.False(BusinessTime.IsOpen(new DateTimeOffset(2026, 3, 2, 7, 30, 0, TimeSpan.Zero), demo.BusinessHours));
    }

    [Fact]
    public void Partial_lifecycle_and_p1_overrides_keep_the_defaults_for_what_they_leave_out()
    {
        var profile = Read("""
            {"clientId":"acme","name":"Acme","slaTier":"premium",
             "businessHours":{"timeZone":"America/New_York","days":[1,2,3,4,5],"start":"09:00","end":"17:00"},
             "lifecycle":{"tierLimitMinutes":{"1":15},"onSilence":{"vpn_remote_access":"escalate"},"maxTier":2},
             "p1":{"repageMinutes":10,"maxPages":0},
             "language":"de","emergencyPhone":"+44 20 7946 0000"}
            """);

        var lifecycle = LifecycleSettings.For(profile.Lifecycle);
        Assert.Equal([15, 60, 120], Enumerable.Range(1, 3).Select(t => (int)lifecycle.TierLimit(t).TotalMinutes));
        Assert.Equal((24, 24, 7, 2), (lifecycle.ReminderAfterHours, lifecycle.SilenceAfterHours, lifecycle.ReopenWindowDays, lifecycle.MaxTier));
        Assert.Equal(SilencePolicy.Escalate, lifecycle.SilenceFor(Categories.VpnRemoteAccess));
        Assert.Equal(SilencePolicy.Close, lifecycle.SilenceFor(Categories.PrinterPeripheral));

        var p1 = P1Settings.For(profile.P1);
        Assert.Equal((15, 240, 10, 8), (p1.ResponseMinutes, p1.ResolutionMinutes, p1.RepageMinutes, p1.MaxPages));

        Assert.Equal(("de", "+44 20 7946 0000"), (profile.Language, profile.EmergencyPhone));
        Assert.Equal("America/New_York", profile.BusinessHours.TimeZone);
        Assert.Empty(profile.EmailDomains);
    }

    [Fact]
    public void A_profile_without_hours_gets_the_default_office()
    {
        var bare = Read("""{"clientId":"x","name":"X"}""");
        Assert.Same(BusinessHours.Default, bare.BusinessHours);
        Assert.Equal(("UTC", "08:00", "18:00"), (bare.BusinessHours.TimeZone, bare.BusinessHours.Start, bare.BusinessHours.End));
        Assert.Equal([1, 2, 3, 4, 5], bare.BusinessHours.Days);
    }

    [Fact]
    public void A_profile_round_trips_with_the_typescript_field_names()
    {
        var profile = new ClientProfile("acme", "Acme")
        {
            BusinessHours = new BusinessHours("Asia/Tokyo", [1, 2, 3], "09:00", "24:00"),
            Lifecycle = new LifecycleSettings { ReopenWindowDays = 3 },
            P1 = new P1Settings(RepageMinutes: 5),
            EmergencyPhone = "+81 3 0000 0000",
            EmailDomains = ["acme.example"],
        };
        var json = JsonSerializer.Serialize(profile, AutotierJson.Options);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("Asia/Tokyo", root.GetProperty("businessHours").GetProperty("timeZone").GetString());
        Assert.Equal(3, root.GetProperty("lifecycle").GetProperty("reopenWindowDays").GetInt32());
        Assert.Equal(5, root.GetProperty("p1").GetProperty("repageMinutes").GetInt32());
        Assert.Equal("+81 3 0000 0000", root.GetProperty("emergencyPhone").GetString());
        Assert.Equal("acme.example", root.GetProperty("emailDomains")[0].GetString());

        var back = Read(json);
        Assert.Equal(profile.BusinessHours.End, back.BusinessHours.End);
        Assert.Equal(profile.P1, back.P1);
        Assert.Equal(3, back.Lifecycle!.ReopenWindowDays);
    }
}
