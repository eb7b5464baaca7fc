using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.E2ETests.Support;
using Azure.Data.Tables;
using Xunit;
using static Autotier.E2ETests.Support.ClockHostFixture;

namespace Autotier.E2ETests.Scenarios;

/// <summary>
/// tests/e2e/demoTenant.test.ts and the TypeScript README's "Try every playbook" table: the six
/// playbook cases of the demo tenant, filed on the C# local host (DemoSeed and its Graph emulator at
/// <c>/_emulator/graph</c>), on a host of their own so the seats start as the README says.
/// </summary>
public sealed class DemoTenantTests(ClockHostFixture host) : IClassFixture<ClockHostFixture>
{
    private const string PasswordSubject = "Forgot my password";
    private const string PasswordBody = "I forgot my password and cannot sign in.";

    private static bool Has(JsonElement mail, string text) => Text(mail).Contains(text, StringComparison.Ordinal);

    /// <summary>The audit log's records of the ticket (what <c>autotier actions --client demo</c> lists).</summary>
    private async Task<List<TableEntity>> AuditAsync(string id)
    {
        var table = new TableClient(host.StorageConnection, host.Prefix + "Audit");
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == "demo"))
                if (row.GetString("ticketId") == id) rows.Add(row);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No action yet: no table.
        }
        return rows;
    }

    private async Task<int> ConsumedAsync(string sku)
    {
        var skus = await host.Http.GetFromJsonAsync<JsonElement>(new Uri("_emulator/graph/v1.0/subscribedSkus", UriKind.Relative));
        return skus.GetProperty("value").EnumerateArray().Single(s => s.GetProperty("skuPartNumber").GetString() == sku).GetProperty("consumedUnits").GetInt32();
    }

    /// <summary>
    /// Issue #32 fix 9: a playbook that changes an account (a Temporary Access Pass, a licence) acts
    /// only for a requester proven to own the address; a ticket filed anonymously over the API gets a
    /// "/verify" link first, where the TypeScript app acted at once. Presses it.
    /// </summary>
    private async Task ProveAsync(string email, string id)
    {
        var ask = await host.MailAsync(email, id, m => Has(m, "/verify?token="), "proof request");
        Assert.Equal("proving", (await host.ViewAsync(id)).GetProperty("workflow").GetProperty("phase").GetString());
        Assert.Equal(HttpStatusCode.OK, (await host.ClickAsync(Link(ask, "/verify?token="))).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_demo_tenant_is_served_on_the_app_port_as_the_readme_table_says()
    {
        var users = await host.Http.GetFromJsonAsync<JsonElement>(new Uri("_emulator/graph/v1.0/users?$filter=mail eq 'sspr@demo.example'", UriKind.Relative));
        Assert.Equal(["sspr@demo.example"], users.GetProperty("value").EnumerateArray().Select(u => u.GetProperty("userPrincipalName").GetString()));
        var skus = await host.Http.GetFromJsonAsync<JsonElement>(new Uri("_emulator/graph/v1.0/subscribedSkus", UriKind.Relative));
        var project = skus.GetProperty("value").EnumerateArray().Single(s => s.GetProperty("skuPartNumber").GetString() == "PROJECTPROFESSIONAL");
        Assert.Equal(2, project.GetProperty("consumedUnits").GetInt32());
        Assert.Equal(2, project.GetProperty("prepaidUnits").GetProperty("enabled").GetInt32());
    }

    [Fact(Timeout = 180_000)]
    public async Task Case_1_password_registered_for_self_service_reset_gets_the_reset_steps()
    {
        const string email = "sspr@demo.example";
        var id = await host.FileAsync(email, PasswordSubject, PasswordBody);
        await host.StageAsync(id, "awaiting_confirmation");
        var guide = await host.MailAsync(email, id, m => Has(m, "answer=yes"), "guide");
        Assert.Equal($"[#{id}] Getting back into your account", Subject(guide));
        Assert.Contains("aka.ms/sspr", Text(guide), StringComparison.Ordinal);
        Assert.Contains("answer=no", Text(guide), StringComparison.Ordinal);
        Assert.Empty(await AuditAsync(id));
    }

    [Fact(Timeout = 180_000)]
    public async Task Case_2_password_registered_for_mfa_only_a_temporary_access_pass_to_the_verified_contact_email()
    {
        const string email = "mfa-only@demo.example";
        var id = await host.FileAsync(email, PasswordSubject, PasswordBody);
        Assert.Empty(await host.MailsAsync("mfa-only@personal.example", id));
        await ProveAsync(email, id);

        var passMail = await host.MailAsync("mfa-only@personal.example", id, _ => true, "pass mail");
        Assert.Equal($"[#{id}] Your one-time sign-in pass", Subject(passMail));
        var pass = Regex.Match(Text(passMail), @"sign-in pass:\n\n(\S+)").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(pass), Text(passMail));
        var steps = await host.MailAsync(email, id, m => Subject(m) == $"[#{id}] Getting back into your account with a one-time pass", "steps mail");
        Assert.Contains("m***@personal.example", Text(steps), StringComparison.Ordinal);
        Assert.DoesNotContain(await host.MailsAsync(email, id), m => Has(m, pass));
        await host.StageAsync(id, "awaiting_confirmation");
        var record = Assert.Single(await AuditAsync(id));
        Assert.Equal(("temporary_access_pass", email, "done"), (record.GetString("action"), record.GetString("target"), record.GetString("outcome")));

        // playbooks.test.ts: the steps' yes closes it.
        Assert.Equal(HttpStatusCode.OK, (await host.ClickAsync(Link(steps, "answer=yes"))).StatusCode);
        await host.StageAsync(id, "resolved");
    }

    [Fact(Timeout = 180_000)]
    public async Task Case_3_password_with_no_sign_in_method_is_escalated_with_nothing_sent_but_the_hand_over()
    {
        const string email = "no-methods@demo.example";
        var id = await host.FileAsync(email, PasswordSubject, PasswordBody);
        await host.StageAsync(id, "escalated");
        var told = await host.MailAsync(email, id, m => Subject(m).Contains("An engineer is on it", StringComparison.Ordinal), "hand-over mail");
        Assert.Contains("we need to be sure it's really you", Text(told), StringComparison.Ordinal);
        Assert.Equal(2, (await host.MailsAsync(email, id)).Length);
        Assert.Empty(await AuditAsync(id));
    }

    [Fact(Timeout = 180_000)]
    public async Task Case_4_password_for_a_disabled_account_is_escalated_as_a_possible_leaver_or_block()
    {
        const string email = "disabled@demo.example";
        var id = await host.FileAsync(email, PasswordSubject, PasswordBody);
        await host.StageAsync(id, "escalated");
        var told = await host.MailAsync(email, id, m => Subject(m).Contains("An engineer is on it", StringComparison.Ordinal), "hand-over mail");
        Assert.Contains("Your account is switched off", Text(told), StringComparison.Ordinal);
        // Issue #32 fix 1: never "good news" wording for a disabled account.
        Assert.DoesNotContain(await host.MailsAsync(email, id), m => Has(m, "Good news"));
        Assert.Empty(await AuditAsync(id));
    }

    [Fact(Timeout = 180_000)]
    public async Task Case_5_a_licence_with_free_seats_visio_is_assigned_audited_and_the_requester_told_how_to_start()
    {
        const string email = "sspr@demo.example";
        // The class shares one demo tenant: another test may have assigned a seat already.
        var before = await ConsumedAsync("VISIOCLIENT");
        var id = await host.FileAsync(email, "Visio licence", "Please can I have a Visio licence so I can open the floor plan diagrams.");
        Assert.Equal(before, await ConsumedAsync("VISIOCLIENT"));
        await ProveAsync(email, id);

        var steps = await host.MailAsync(email, id, m => Subject(m) == $"[#{id}] Your access to Visio", "access mail");
        Assert.Contains("answer=yes", Text(steps), StringComparison.Ordinal);
        await host.StageAsync(id, "awaiting_confirmation");
        var record = Assert.Single(await AuditAsync(id));
        Assert.Equal(("licence_assigned", email, "done"), (record.GetString("action"), record.GetString("target"), record.GetString("outcome")));
        Assert.Equal(before + 1, await ConsumedAsync("VISIOCLIENT"));
    }

    [Fact(Timeout = 180_000)]
    public async Task Case_6_a_licence_with_no_free_seat_microsoft_project_is_escalated_with_the_count()
    {
        const string email = "sspr@demo.example";
        var id = await host.FileAsync(email, "Microsoft Project licence", "Please can I have a Microsoft Project licence so I can plan the surgery refit.");
        var told = await host.MailAsync(email, id, m => Subject(m).Contains("An engineer is on it", StringComparison.Ordinal), "hand-over mail");
        Assert.Contains("All of your organisation's Microsoft Project licences are in use", Text(told), StringComparison.Ordinal);
        await host.StageAsync(id, "escalated");
        Assert.Empty(await AuditAsync(id));
        Assert.Equal(2, await ConsumedAsync("PROJECTPROFESSIONAL"));
    }

    [Fact(Timeout = 280_000)]
    public async Task The_ticket_shows_what_the_playbook_did_and_why_it_escalated_as_the_readme_table_says()
    {
        // (No Visio request here: the class shares one demo tenant, and case 5 needs sspr@'s Visio seat still free.)
        var project = await host.FileAsync("sspr@demo.example", "Microsoft Project licence", "Please can I have a Microsoft Project licence so I can plan the surgery refit.");
        var projectView = await host.StageAsync(project, "escalated");
        Assert.Contains("no free Microsoft Project licence (PROJECTPROFESSIONAL: 2 of 2 in use)",
            projectView.GetProperty("escalation").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(projectView.GetProperty("playbook").GetProperty("findings").EnumerateArray(), f => f.GetString()!.Contains("PROJECTPROFESSIONAL", StringComparison.Ordinal));
        Assert.Empty(projectView.GetProperty("playbook").GetProperty("actions").EnumerateArray());
        foreach (var (email, reason) in new[] { ("no-methods@demo.example", "not registered for MFA or self-service reset"), ("disabled@demo.example", "disabled@demo.example is disabled in Entra ID") })
        {
            var id = await host.FileAsync(email, PasswordSubject, PasswordBody);
            Assert.Contains(reason, (await host.StageAsync(id, "escalated")).GetProperty("escalation").GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
    }
}
