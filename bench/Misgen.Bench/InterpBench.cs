using System.Diagnostics;
using Misgen.Envs;
using Misgen.Interp;
using Misgen.Nn;

namespace Misgen.Bench;

/// <summary>
/// `misgen bench interp`: the looking-inside tools at the `paper` network (IMPALA 16/32/32 at 64x64, seeded weights):
/// <list type="bullet">
/// <item><c>field-25</c>: a vector field of a 25x25 maze (maze:yellow-line@black;size=25, level 0: ~350 open cells), drawing
/// every cell's frame and one batched forward pass (target: under 100 ms); <c>forward-25</c> is that forward pass alone;</item>
/// <item><c>channels-100</c>: a channel search over 100 pairs of 15x15 mazes (finding the pairs, 200 forward passes with
/// relu3 summed, the ranking; no ablated rollouts) (target: under 10 s);</item>
/// <item><c>ig-32</c>: integrated gradients with 32 steps for one observation (target: under 200 ms).</item>
/// </list>
/// Each value is the median wall time of repeated runs after a warm-up; cpu_ms is the process CPU time per run
/// (all threads), which stays meaningful on a busy machine.
/// </summary>
public static class InterpBench
{
    private static readonly ImpalaConfig Paper = new(InputSize: 64);

    public static void Run(BenchOptions options, Action<BenchResult> report)
    {
        var fieldGame = new LevelSource(EnvSpec.Parse("maze:yellow-line@black;size=25"), 0).CreateGrid();
        var searchSpec = EnvSpec.Parse("maze:yellow-line@black;size=15");
        var observation = new LevelSource(EnvSpec.Parse("maze:red-line+yellow-gem@textured;size=15"), 100_000).Observation(64);
        BenchCatalogue.ForEachThreadCount(options, threads =>
        {
            var model = new ImpalaCnn(Paper, 1);
            int cells = VectorField.OpenCells(fieldGame).Length;
            report(Measure("field-25", threads, options.Seconds, () => VectorField.Compute(model, fieldGame), new() { ["open_cells"] = cells }));
            // The same observations through the plain forward pass alone: what the field costs beyond it.
            var frames = ActivationDump.Observations(ActivationDump.Rows([new LevelSource(fieldGame.Spec, 0)], everyOpenCell: true), 64);
            var logits = new float[cells * 15];
            var values = new float[cells];
            report(Measure("forward-25", threads, options.Seconds, () => model.Forward(frames, cells, logits, values), new() { ["batch"] = cells }));

            var search = new ChannelSearchOptions(Pairs: 100, AblateTop: 0);
            report(Measure("channels-100", threads, options.Seconds, () => ChannelSearch.Run(model, searchSpec, search), new() { ["pairs"] = 100 }, minimumRuns: 3));

            var attribution = new Attribution(new ImpalaCnn(Paper, 1));
            var target = AttributionTarget.Value;
            report(Measure("ig-32", threads, options.Seconds, () => attribution.IntegratedGradients(observation, target, 32), new() { ["steps"] = 32 }));
        });
    }

    private static BenchResult Measure(string name, int threads, double seconds, Action run, Dictionary<string, object> extra, int minimumRuns = 5)
    {
        run(); // warm-up: JIT, workspaces
        var wall = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        var total = Stopwatch.StartNew();
        while (wall.Count < minimumRuns || total.Elapsed.TotalSeconds < seconds)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            run();
            wall.Add(clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            if (wall.Count >= 200) break;
        }
        extra["cpu_ms"] = Math.Round(Median(cpu), 1);
        extra["min_ms"] = Math.Round(wall.Min(), 1);
        extra["runs"] = wall.Count;
        return new BenchResult("interp", name, threads, Median(wall), "ms", extra);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
