using Misgen.Envs;
using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>What a channel search does: the layer, how many level pairs, where the agent stands, how many channels to report and ablate.</summary>
/// <param name="AgentAt">"start": the agent on its start cell (the first step is up or right in a bottom-left start); "random": on a random
/// open cell of each level (seeded), so the first step can go any way.</param>
public sealed record ChannelSearchOptions(
    string Layer = "embedder.relu3", int Pairs = 100, int StartLevel = 0, int Top = 8, string AgentAt = "start",
    int AblateTop = 3, int AblationLevels = 100, int AblationStartLevel = 100_000, ulong Seed = 1)
{
    public static IReadOnlyList<string> AgentPlaces { get; } = ["start", "random"];

    public void Validate()
    {
        ImpalaCnn.HookPointIndex(Layer);
        if (Pairs < 1 || Pairs > 100_000) throw new MisgenInputException($"{Pairs} pairs is invalid; valid: 1..100000");
        if (StartLevel < 0) throw new MisgenInputException($"start level {StartLevel} is invalid; valid: 0..{int.MaxValue}");
        if (Top < 1) throw new MisgenInputException($"top {Top} is invalid; valid: 1 or more");
        if (!AgentPlaces.Contains(AgentAt)) throw MisgenInputException.Unknown("agent place", AgentAt, AgentPlaces);
        if (AblateTop < 0 || AblationLevels < 0) throw new MisgenInputException("ablation counts must be 0 or more");
    }
}

/// <summary>Two levels that differ by one wall, with the agent on the same cell, whose first steps toward the goal differ.</summary>
public sealed record LevelPair(int LevelSeed, int AgentX, int AgentY, int WallX, int WallY, bool WallAdded, string FirstStep, string EditedFirstStep);

/// <summary>One channel of the ranking: mean |difference| of its summed activation over the pairs, and the direction it tracks.</summary>
/// <param name="Direction">The first-step direction whose arrival raises the channel most (see <see cref="ChannelSearch"/>); null when none does.</param>
/// <param name="DirectionScore">Mean over pairs of Δ x (1 when the edit makes the first step this direction, -1 when it stops it, else 0).</param>
public sealed record RankedChannel(int Channel, double MeanAbsDifference, string? Direction, double DirectionScore);

/// <summary>Success with a channel zeroed against without, on the same levels and random numbers.</summary>
public sealed record ChannelAblation(int Channel, int Levels, double SuccessRate, double AblatedSuccessRate);

public sealed record ChannelSearchResult(ChannelSearchOptions Options, EnvSpec Spec, IReadOnlyList<LevelPair> Pairs, IReadOnlyList<RankedChannel> Channels,
                                         IReadOnlyList<ChannelAblation> Ablations, int LevelsTried);

/// <summary>
/// Finds channels that track where the agent should go (after johny-b's method, docs/INTERP.md): pairs of levels that
/// differ by one wall (one wall opened or one open cell closed) and whose first step toward the goal differs; each
/// channel's activation at the layer is summed over positions, and channels are ranked by the mean |difference| of
/// that sum over the pairs. Each top channel is labelled with the direction it tracks: the direction d maximising the
/// mean of Δ x ([edited first step is d] - [original first step is d]), Δ = edited sum - original sum. Then the agent
/// plays levels with each of the top channels zeroed, against unpatched on the same levels.
/// </summary>
public static class ChannelSearch
{
    public static ChannelSearchResult Run(ImpalaCnn model, EnvSpec spec, ChannelSearchOptions options, Action<string>? progress = null)
    {
        options.Validate();
        var (pairs, tried) = FindPairs(spec, options);
        if (pairs.Count == 0)
            throw new MisgenInputException($"no level of {spec} from {options.StartLevel} (tried {tried}) has a one-wall edit that changes the first step toward the goal");
        progress?.Invoke($"{pairs.Count} pairs from {tried} levels");
        var channels = Rank(model, spec, pairs, options.Layer);
        var top = channels.Take(options.Top).ToList();
        var ablations = new List<ChannelAblation>();
        if (options.AblateTop > 0 && options.AblationLevels > 0)
        {
            var levels = Enumerable.Range(options.AblationStartLevel, options.AblationLevels).ToList();
            const string key = "channel-search";
            var plain = Rollouts.Run(model, spec, levels, key);
            double baseline = Rollouts.SuccessRate(plain, spec);
            foreach (var channel in top.Take(options.AblateTop))
            {
                var ablated = new PatchedPolicy(model, [new ZeroChannels(options.Layer, [channel.Channel])]);
                double rate = Rollouts.SuccessRate(Rollouts.Run(ablated, spec, levels, key), spec);
                ablations.Add(new ChannelAblation(channel.Channel, levels.Count, baseline, rate));
                progress?.Invoke($"channel {channel.Channel} zeroed: success {rate:P1} (unpatched {baseline:P1})");
            }
        }
        return new ChannelSearchResult(options, spec, pairs, top, ablations, tried);
    }

