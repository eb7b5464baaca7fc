using System.Text.Json;
using Autotier.Application.Ports;
using Autotier.Cli;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Xunit;

namespace Autotier.UnitTests.Cli;

public sealed class TriageCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("autotier-triage-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Answers by the subject's first word, records the threshold it was given.</summary>
    private sealed class ByFirstWord : IClassifierSource, ITicketClassifier
    {
        public List<double> Thresholds { get; } = [];

        public string? ModelFile { get; private set; }

        public ITicketClassifier Load(string? modelFile)
        {
            ModelFile = modelFile;
            return this;
        }

        public ValueTask<TicketClassification> ClassifyAsync(
            string subject, string body, ClientProfile client, string? requesterEmail, CancellationToken cancellationToken)
        {
            Thresholds.Add(client.AutoThreshold);
            return ValueTask.FromResult(subject.StartsWith("Ransom", StringComparison.Ordinal)
                ? new TicketClassification(Categories.Engineering, Priorities.P1, 0.95, Routes.Escalate, 3, ["never automated: security incident"], Dangerous: true)
                : new TicketClassification(Categories.PrinterPeripheral, Priorities.P3, 0.9, Routes.Auto, 1, ["model"], "printer", "printer_guide"));
        }
    }

    private string File(string name, string content)
    {
        var path = Path.Combine(dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> Run(IClassifierSource source, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await AutotierCli.RunAsync(args, new CliContext(stdout, stderr) { Classifiers = source }, default);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact(Timeout = 10_000)]
    public async Task Writes_one_line_per_ticket_with_the_TypeScript_fields_and_numbers_lines_without_an_id()
    {
        var source = new ByFirstWord();
        var input = File("t.jsonl", string.Join('\n',
            """{"subject":"Printer offline","body":"reception printer"}""",
            "",
            """{"id":"x","subject":"Ransom note","body":"files encrypted"}""",
            """{"id":7,"subject":"Printer jam","body":"paper"}""") + "\n");

        var (code, stdout, stderr) = await Run(source, "triage", "--in", input, "--threshold", "0.7");

        Assert.Equal(0, code);
        var rows = stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["\"1\"", "\"x\"", "7"], rows.Select(r => r.GetProperty("id").GetRawText()));
        Assert.Equal(
            ["id", "category", "priority", "confidence", "route", "tier", "playbook", "reasons"],
            rows[0].EnumerateObject().Select(p => p.Name));
        Assert.False(rows[1].TryGetProperty("playbook", out _));
        Assert.Equal(3, rows[1].GetProperty("tier").GetInt32());
        Assert.Contains("1 ticket has no id: numbered by line (line 1)", stderr, StringComparison.Ordinal);
        Assert.All(source.Thresholds, t => Assert.Equal(0.7, t));
    }

    [Fact(Timeout = 120_000)]
    public async Task With_the_built_in_classifier_a_phished_password_is_never_automated()
    {
        // The TypeScript CLI test's three tickets, through the real classifier (no source given).
        var input = File("real.jsonl", string.Join('\n',
            """{"id":"a","subject":"Locked out","body":"I am locked out of my account","clientId":"demo"}""",
            """{"id":"b","subject":"Please reset my password","body":"I clicked a link in an email and typed my password"}""",
            """{"id":"c","subject":"Printer offline","body":"The reception printer is offline"}""") + "\n");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await AutotierCli.RunAsync(["triage", "--in", input], stdout, stderr, default);

        Assert.True(code == 0, stderr.ToString());
        var rows = stdout.ToString().Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(
            [("a", "password_reset", "auto"), ("b", "engineering", "escalate"), ("c", "printer_peripheral", "auto")],
            rows.Select(r => (r.GetProperty("id").GetString(), r.GetProperty("category").GetString(), r.GetProperty("route").GetString())));
        Assert.Equal(3, rows[1].GetProperty("tier").GetInt32());
        Assert.Contains(rows[1].GetProperty("reasons").EnumerateArray(), x => x.GetString()!.StartsWith("never automated", StringComparison.Ordinal));
        Assert.Equal("printer-guide", rows[2].GetProperty("playbook").GetString());
    }

    [Theory(Timeout = 10_000)]
    [InlineData("{\"id\":1,\"subject\":\"a\",\"body\":\"b\"}\n{\"id\":2,\n", "line 2: not valid JSON")]
    [InlineData("{\"id\":1,\"subject\":\"a\"}\n", "line 1: body: is required")]
    [InlineData("{\"id\":1,\"subject\":\"a\",\"body\":3}\n", "line 1: body: must be a string")]
    [InlineData("", "the file is empty")]
    [InlineData("\n\n", "the file is empty")]
    public async Task Bad_input_names_the_line_exits_2_and_leaves_no_output(string content, string error)
    {
        var input = File("bad.jsonl", content);
        var output = Path.Combine(dir, "out.jsonl");

        var (code, _, stderr) = await Run(new ByFirstWord(), "triage", "--in", input, "--out", output);

        Assert.Equal(2, code);
        Assert.Contains(error, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.False(System.IO.File.Exists(output));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_ticket_over_1_MB_is_refused()
    {
        var input = File("big.jsonl", JsonSerializer.Serialize(new { id = 1, subject = "big", body = new string('x', 1024 * 1024 + 1) }) + "\n");

        var (code, _, stderr) = await Run(new ByFirstWord(), "triage", "--in", input);

        Assert.Equal(2, code);
        Assert.Contains("line 1: ticket is larger than 1 MB", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_wrong_call_says_why_in_one_line_and_help_exits_0()
    {
        var (code, _, stderr) = await Run(new ByFirstWord(), "triage");
        Assert.Equal(2, code);
        Assert.Contains("--in", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));

        var (helpCode, helpOut, _) = await Run(new ByFirstWord(), "triage", "--help");
        Assert.Equal(0, helpCode);
        Assert.Contains("--threshold", helpOut, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task An_unknown_command_is_named()
    {
        var (code, _, stderr) = await Run(new ByFirstWord(), "bogus");

        Assert.Equal(2, code);
        Assert.Equal("autotier: Unrecognized command or argument 'bogus'. (see 'autotier --help')", stderr.TrimEnd());
    }

    [Fact(Timeout = 10_000)]
    public async Task The_output_file_is_written_whole()
    {
        var input = File("t.jsonl", "{\"id\":\"a\",\"subject\":\"Printer\",\"body\":\"offline\"}\n");
        var output = Path.Combine(dir, "r.jsonl");

        var (code, stdout, stderr) = await Run(new ByFirstWord(), "triage", "--in", input, "--out", output);

        Assert.Equal(0, code);
        Assert.Equal("", stdout);
        Assert.Contains("triaged 1 tickets into", stderr, StringComparison.Ordinal);
        Assert.Single(System.IO.File.ReadAllLines(output));
        Assert.Equal([output], Directory.GetFiles(dir, "r.jsonl*"));
    }
}
