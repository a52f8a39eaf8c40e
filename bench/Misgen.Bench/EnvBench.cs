using System.Diagnostics;
using Misgen.Envs;

namespace Misgen.Bench;

/// <summary>
/// Env throughput, one case per game of the catalogue (NAME-SIZE, e.g. maze-64: 64 training mazes, yellow
/// line, textured backgrounds, at 64x64): a VecEnv of 64 envs of the game's bench spec at its default
/// observation size, random actions from a seeded Rng, every observation rendered every step, auto-reset
/// included. Reports env steps per second (all envs together).
/// </summary>
public static class EnvBench
{
    public const int Envs = 64;

    public static void Run(BenchOptions options, Action<BenchResult> report)
    {
        foreach (var game in GameCatalogue.All)
            Run(EnvSpec.Parse(game.BenchSpec), game.DefaultObservationSize, options, report);
    }

    public static void Run(EnvSpec spec, int size, BenchOptions options, Action<BenchResult> report)
    {
        int actionCount = spec.Game.Actions.Count;
        foreach (int threads in options.Threads)
        {
            // A private pool, so a bench never swaps the shared pool under other running work.
            using var pool = new WorkerPool(threads);
            using var env = new VecEnv(spec, Envs, LevelSampler.Range(0, 100_000, seed: 1), size, pool);
            var rng = new Rng(1);
            var actions = new int[Envs];
            env.Reset();
            long episodes = 0;
            void Steps(int count)
            {
                for (int s = 0; s < count; s++)
                {
                    for (int i = 0; i < Envs; i++) actions[i] = rng.NextInt(actionCount);
                    env.Step(actions);
                    var terminated = env.Terminated;
                    var truncated = env.Truncated;
                    for (int i = 0; i < Envs; i++) if (terminated[i] || truncated[i]) episodes++;
                }
            }
            // Warm-up: JIT tiering, caches, textures.
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < Math.Min(0.5, options.Seconds / 4)) Steps(50);
            episodes = 0;
            long vecSteps = 0;
            // CPU time of the whole process beside wall time: on a shared machine it holds up better.
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < options.Seconds)
            {
                Steps(50);
                vecSteps += 50;
            }
            double seconds = clock.Elapsed.TotalSeconds;
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            double stepsPerSecond = vecSteps * Envs / seconds;
            report(new BenchResult("env", $"{spec.Game.Name}-{size}", threads, stepsPerSecond, "steps/s", new Dictionary<string, object>
            {
                ["spec"] = spec.ToString(),
                ["envs"] = Envs,
                ["per_thread"] = Math.Round(stepsPerSecond / threads, 1),
                ["episodes_per_s"] = Math.Round(episodes / seconds, 1),
                ["seconds"] = Math.Round(seconds, 2),
                ["steps_per_cpu_s"] = Math.Round(vecSteps * Envs / cpuSeconds, 1),
            }));
        }
    }
}