    /// <summary>Up to <see cref="ChannelSearchOptions.Pairs"/> pairs, at most one per level, from the start level on.</summary>
    public static (IReadOnlyList<LevelPair> Pairs, int LevelsTried) FindPairs(EnvSpec spec, ChannelSearchOptions options)
    {
        var pairs = new List<LevelPair>();
        int tried = 0;
        // Give up after many levels without pairs (a game whose levels cannot be edited this way).
        for (int seed = options.StartLevel; pairs.Count < options.Pairs && tried < 20 * options.Pairs + 100; seed++, tried++)
        {
            var game = GridGames.Require(new LevelSource(spec, seed).Create());
            var rng = Rng.ForStream(options.Seed ^ (ulong)seed * 0x9E3779B97F4A7C15UL, "channel-search");
            if (game.Goals.Count == 0) continue;
            var goal = game.Goals[0];
            var (ax, ay) = game.StartCell;
            if (options.AgentAt == "random")
            {
                var open = VectorField.OpenCells(game).Where(c => c != (goal.X, goal.Y)).ToArray();
                (ax, ay) = open[rng.NextInt(open.Length)];
                game.PlaceAgent(ax, ay);
            }
            string? first = new GridPaths(game, ax, ay).FirstStep(goal.X, goal.Y);
            if (first is null) continue;
            var candidates = new List<LevelPair>();
            for (int y = 0; y < game.GridHeight; y++)
                for (int x = 0; x < game.GridWidth; x++)
                {
                    if ((x, y) == (ax, ay) || game.Goals.Any(g => (g.X, g.Y) == (x, y))) continue;
                    bool wall = game.IsWall(x, y);
                    game.SetWall(x, y, !wall);
                    string? edited = new GridPaths(game, ax, ay).FirstStep(goal.X, goal.Y);
                    game.SetWall(x, y, wall);
                    if (edited is not null && edited != first) candidates.Add(new LevelPair(seed, ax, ay, x, y, !wall, first, edited));
                }
            if (candidates.Count > 0) pairs.Add(candidates[rng.NextInt(candidates.Count)]);
        }
        return (pairs, tried);
    }

    /// <summary>The original and edited observations of each pair, pair by pair (2 per pair).</summary>
    public static byte[] Observations(EnvSpec spec, IReadOnlyList<LevelPair> pairs, int size)
    {
        byte[]? all = null;
        int frame = 0;
        for (int i = 0; i < pairs.Count; i++)
        {
            var p = pairs[i];
            var game = GridGames.Require(new LevelSource(spec, p.LevelSeed).Create());
            game.PlaceAgent(p.AgentX, p.AgentY);
            var original = Interp.Observations.Of(game, size);
            game.SetWall(p.WallX, p.WallY, p.WallAdded);
            var edited = Interp.Observations.Of(game, size);
            frame = original.Length;
            all ??= new byte[pairs.Count * 2 * frame];
            original.CopyTo(all, 2 * i * frame);
            edited.CopyTo(all, (2 * i + 1) * frame);
        }
        return all ?? [];
    }

    /// <summary>Every channel of the layer, ranked by mean |difference| of its summed activation over the pairs.</summary>
    public static IReadOnlyList<RankedChannel> Rank(ImpalaCnn model, EnvSpec spec, IReadOnlyList<LevelPair> pairs, string layer)
    {
        var observations = Observations(spec, pairs, model.Config.InputSize);
        var sums = ActivationCapture.ChannelSums(model, observations, 2 * pairs.Count, layer);
        int channels = sums.Shape[1];
        var directions = spec.Game.Actions.Groups.Select(g => g.Name).Where(n => n is "left" or "down" or "up" or "right").ToList();
        var ranked = new List<RankedChannel>(channels);
        for (int c = 0; c < channels; c++)
        {
            double absolute = 0;
            var score = new double[directions.Count];
            for (int i = 0; i < pairs.Count; i++)
            {
                double delta = sums[2 * i + 1, c] - sums[2 * i, c];
                absolute += Math.Abs(delta);
                for (int d = 0; d < directions.Count; d++)
                    score[d] += delta * ((pairs[i].EditedFirstStep == directions[d] ? 1 : 0) - (pairs[i].FirstStep == directions[d] ? 1 : 0));
            }
            int best = -1;
            for (int d = 0; d < directions.Count; d++)
                if (score[d] > 0 && (best < 0 || score[d] > score[best])) best = d;
            ranked.Add(new RankedChannel(c, absolute / pairs.Count, best < 0 ? null : directions[best], best < 0 ? 0 : score[best] / pairs.Count));
        }
        return ranked.OrderByDescending(r => r.MeanAbsDifference).ThenBy(r => r.Channel).ToList();
    }
}
