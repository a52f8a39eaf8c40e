using Misgen.Envs;
using Misgen.Eval;
using Misgen.Nn;
using Misgen.Rl;

namespace Misgen.Interp;

/// <summary>Episodes of a policy on a list of levels, without results.db: for quick comparisons such as ablated rollouts.</summary>
public static class Rollouts
{
    /// <summary>
    /// One episode per level, actions sampled from per-episode streams of (<paramref name="streamKey"/>, spec, level): two
    /// policies run with the same key see the same random numbers on each level, so their comparison is paired.
    /// </summary>
    public static IReadOnlyList<Episode> Run(IPolicy policy, EnvSpec spec, IReadOnlyList<int> levels, string streamKey, int batch = 256)
    {
        if (levels.Count == 0) return [];
        using var envs = new VecEnv(spec, Math.Min(batch, levels.Count), LevelSampler.Queue(levels), policy.Config.InputSize);
        var rollout = PolicyRollout.WithEpisodeStreams(envs, policy, level => ActionSampling.ForEpisode(streamKey, spec.ToString(), level));
        var episodes = new List<Episode>(levels.Count);
        rollout.Reset();
        while (envs.ActiveCount > 0)
        {
            rollout.Act();
            rollout.Step();
            var infos = envs.Infos;
            for (int i = 0; i < envs.Count; i++)
                if (infos[i].IsEpisode) episodes.Add(Episode.From(infos[i], spec.Game.Facts.Count));
        }
        return episodes.OrderBy(e => e.LevelSeed).ToList();
    }

    /// <summary>The fraction of episodes that ended in a success outcome of the game.</summary>
    public static double SuccessRate(IReadOnlyList<Episode> episodes, EnvSpec spec) =>
        episodes.Count == 0 ? double.NaN : episodes.Count(e => spec.Game.IsSuccess(e.Outcome)) / (double)episodes.Count;
}
