using Misgen.Envs.Maze;
using Misgen.Envs;
using Misgen.Nn;

namespace Misgen.Rl;

/// <summary>Success rate and mean episode length of one agent on a range of held-out levels.</summary>
public sealed record HeldOutResult(int Levels, int Successes, int Timeouts, double SuccessRate, double MeanSteps, double Seconds);

/// <summary>
/// A small capability check for training: one episode per level of [start, start+count), actions
/// sampled from the policy (as the original evaluation did), timeouts counted with their full length.
/// The full evaluator (settings, preferences, results.db) lives in Misgen.Eval.
/// </summary>
public static class HeldOutCheck
{
    public const int DefaultStart = 100_000;
    public const int DefaultCount = 1_000;

    public static HeldOutResult Run(string agentDir, string? spec = null, int start = DefaultStart, int count = DefaultCount, ulong seed = 0, int envs = 64)
    {
        var model = Safetensors.Load(Path.Combine(agentDir, AgentTraining.ModelFile));
        spec ??= AgentManifest.Read(agentDir).Spec;
        return Run(model, EnvSpec.Parse(spec), start, count, seed, envs);
    }

    public static HeldOutResult Run(ImpalaCnn model, EnvSpec spec, int start, int count, ulong seed, int envs = 64)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        envs = Math.Min(envs, count);
        int actions = model.Config.Actions;
        using var vec = new VecEnv(spec, envs, LevelSampler.Sequential(start, count), model.Config.InputSize);
        model.MaxBatch = Math.Max(model.MaxBatch, envs);
        var rng = Rng.ForStream(seed, "held-out");
        float[] logits = new float[envs * actions], values = new float[envs];
        int[] chosen = new int[envs];
        // Levels are handed out in order, so the first `count` episodes cover each level once;
        // episodes after the sampler wraps are replays and are ignored.
        var seen = new bool[count];
        int done = 0, successes = 0, timeouts = 0;
        long steps = 0;
        vec.Reset();
        while (done < count)
        {
            model.Forward(vec.Observations, envs, logits, values);
            for (int i = 0; i < envs; i++) chosen[i] = Categorical.Sample(logits.AsSpan(i * actions, actions), rng);
            vec.Step(chosen);
            for (int i = 0; i < envs; i++)
            {
                if (!vec.Terminated[i] && !vec.Truncated[i]) continue;
                var info = vec.Infos[i];
                int level = info.LevelSeed - start;
                if (level < 0 || level >= count || seen[level]) continue;
                seen[level] = true;
                done++;
                steps += info.Steps;
                if (info.Outcome == Outcome.Obj1) successes++;
                if (info.Outcome == Outcome.Timeout) timeouts++;
            }
        }
        return new HeldOutResult(count, successes, timeouts, (double)successes / count, (double)steps / count, clock.Elapsed.TotalSeconds);
    }
}
