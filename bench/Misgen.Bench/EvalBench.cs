using System.Diagnostics;
using Misgen.Eval;
using Misgen.Nn;
using Misgen.Studies;

namespace Misgen.Bench;

/// <summary>
/// `misgen bench eval`: the evaluator's throughput (render, one shared forward pass per step,
/// action sampling, SQLite writes) for the `paper` network (IMPALA 16/32/32 at 64x64) and the
/// `fast` one (8/16/16 at 32x32), on maze:red-line+yellow-gem@textured with batch 256. The agents
/// are untrained, so episodes are capped at 50 steps (timeout=50) to keep the mix of finishing and
/// running games realistic; the figure is forward samples/s (= agent steps/s). Episodes/s of
/// capable agents follow from it: samples/s divided by their mean episode length. The extra field
/// minutes_100x1000 projects 100 agents x 1,000 levels at 20 steps per episode.
/// </summary>
public static class EvalBench
{
    private static readonly (string Name, ImpalaConfig Config)[] Cases =
    [
        ("paper", new ImpalaConfig(InputSize: 64)),
        ("fast", new ImpalaConfig(InputSize: 32, Width1: 8, Width2: 16, Width3: 16)),
    ];

    private const double CapableMeanSteps = 20;

    public static void Run(BenchOptions options, Action<BenchResult> report)
    {
        var setting = StudyCatalogue.Resolve("maze:red-line+yellow-gem@textured;timeout=50");
        int start = StudyCatalogue.For(setting.Env).EvalStartLevel;
        string folder = Directory.CreateTempSubdirectory("misgen-bench-eval-").FullName;
        try
        {
            foreach (var (name, config) in Cases)
                BenchCatalogue.ForEachThreadCount(options, threads =>
                {
                    var model = new ImpalaCnn(config, 1);
                    using var store = ResultsStore.Open(Path.Combine(folder, $"{name}-{threads}.db"));
                    // Warm-up (JIT, workspaces), then whole evaluations until the time is spent.
                    new Evaluator(store, new EvalProtocol(0, 64, 64)).Evaluate(new EvalAgent(new AgentRecord("warm-up"), model), setting);
                    long samples = 0, episodes = 0;
                    int round = 0;
                    var clock = Stopwatch.StartNew();
                    while (clock.Elapsed.TotalSeconds < options.Seconds)
                    {
                        var result = new Evaluator(store, new EvalProtocol(start, 256, 256))
                            .Evaluate(new EvalAgent(new AgentRecord($"agent-{round++}"), model), setting);
                        samples += result.ForwardSamples;
                        episodes += result.Ran;
                    }
                    double seconds = clock.Elapsed.TotalSeconds, perSecond = samples / seconds;
                    report(new BenchResult("eval", name, threads, perSecond, "samples/s", new Dictionary<string, object>
                    {
                        ["episodes_per_s_timeout50"] = Math.Round(episodes / seconds, 1),
                        ["mean_steps"] = Math.Round((double)samples / Math.Max(1, episodes), 1),
                        ["minutes_100x1000"] = Math.Round(100 * 1000 * CapableMeanSteps / perSecond / 60, 1),
                    }));
                });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
