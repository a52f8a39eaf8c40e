using Misgen.Envs;
using Misgen.Interp;
using Misgen.Nn;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Interp;

public sealed class ChannelSearchTests
{
    private static readonly EnvSpec Spec = EnvSpec.Parse("maze:yellow-line@black;size=9;timeout=60");

    /// <summary>The first move of a shortest path, by an independent breadth-first search over a level's text grid.</summary>
    private static string FirstStep(IReadOnlyList<string> grid, (int X, int Y) from, (int X, int Y) to)
    {
        int h = grid.Count, w = grid[0].Length;
        bool Open(int x, int y) => x >= 0 && y >= 0 && x < w && y < h && grid[h - 1 - y][x] != '#';
        // Distances from the goal; the first step goes to a neighbour one closer.
        var distance = new Dictionary<(int, int), int> { [to] = 0 };
        var queue = new Queue<(int X, int Y)>([to]);
        while (queue.Count > 0)
        {
            var c = queue.Dequeue();
            foreach (var n in new[] { (c.X - 1, c.Y), (c.X, c.Y - 1), (c.X, c.Y + 1), (c.X + 1, c.Y) })
                if (Open(n.Item1, n.Item2) && distance.TryAdd(n, distance[c] + 1)) queue.Enqueue(n);
        }
        // Procgen's order breaks ties: left, down, up, right.
        foreach (var (name, dx, dy) in new[] { ("left", -1, 0), ("down", 0, -1), ("up", 0, 1), ("right", 1, 0) })
            if (distance.TryGetValue((from.X + dx, from.Y + dy), out int d) && d == distance[from] - 1) return name;
        throw new InvalidOperationException("unreachable");
    }

    [Fact]
    public void Pairs_differ_by_one_wall_and_change_the_first_step()
    {
        var (pairs, tried) = ChannelSearch.FindPairs(Spec, new ChannelSearchOptions(Pairs: 12, AgentAt: "random"));
        Assert.Equal(12, pairs.Count);
        Assert.True(tried >= 12);
        foreach (var pair in pairs)
        {
            var game = new LevelSource(Spec, pair.LevelSeed).CreateGrid();
            var goal = game.Goals[0];
            game.PlaceAgent(pair.AgentX, pair.AgentY);
            var before = game.Describe().Grid;
            game.SetWall(pair.WallX, pair.WallY, pair.WallAdded);
            var after = game.Describe().Grid;
            int changed = 0;
            for (int r = 0; r < before.Count; r++)
                for (int x = 0; x < before[r].Length; x++) changed += before[r][x] != after[r][x] ? 1 : 0;
            Assert.Equal(1, changed);
            var from = (pair.AgentX, pair.AgentY);
            // Where shortest paths tie, both searches take the first direction in procgen's order.
            Assert.Equal(FirstStep(before, from, (goal.X, goal.Y)), pair.FirstStep);
            Assert.Equal(FirstStep(after, from, (goal.X, goal.Y)), pair.EditedFirstStep);
            Assert.NotEqual(pair.FirstStep, pair.EditedFirstStep);
        }
    }

    [Fact]
    public void Channels_are_ranked_by_the_mean_absolute_difference_of_their_summed_activation()
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(32, 4, 8, 8, Hidden: 16), 3);
        var options = new ChannelSearchOptions(Pairs: 10, Top: 8, AblateTop: 2, AblationLevels: 20);
        var result = ChannelSearch.Run(model, Spec, options);
        Assert.Equal(10, result.Pairs.Count);
        Assert.Equal(8, result.Channels.Count);
        Assert.Equal(Enumerable.Range(0, 8), result.Channels.Select(c => c.Channel).Order());
        // The same numbers from the slow cached pass, summed here.
        var observations = ChannelSearch.Observations(Spec, result.Pairs, 32);
        var cache = model.RunWithCache(observations, 20, ["embedder.relu3"]).Cache["embedder.relu3"];
        var directions = new[] { "left", "down", "up", "right" };
        foreach (var ranked in result.Channels)
        {
            double Sum(int n)
            {
                double s = 0;
                for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) s += cache[n, ranked.Channel, y, x];
                return s;
            }
            double mean = 0;
            var score = new double[4];
            for (int i = 0; i < 10; i++)
            {
                double delta = Sum(2 * i + 1) - Sum(2 * i);
                mean += Math.Abs(delta) / 10;
                for (int d = 0; d < 4; d++)
                    score[d] += delta * ((result.Pairs[i].EditedFirstStep == directions[d] ? 1 : 0) - (result.Pairs[i].FirstStep == directions[d] ? 1 : 0)) / 10;
            }
            Assert.Equal(mean, ranked.MeanAbsDifference, 4);
            int best = Array.IndexOf(score, score.Max());
            Assert.Equal(score.Max() > 0 ? directions[best] : null, ranked.Direction);
        }
        for (int i = 1; i < result.Channels.Count; i++) Assert.True(result.Channels[i - 1].MeanAbsDifference >= result.Channels[i].MeanAbsDifference);
        Assert.Equal(2, result.Ablations.Count);
        Assert.All(result.Ablations, a =>
        {
            Assert.Equal(20, a.Levels);
            Assert.InRange(a.SuccessRate, 0, 1);
            Assert.InRange(a.AblatedSuccessRate, 0, 1);
        });
        Assert.Equal(result.Ablations[0].SuccessRate, result.Ablations[1].SuccessRate); // the same unpatched rollouts
    }

    [Fact]
    public void A_game_without_walls_has_no_pairs()
    {
        var model = new ImpalaCnn(new ImpalaConfig(32, 4, 8, 8, Hidden: 16), 1);
        var e = Assert.Throws<MisgenInputException>(() => ChannelSearch.Run(model, EnvSpec.Parse("room"), new ChannelSearchOptions(Pairs: 2)));
        Assert.Contains("no walls", e.Message);
    }
}
