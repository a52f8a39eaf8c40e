using Misgen.Envs.Maze;
using Misgen.Envs;

namespace Misgen.Tests.Envs;

public sealed class MazeGameTests
{
    /// <summary>Shortest path on the golden picture (independent of the generator), as actions.</summary>
    internal static List<int> PathActions(string[] picture, (int X, int Y) target)
    {
        int h = picture.Length, w = picture[0].Length;
        bool Open(int x, int y) => x >= 0 && y >= 0 && x < w && y < h && picture[h - 1 - y][x] != '#';
        var previous = new Dictionary<(int, int), ((int, int) From, int Action)>();
        var queue = new Queue<(int X, int Y)>([(0, 0)]);
        previous[(0, 0)] = ((0, 0), -1);
        while (queue.Count > 0)
        {
            var (x, y) = queue.Dequeue();
            if ((x, y) == target) break;
            foreach (var (dx, dy, action) in new[] { (-1, 0, 1), (1, 0, 7), (0, -1, 3), (0, 1, 5) })
            {
                // Never step on the other object on the way.
                if (!Open(x + dx, y + dy) || previous.ContainsKey((x + dx, y + dy))) continue;
                char c = picture[h - 1 - (y + dy)][x + dx];
                if ((c == '1' || c == '2') && (x + dx, y + dy) != target) continue;
                previous[(x + dx, y + dy)] = ((x, y), action);
                queue.Enqueue((x + dx, y + dy));
            }
        }
        var actions = new List<int>();
        for (var at = target; at != (0, 0); at = previous[at].From) actions.Add(previous[at].Action);
        actions.Reverse();
        return actions;
    }

    [Fact]
    public void Reaching_the_training_goal_gives_10_and_terminates()
    {
        var game = new MazeGame(EnvSpec.Parse("maze:yellow-line@black"));
        foreach (var g in GoldenLevels.Levels.Take(40))
        {
            game.Reset(g.Seed);
            Assert.Equal((0, 0), (game.AgentX, game.AgentY));
            var path = PathActions(g.PictureTrain, g.Goal);
            for (int i = 0; i < path.Count; i++)
            {
                var r = game.Step(path[i]);
                bool last = i == path.Count - 1;
                Assert.Equal(last ? 10f : 0f, r.Reward);
                Assert.Equal(last, r.Terminated);
                Assert.False(r.Truncated);
                Assert.Equal(i + 1, r.Steps);
            }
            Assert.Equal(new EpisodeInfo(MazeOutcome.Obj1, path.Count, g.Seed, 10f), game.Episode);
            Assert.Throws<InvalidOperationException>(() => game.Step(4));
        }
    }

    [Fact]
    public void Duel_obj1_gives_plus_10_and_obj2_minus_10()
    {
        var game = new MazeGame(EnvSpec.Parse("maze:red-line+yellow-gem@textured"));
        foreach (var g in GoldenLevels.Levels.Skip(100).Take(30))
        {
            foreach (var (target, outcome, reward) in new[] { (g.Obj1, MazeOutcome.Obj1, 10f), (g.Obj2, MazeOutcome.Obj2, -10f) })
            {
                game.Reset(g.Seed);
                var path = PathActions(g.PictureDuel, target);
                StepResult last = default;
                foreach (int a in path) last = game.Step(a);
                Assert.True(last.Terminated);
                Assert.Equal(reward, last.Reward);
                Assert.Equal(outcome, last.Outcome);
                Assert.Equal(new EpisodeInfo(outcome, path.Count, g.Seed, reward), game.Episode);
            }
        }
    }

    [Fact]
    public void Timeout_truncates_with_zero_reward()
    {
        foreach (var (text, timeout) in new[] { ("maze:yellow-line", 500), ("maze:yellow-line;timeout=7", 7) })
        {
            var game = new MazeGame(EnvSpec.Parse(text));
            game.Reset(3);
            for (int t = 1; t <= timeout; t++)
            {
                var r = game.Step(t % 2 == 0 ? 4 : 12); // stay
                Assert.Equal(0f, r.Reward);
                Assert.False(r.Terminated);
                Assert.Equal(t == timeout, r.Truncated);
            }
            Assert.Equal(new EpisodeInfo(MazeOutcome.Timeout, timeout, 3, 0f), game.Episode);
        }
    }

