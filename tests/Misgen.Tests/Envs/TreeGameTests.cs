using Misgen.Envs;
using Misgen.Envs.Tree;

namespace Misgen.Tests.Envs;

/// <summary>
/// The Tree gridworld: chopping, the regrowth chance measured over many steps against the paper's formula
/// (written out here, not taken from the code), the continual episode, the one-hot planes and the state round trip.
/// </summary>
public sealed class TreeGameTests
{
    private const int Left = 0, Down = 1, Up = 2, Right = 3;

    // An agent in the bottom-left corner of a 4x4 world, pushing into the border, beside up to 8 trees.
    private static string[] World(int trees)
    {
        var rows = new[] { "######", "#....#", "#....#", "#....#", "#A...#", "######" }.Select(r => r.ToCharArray()).ToArray();
        var cells = new[] { (2, 1), (3, 1), (4, 1), (2, 2), (3, 2), (4, 2), (2, 3), (3, 3), (4, 3), (1, 2), (1, 3), (1, 4) };
        for (int k = 0; k < trees; k++) rows[5 - cells[k].Item2][cells[k].Item1] = 'T';
        return rows.Select(r => new string(r)).ToArray();
    }

    [Fact]
    public void Specs_are_continual_by_default_and_check_the_regrowth_constants()
    {
        var config = EnvSpec.Parse("tree").ConfigAs<TreeConfig>();
        Assert.True(config.IsContinual);
        Assert.Equal(12, config.Side);
        Assert.Equal((10, 10, 1e-6, 0.3), (config.Trees, config.MaxTrees, config.MinRate, config.MaxRate));
        Assert.Contains("r_min <= r_max", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("tree;r_min=0.5;r_max=0.1")).Message);
        Assert.Contains("trees=0..3", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("tree;size=2;trees=4")).Message);
    }

    [Fact]
    public void Stepping_onto_a_tree_chops_it_for_one_and_the_last_one_is_an_extinction()
    {
        var game = new TreeGame(EnvSpec.Parse("tree;size=4;r_min=0;r_max=0"));
        game.Reset(0);
        game.Load(World(1)); // one tree at (2,1), right of the agent
        var step = game.Step(Right);
        Assert.Equal(1f, step.Reward);
        Assert.Equal((2, 1, 0), (game.AgentX, game.AgentY, game.TreeCount));
        Assert.Equal((1, 1, 1), (game.Chops, game.Extinctions, game.TreelessSteps));
        Assert.Equal(0f, game.Step(Right).Reward);
        Span<float> facts = stackalloc float[8];
        game.WriteFacts(facts);
        Assert.Equal([1f, 0, 1, 2], facts[..4].ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(9)]
    [InlineData(10)]
    public void Regrowth_happens_at_the_papers_rate(int trees)
    {
        // A 4x4 world with n_max 10 and the paper's constants; the agent never chops (it pushes into the border).
        var game = new TreeGame(EnvSpec.Parse("tree;size=4;trees=0"));
        game.Reset(trees);
        double p = trees >= 10 ? 0 : Math.Max(1e-6, 0.3 * Math.Log(1 + trees) / Math.Log(11));
        const int Trials = 40_000;
        int grown = 0;
        var world = World(Math.Min(trees, 12));
        for (int t = 0; t < Trials; t++)
        {
            game.Load(world);
            game.Step(Left);
            Assert.Equal((1, 1), (game.AgentX, game.AgentY));
            Assert.InRange(game.TreeCount - trees, 0, 1);
            grown += game.TreeCount - trees;
        }
        double sd = Math.Sqrt(Trials * p * (1 - p));
        Assert.InRange(grown, Trials * p - 4.5 * sd - 1, Trials * p + 4.5 * sd + 1);
    }

    [Fact]
    public void A_new_tree_grows_on_an_empty_cell_drawn_uniformly()
    {
        var game = new TreeGame(EnvSpec.Parse("tree;size=4;trees=0;r_min=1;r_max=1"));
        game.Reset(3);
        var counts = new Dictionary<(int, int), int>();
        for (int t = 0; t < 14_000; t++)
        {
            game.Load(World(1));
            game.Step(Left);
            var grownAt = game.Describe().Entities.Where(e => e.Type == "tree" && !(e.X == 2.5 && e.Y == 1.5)).Single();
            var cell = ((int)grownAt.X, (int)grownAt.Y);
            counts[cell] = counts.GetValueOrDefault(cell) + 1;
        }
        // 16 cells less the agent's and the tree's: 14 cells, 1,000 each expected (sd about 30).
        Assert.Equal(14, counts.Count);
        Assert.DoesNotContain((1, 1), counts.Keys);
        Assert.All(counts.Values, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void The_continual_world_never_ends_and_a_timeout_ends_it()
    {
        var game = new TreeGame(EnvSpec.Parse("tree"));
        game.Reset(2);
        for (int t = 0; t < 100_000; t++) Assert.False(game.Step(t % 4).Done);
        Assert.Equal(0, game.Outcome);
        Assert.Equal(100_000, game.Steps);

        var timed = new TreeGame(EnvSpec.Parse("tree;timeout=50"));
        timed.Reset(2);
        for (int t = 0; t < 49; t++) Assert.False(timed.Step(t % 4).Done);
        var last = timed.Step(0);
        Assert.True(last.Truncated);
        Assert.Equal(TreeDefinition.Timeout, last.Outcome);
    }

    [Fact]
    public void Planes_are_one_hot_with_a_dark_border_and_padding()
    {
        var env = new GameEnv(EnvSpec.Parse("tree"), 16);
        env.Reset(4);
        for (int t = 0; t < 30; t++) env.Step(t % 3);
        var grid = env.Game.Describe().Grid;
        var obs = env.Observation.ToArray();
        Assert.Equal(16 * 16 * 2, obs.Length);
        for (int py = 0; py < 16; py++)
            for (int px = 0; px < 16; px++)
            {
                char c = py < 12 && px < 12 ? grid[py][px] : ' ';
                Assert.Equal(c == 'A' ? 255 : 0, obs[(py * 16 + px) * 2 + TreeDefinition.AgentPlane]);
                Assert.Equal(c == 'T' ? 255 : 0, obs[(py * 16 + px) * 2 + TreeDefinition.TreePlane]);
            }
        Assert.Equal(1, Enumerable.Range(0, 256).Count(p => obs[2 * p] == 255));
    }

    [Fact]
    public void A_saved_state_continues_identically_and_a_foreign_one_is_refused()
    {
        var spec = EnvSpec.Parse("tree");
        var a = new TreeGame(spec);
        a.Reset(9);
        var actions = new Random(3);
        for (int t = 0; t < 500; t++) a.Step(actions.Next(4));
        var state = new byte[a.StateSize];
        a.WriteState(state);
        var b = new TreeGame(spec);
        b.ReadState(state);
        for (int t = 0; t < 2000; t++)
        {
            int action = actions.Next(4);
            Assert.Equal(a.Step(action), b.Step(action));
        }
        Assert.Equal(a.Describe().ToText(), b.Describe().ToText());
        Assert.Equal((a.Chops, a.Extinctions, a.TreelessSteps), (b.Chops, b.Extinctions, b.TreelessSteps));
        state[40 + 32 + 13] = 7; // a cell that is neither tree nor empty
        Assert.Throws<MisgenInputException>(() => b.ReadState(state));
        Assert.Throws<MisgenInputException>(() => new TreeGame(EnvSpec.Parse("tree;size=5")).ReadState(state));
    }
}
