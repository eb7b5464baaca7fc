using System.Diagnostics;
using Autotier.Domain.Classification.Model;
using Autotier.Training;

// The classifier bench, as the TypeScript's bench/classifier.ts: train on every public ticket
// (timed), save the model, then time predictions in a fresh process that loads the saved file,
// pinned to one core with taskset where there is one. Figures go to stdout only.
//   dotnet run -c Release --project bench/Autotier.Bench [-- <corpus.csv>]
if (args is ["--predict", var modelPath, var corpusPath])
{
    var rows = LabelledCsv.Read(corpusPath, ["Document"], "Topic_group");
    var model = ModelFile.Load(await File.ReadAllBytesAsync(modelPath));
    var texts = rows.Select(r => r.Text).ToArray();
    for (var i = 0; i < 2000; i++) model.Predict(texts[i % texts.Length]);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var n = 0;
    while (clock.Elapsed < TimeSpan.FromSeconds(5)) model.Predict(texts[n++ % texts.Length]);
    var seconds = clock.Elapsed.TotalSeconds;
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    // Per second of this process's CPU time too: on a shared machine the wall clock also counts
    // the time other processes had the core.
    Console.WriteLine($"predict: {n / seconds:F0} predictions/s wall, {n / cpuSeconds:F0} per CPU second, over {n} texts (model loaded from file, one thread)");
    return 0;
}

var corpus = args.Length > 0 ? args[0] : FindCorpus();
var all = LabelledCsv.Read(corpus, ["Document"], "Topic_group");
var trainCpu = Process.GetCurrentProcess().TotalProcessorTime;
var trainClock = Stopwatch.StartNew();
var trained = TextClassifier.Train([.. all.Select(r => r.Text)], [.. all.Select(r => r.Label)]);
var trainCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - trainCpu).TotalMilliseconds;
Console.WriteLine($"train: {trainClock.ElapsedMilliseconds} ms wall, {trainCpuMs:F0} ms CPU (the process's, GC threads included) on {all.Count} tickets (one thread); load {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?")}");
var file = Path.Combine(Path.GetTempPath(), $"autotier-bench-{Environment.ProcessId}.bin.gz");
await File.WriteAllBytesAsync(file, ModelFile.Save(trained));
Console.WriteLine($"model: {new FileInfo(file).Length} bytes");
try
{
    var self = Environment.ProcessPath!;
    var dll = System.Reflection.Assembly.GetEntryAssembly()!.Location;
    var pinned = File.Exists("/usr/bin/taskset");
    var start = new ProcessStartInfo(pinned ? "/usr/bin/taskset" : self) { RedirectStandardOutput = true };
    foreach (var a in (pinned ? new[] { "-c", "0", self } : []).Concat(self.EndsWith("dotnet", StringComparison.Ordinal) ? [dll] : []).Concat(["--predict", file, corpus]))
        start.ArgumentList.Add(a);
    using var child = Process.Start(start)!;
    Console.Write(await child.StandardOutput.ReadToEndAsync());
    await child.WaitForExitAsync();
    Console.WriteLine(pinned ? "(pinned to core 0 with taskset)" : "(not pinned: no taskset)");
}
finally
{
    File.Delete(file);
}
return 0;

static string FindCorpus()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "shared", "data", "it-service-tickets-train.csv");
        if (File.Exists(candidate)) return candidate;
    }
    throw new FileNotFoundException("no shared/data/it-service-tickets-train.csv above the bench; pass the file");
}
