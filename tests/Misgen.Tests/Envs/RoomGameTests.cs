using System.Text.Json;
using Misgen.Envs;
using Misgen.Envs.Room;
using Misgen.Eval;
using Misgen.Media;
using Misgen.Rl;

namespace Misgen.Tests.Envs;

/// <summary>
/// The toy room game, added by following docs/ADDING-A-GAME.md (its folder plus one catalogue line), goes through
/// everything a game goes through: specs, rules, rendering, `misgen level`, training, evaluation with facts, export.
/// </summary>
public sealed class RoomGameTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-room-");
    private string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Specs_name_the_rooms_options_and_round_trip()
    {
        Assert.Equal("room", EnvSpec.Parse("room").ToString());
        Assert.Equal("room;size=7", EnvSpec.Parse(" ROOM;size=7;timeout=50 ").ToString()); // defaults are not printed
        var e = Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("room;speed=2"));
        Assert.Contains("speed=2", e.Message);
        Assert.Contains("size=N", e.Message);
        Assert.Contains("timeout=N", e.Message);
        Assert.Contains("2..32", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("room;size=99")).Message);
        Assert.Contains("room", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("room:yellow-line")).Message);
    }

    [Fact]
    public void Walking_to_the_goal_ends_the_episode_with_its_outcome_reward_and_fact()
    {
        var game = new RoomGame(EnvSpec.Parse("room;size=6"));
        for (int seed = 0; seed < 50; seed++)
        {
            game.Reset(seed);
            Assert.False(game.GoalX == 0 && game.GoalY == 0, "the goal is never on the start cell");
            int distance = game.GoalX + game.GoalY;
            StepResult last = default;
            for (int x = 0; x < game.GoalX; x++) last = game.Step(6);            // right
            for (int y = 0; y < game.GoalY; y++) last = game.Step(5);            // up
            Assert.Equal((10f, true, false, RoomDefinition.Goal, distance), (last.Reward, last.Terminated, last.Truncated, last.Outcome, last.Steps));
            var info = EpisodeInfo.Of(game);
            Assert.Equal(distance, ((ReadOnlySpan<float>)info.Facts)[0]);
        }
    }

    [Fact]
    public void Wall_bumps_and_no_ops_run_into_the_timeout()
    {
        var game = new RoomGame(EnvSpec.Parse("room;timeout=7"));
        game.Reset(3);
        StepResult last = default;
        for (int i = 0; i < 7; i++) last = game.Step(i % 2 == 0 ? 0 : 3); // left and down at the corner: never moves
        Assert.Equal((0f, false, true, RoomDefinition.Timeout), (last.Reward, last.Terminated, last.Truncated, last.Outcome));
        Assert.Throws<InvalidOperationException>(() => game.Step(6));
    }

    [Fact]
    public void State_round_trips_mid_episode_and_rejects_another_spec()
    {
        var spec = EnvSpec.Parse("room;size=8");
        var a = new RoomGame(spec);
        a.Reset(11);
        a.Step(6);
        a.Step(5);
        var state = new byte[a.StateSize];
        a.WriteState(state);
        var b = new RoomGame(spec);
        b.ReadState(state);
        for (int i = 0; i < 20 && a.Outcome == 0; i++)
        {
            int action = (i * 7) % 15;
            Assert.Equal(a.Step(action), b.Step(action));
        }
        Assert.Equal(a.Describe().ToJson(), b.Describe().ToJson());
        Assert.Throws<MisgenInputException>(() => new RoomGame(EnvSpec.Parse("room;size=3")).ReadState(state));
    }

    [Fact]
    public void Renders_every_view_and_describes_its_level()
    {
        var (agent, w, h) = GameViews.Render(EnvSpec.Parse("room"), 4, GameView.Agent, size: 20, scale: 2);
        Assert.Equal((40, 40, 40 * 40 * 3), (w, h, agent.Length));
        var game = new RoomGame(EnvSpec.Parse("room"));
        game.Reset(4);
        // The goal cell's pixels are green, the agent's (bottom-left) white, the floor grey: 20 px / 5 cells = 4 px per cell.
        byte[] Pixel(int x, int y) => agent.AsSpan(((y * 2) * 40 + x * 2) * 3, 3).ToArray();
        Assert.Equal(new byte[] { 240, 240, 240 }, Pixel(1, 18));
        Assert.Equal(new byte[] { 40, 200, 60 }, Pixel(game.GoalX * 4 + 1, (4 - game.GoalY) * 4 + 1));
        var (channels, cw, _) = GameViews.Render(EnvSpec.Parse("room"), 4, GameView.Channels, size: 20, scale: 2);
        Assert.Equal(4 * 40 + 3 * 2, cw); // picture + R, G, B
        var (human, hw, _) = GameViews.Render(EnvSpec.Parse("room"), 4, GameView.Human);
        Assert.Equal(512, hw);

        var description = game.Describe();
        Assert.Equal(Rotate(game), description.Grid);
        using var json = JsonDocument.Parse(description.ToJson());
        Assert.Equal(0.5, json.RootElement.GetProperty("agent").GetProperty("x").GetDouble());
        Assert.Equal("goal", json.RootElement.GetProperty("entities")[0].GetProperty("type").GetString());

        static string[] Rotate(RoomGame g)
        {
            // An independent drawing of the grid from the goal's coordinates, top row first.
            var rows = new string[5];
            for (int y = 0; y < 5; y++)
                rows[4 - y] = new string(Enumerable.Range(0, 5).Select(x => x == 0 && y == 0 ? 'A' : x == g.GoalX && y == g.GoalY ? 'G' : '.').ToArray());
            return rows;
        }
    }

    [Fact]
    public void Trains_evaluates_with_facts_exports_renders_and_describes_through_the_cli()
    {
        string agent = Path.Combine(dir, "room-agent");
        Assert.Equal(0, VerbRunner.Run("train", "room;size=4;timeout=20", "--preset", "smoke", "--seed", "2", "--out", agent, "--threads", "1"));
        Assert.True(File.Exists(Path.Combine(agent, "model.safetensors")));
        Assert.Equal("room;size=4;timeout=20", AgentManifest.Read(agent).Spec);

        string db = Path.Combine(dir, "results.db");
        Assert.Equal(0, VerbRunner.Run("eval", agent, "--setting", "room;size=4;timeout=20", "--levels", "30", "--out", db, "--threads", "1"));
        using (var store = ResultsStore.OpenRead(db))
        {
            var episodes = store.Episodes().ToList();
            Assert.Equal(30, episodes.Count);
            Assert.All(episodes, e => Assert.True(e.Outcome is RoomDefinition.Goal or RoomDefinition.Timeout));
            // The stored fact is the goal's distance from the start, which a fresh game of the same level gives too.
            var game = new RoomGame(EnvSpec.Parse("room;size=4;timeout=20"));
            foreach (var e in episodes)
            {
                game.Reset(e.LevelSeed);
                Assert.Equal(game.GoalX + game.GoalY, e.Facts[0]);
                if (e.Outcome == RoomDefinition.Goal) Assert.InRange(e.Steps, game.GoalX + game.GoalY, 20);
            }
        }
        Assert.Equal(0, VerbRunner.Run("export", db, "--out", Path.Combine(dir, "csv")));
        var lines = File.ReadAllLines(Path.Combine(dir, "csv", "episodes.csv"));
        Assert.Equal("agent,setting,level_seed,outcome,steps,return,start_distance", lines[0]);
        Assert.Equal(31, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Matches(@",(goal|timeout),\d+,(10|0),\d+$", l));

        string png = Path.Combine(dir, "room.png");
        Assert.Equal(0, VerbRunner.Run("render", "room", "--level", "1", "2", "--view", "channels", "--out", png));
        Assert.True(new FileInfo(png).Length > 100);
        Assert.Equal(0, VerbRunner.Run("video", agent, "room;size=4;timeout=20", "--level", "5", "--frames", "5", "--out", Path.Combine(dir, "room.gif")));
    }
}
