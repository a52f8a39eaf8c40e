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
    /// <summary>The held-out check of an agent directory on <paramref name="count"/> levels from <paramref name="start"/> (a study's evaluation levels).</summary>
    public static HeldOutResult Run(string agentDir, int start, int count, string? spec = null, ulong seed = 0, int envs = 64)
    {
        var model = Safetensors.Load(Path.Combine(agentDir, AgentTraining.ModelFile));
        spec ??= AgentManifest.Read(agentDir).Spec;
        return Run(model, EnvSpec.Parse(spec), start, count, seed, envs);
    }

    public static HeldOutResult Run(IPolicy model, EnvSpec spec, int start, int count, ulong seed, int envs = 64)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        envs = Math.Min(envs, count);
        using var vec = new VecEnv(spec, envs, LevelSampler.Sequential(start, count), model.Config.InputSize);
        var rollout = PolicyRollout.WithSharedStream(vec, model, Rng.ForStream(seed, "held-out"));
        var game = spec.Game;
        // Levels are handed out in order, so the first `count` episodes cover each level once;
        // episodes after the sampler wraps are replays and are ignored.
        var seen = new bool[count];
        int done = 0, successes = 0, timeouts = 0;
        long steps = 0;
        rollout.Reset();
        while (done < count)
        {
            rollout.Act();
            rollout.Step();
            for (int i = 0; i < envs; i++)
            {
                if (!vec.Terminated[i] && !vec.Truncated[i]) continue;
                var info = vec.Infos[i];
                int level = info.LevelSeed - start;
                if (level < 0 || level >= count || seen[level]) continue;
                seen[level] = true;
                done++;
                steps += info.Steps;
                if (game.IsSuccess(info.Outcome)) successes++;
                if (game.IsTimeout(info.Outcome)) timeouts++;
            }
        }
        return new HeldOutResult(count, successes, timeouts, (double)successes / count, (double)steps / count, clock.Elapsed.TotalSeconds);
    }
}
