using System.Diagnostics;
using Misgen.Sweeps;

namespace Misgen.Tests.Sweeps;

/// <summary>
/// Real train and eval tasks (the `smoke` preset, lengthened) in worker processes: a worker SIGKILLed
/// in the middle of training (after a checkpoint) and one in the middle of an evaluation are redone,
/// and the study ends with agents bit-identical to, and episodes equal to, an uninterrupted run.
/// </summary>
public sealed class RealTaskFaultTests : IDisposable
{
    private readonly SweepTestKit kit = new();

    public void Dispose() => kit.Dispose();

    private static string Study(string outDir) => $"""
        name: real
        out: {outDir}
        preset: smoke
        set: {"{"}total_steps: 5120{"}"}
        seeds: [0, 1]
        eval_levels: {"{"}start: 100000, count: 150{"}"}
        conditions:
          - env: maze:yellow-line@black
            settings: [maze:red-line+yellow-gem@black]
        """;

    /// <summary>The weights and episodes of every task, by relative path (train.csv holds wall-clock speeds, so it is left out).</summary>
    private static SortedDictionary<string, string> Results(StudyLayout layout) =>
        new(SweepTestKit.Outputs(layout).Where(kv => kv.Key.EndsWith("model.safetensors") || kv.Key.EndsWith(".episodes.csv"))
            .ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);

    [Fact]
    public async Task Worker_killed_mid_training_and_mid_evaluation_gives_the_uninterrupted_results()
    {
        var (study, layout, plan) = kit.Plan(kit.WriteStudy("real", Study(Path.Combine(kit.Dir, "out"))));
        var events = new List<SweepEvent>();
        var run = Task.Run(() => new LocalExecutor(study, plan, layout, workers: 2, e => { lock (events) events.Add(e); }).Run());

        // Mid-training: after the first checkpoint (every 10 updates) and before the end (40 updates).
        var train = plan.Tasks[0];
        string csv = Path.Combine(layout.AgentDir(train.Condition, train.Seed), "train.csv");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(csv) && File.ReadAllLines(csv).Length > 12))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "training did not get past its first checkpoint");
            await Task.Delay(5);
        }
        int trainPid = new TaskMarkers(layout).ReadRunning(train)!.Pid;
        Assert.False(File.Exists(layout.DoneMarker(train.Id)));
        Process.GetProcessById(trainPid).Kill();

        // Mid-evaluation: as soon as the task has started.
        var eval = plan.Tasks.Last();
        RunningMarker? running;
        while ((running = new TaskMarkers(layout).ReadRunning(eval)) == null)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "evaluation did not start");
            await Task.Delay(2);
        }
        Assert.False(File.Exists(layout.DoneMarker(eval.Id)));
        try { Process.GetProcessById(running.Pid).Kill(); } catch (ArgumentException) { }

        var summary = await run.WaitAsync(TimeSpan.FromSeconds(180));
        Assert.True(summary.Complete, string.Join("; ", summary.Failed.Select(f => f.Message)));
        lock (events)
        {
            Assert.Contains(events, e => e.Kind == SweepEventKind.Retrying && e.Task.Id == train.Id && e.Message!.Contains("signal 9"));
            Assert.Contains(events, e => e.Kind == SweepEventKind.Retrying && e.Task.Id == eval.Id && e.Message!.Contains("signal 9"));
        }
        Assert.Contains("resuming from", File.ReadAllText(layout.LocalLog(train.Id)));
        Assert.Empty(Directory.EnumerateFiles(layout.Out, "*.partial.db*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(layout.Out, "*.tmp", SearchOption.AllDirectories));

        var reference = kit.Plan(kit.WriteStudy("reference", Study(Path.Combine(kit.Dir, "reference"))));
        SweepTestKit.RunInProcess(reference.Study, reference.Layout, reference.Plan);
        var expected = Results(reference.Layout);
        Assert.Equal(2 + 2, expected.Count);
        Assert.Equal(expected, Results(layout));

        // results.db through the real store: every episode once, and a second collect adds nothing.
        using var store = Misgen.Eval.ResultsStore.Open(layout.ResultsDb);
        var sink = new ResultsStoreSink(store, study, layout);
        SweepCollector.Collect(plan, layout, sink);
        SweepCollector.Collect(plan, layout, sink);
        Assert.Equal(2 * 150, sink.Added);
        Assert.Equal(2 * 150, store.EpisodeCount());
        Assert.Equal(["maze-yellow-line-black/s0000", "maze-yellow-line-black/s0001"], store.Agents().Select(a => a.Name).Order());
    }

    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("train.csv")]
    public void Damaged_output_of_a_trained_agent_is_trained_again_bit_identically(string file)
    {
        var (study, layout, plan) = kit.Plan(kit.WriteStudy("one", "preset: smoke\nseeds: [3]\nout: " + Path.Combine(kit.Dir, "one") + "\nconditions:\n  - env: maze:yellow-line@black\n"));
        SweepTestKit.RunInProcess(study, layout, plan);
        var task = Assert.Single(plan.Tasks);
        string dir = layout.AgentDir(task.Condition, task.Seed);
        byte[] model = File.ReadAllBytes(Path.Combine(dir, "model.safetensors"));
        string path = Path.Combine(dir, file);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length - 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        Assert.False(new TaskMarkers(layout).IsDone(task, verifyChecksums: true));

        SweepTestKit.RunInProcess(study, layout, plan);
        Assert.True(new TaskMarkers(layout).IsDone(task, verifyChecksums: true));
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(dir, "model.safetensors")));
        Assert.NotEqual(bytes, File.ReadAllBytes(path));   // the damaged file itself was replaced
    }
}