    [Fact]
    public void Walls_and_edges_block_and_facing_follows_horizontal_moves()
    {
        var g = GoldenLevels.Get(0); // bottom row open: "A....", row above ".###2"
        var game = new MazeGame(EnvSpec.Parse("maze:yellow-line"));
        game.Reset(0);
        game.Step(1); // left: edge
        Assert.Equal((0, 0, false), (game.AgentX, game.AgentY, game.FacingRight));
        game.Step(3); // down: edge
        Assert.Equal((0, 0), (game.AgentX, game.AgentY));
        game.Step(8); // right (diagonal up-right counts as right only)
        Assert.Equal((1, 0, true), (game.AgentX, game.AgentY, game.FacingRight));
        Assert.Equal('#', g.PictureTrain[3][1]);
        game.Step(5); // up into a wall: blocked, still facing right
        Assert.Equal((1, 0, true), (game.AgentX, game.AgentY, game.FacingRight));
        game.Step(0); // left, back to the start
        Assert.Equal((0, 0, false), (game.AgentX, game.AgentY, game.FacingRight));
    }

    [Fact]
    public void State_round_trips_mid_episode()
    {
        var spec = EnvSpec.Parse("maze:red-line+yellow-gem@black");
        var a = new MazeGame(spec);
        a.Reset(12345);
        foreach (int act in new[] { 7, 7, 5, 5, 1 }) a.Step(act);
        var state = new byte[MazeGame.StateSize];
        a.WriteState(state);
        var b = new MazeGame(spec);
        b.ReadState(state);
        Assert.Equal((a.LevelSeed, a.AgentX, a.AgentY, a.FacingRight, a.Steps, a.Return), (b.LevelSeed, b.AgentX, b.AgentY, b.FacingRight, b.Steps, b.Return));
        Assert.Equal(a.Level.Cells.ToArray(), b.Level.Cells.ToArray());
    }

    [Fact]
    public void MazeEnv_follows_gymnasium_reset_and_step()
    {
        var g = GoldenLevels.Get(100000);
        var env = new GameEnv(EnvSpec.Parse("maze:yellow-line@black"));
        var first = env.Reset(g.Seed).ToArray();
        Assert.Equal(64 * 64 * 3, first.Length);
        static int Yellow(ReadOnlySpan<byte> f) { int n = 0; for (int i = 0; i < f.Length; i += 3) if (f[i] == 255 && f[i + 1] == 255 && f[i + 2] == 0) n++; return n; }
        Assert.True(Yellow(first) > 0);
        var path = PathActions(g.PictureTrain, g.Goal);
        StepResult last = default;
        foreach (int a in path) last = env.Step(a);
        Assert.True(last.Terminated);
        Assert.Equal(MazeOutcome.Obj1, last.Outcome);
        Assert.Equal(0, Yellow(env.Observation)); // procgen removes the object the agent took
        Assert.False(first.AsSpan().SequenceEqual(env.Observation));
    }

    [Fact]
    public void Agent_can_be_placed_on_open_cells_only()
    {
        var g = GoldenLevels.Get(0);
        var game = new MazeGame(EnvSpec.Parse("maze:yellow-line"));
        game.Reset(0);
        game.PlaceAgent(4, 4, facingRight: true);
        Assert.Equal((4, 4, true, 0), (game.AgentX, game.AgentY, game.FacingRight, game.Steps));
        Assert.Equal('#', g.PictureTrain[4 - 1][1]);
        Assert.Throws<MisgenInputException>(() => game.PlaceAgent(1, 1));
        Assert.Throws<MisgenInputException>(() => game.PlaceAgent(5, 0));
        // From (2, 3) one step down reaches the goal at (2, 2).
        game.PlaceAgent(2, 3);
        Assert.Equal(10f, game.Step(3).Reward);
    }
}
