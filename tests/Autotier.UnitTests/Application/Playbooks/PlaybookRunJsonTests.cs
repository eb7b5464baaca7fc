using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Domain.Playbooks;
using Xunit;

namespace Autotier.UnitTests.Application.Playbooks;

/// <summary>A playbook's result survives the app's JSON (an activity's output, a stored record) with its kind.</summary>
public sealed class PlaybookRunJsonTests
{
    [Fact]
    public void Each_outcome_round_trips_through_the_apps_JSON_with_its_kind()
    {
        Autotier.Application.Playbooks.PlaybookRun[] runs =
        [
            new Autotier.Application.Playbooks.PlaybookGuide(BuiltInGuides.AccessGranted("Visio", false))
            {
                Record = new PlaybookRecord("Licence or group access", ["VISIOCLIENT: 3 of 5 seats in use."],
                    [new PlaybookAction(PlaybookActions.LicenceAssigned, "sam@demo.example", "VISIOCLIENT (sku)")]),
            },
            new Autotier.Application.Playbooks.PlaybookStopped("no free Visio licence", "All of your organisation's Visio licences are in use.")
            {
                Record = new PlaybookRecord("Licence or group access", [], []) { StoppedBecause = "no free Visio licence" },
            },
            new Autotier.Application.Playbooks.PlaybookNeedsProof("granting a Visio licence changes the account"),
        ];
        string[] kinds = ["guide", "stopped", "needs_proof"];
        foreach (var (run, kind) in runs.Zip(kinds))
        {
            var json = JsonSerializer.Serialize(run, AutotierJson.Options);
            Assert.StartsWith($"{{\"kind\":\"{kind}\"", json, StringComparison.Ordinal);
            var back = JsonSerializer.Deserialize<Autotier.Application.Playbooks.PlaybookRun>(json, AutotierJson.Options)!;
            Assert.Equal(run.GetType(), back.GetType());
            Assert.Equal(json, JsonSerializer.Serialize(back, AutotierJson.Options));
        }
    }
}
