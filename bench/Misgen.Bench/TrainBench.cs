using System.Diagnostics;
using Misgen.Envs;
using Misgen.Rl;

namespace Misgen.Bench;

/// <summary>
/// `misgen bench train`: environment steps per second of the whole PPO loop (rollout with batched
/// inference, GAE, epochs of forward/backward/Adam) for the `paper` and `fast` presets on
/// maze:yellow-line@black. A paper update (65,536 samples) takes minutes here, so the paper case
/// runs 256 envs x 16 steps with 8 minibatches: the same per-sample work (64x64, IMPALA 16/32/32,
/// 3 epochs) with minibatches of 512 instead of 8,192. Updates run until the time is up (at least one
/// after a warm-up update); the figure is env steps of the measured updates over their wall time.
/// </summary>
public static class TrainBench
{
    public static IReadOnlyList<string> Cases { get; } = ["paper", "fast"];

    public static void Run(BenchOptions options, Action<BenchResult> report)
    {
        foreach (string name in Cases)
            foreach (int threads in options.Threads)
                report(Measure(name, threads, options.Seconds));
    }

    public static BenchResult Measure(string name, int threads, double seconds)
    {
        var config = PpoConfig.Preset(name);
        if (name == "paper") config.NumSteps = 16;
        config.TotalSteps = (long)config.BatchSize * 1000;
        using var pool = new WorkerPool(threads);
        using var trainer = new PpoTrainer(EnvSpec.Parse("maze:yellow-line@black"), config, seed: 1, pool);
        trainer.Update(); // warm-up: JIT, workspaces
        int updates = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            trainer.Update();
            updates++;
        } while (clock.Elapsed.TotalSeconds < seconds);
        double elapsed = clock.Elapsed.TotalSeconds;
        return new BenchResult("train", name, threads, (double)updates * config.BatchSize / elapsed, "steps/s", new Dictionary<string, object>
        {
            ["updates"] = updates,
            ["batch"] = config.BatchSize,
            ["minibatch"] = config.MinibatchSize,
            ["epochs"] = config.UpdateEpochs,
            ["obs"] = config.ObservationSize,
            ["widths"] = $"{config.Width1}/{config.Width2}/{config.Width3}",
            ["seconds"] = Math.Round(elapsed, 2),
        });
    }
}
