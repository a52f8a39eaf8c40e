using Misgen.Envs;
using Misgen.Envs.Heist;
using Misgen.Eval;
using Misgen.Rl;

namespace Misgen.Tests.Envs;

/// <summary>
/// The keys-and-chests rules by hand-made episodes: a small pilot walks the agent through the maze (breadth-first
/// over tiles, then the 8-direction action towards the next tile centre), so the tests check what the rules do
/// with keys, chests, locks and the gem, not how a path was found. Movement is checked against trajectories
/// computed by hand from procgen's formulas (docs/HEIST.md).
/// </summary>
public sealed class HeistGameTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-heist-");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Specs_name_the_variants_and_options()
    {
        Assert.Equal("heist:many-chests", EnvSpec.Parse(" HEIST:Many-Chests;timeout=1000 ").ToString());
        Assert.Equal("heist:many-keys;mode=easy", EnvSpec.Parse("heist:many-keys;mode=easy").ToString());
        var e = Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("heist:few-keys"));
        Assert.Contains("few-keys", e.Message);
        Assert.Contains("many-chests, many-keys, classic", e.Message);
        Assert.Contains("many-chests", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("heist")).Message);
        Assert.Contains("easy, hard", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("heist:many-keys;mode=memory")).Message);
    }

    [Fact]
    public void Counts_follow_each_variants_rule()
    {
        var chests = new HeistGame(EnvSpec.Parse("heist:many-chests"));
        var keys = new HeistGame(EnvSpec.Parse("heist:many-keys"));
        var easy = new HeistGame(EnvSpec.Parse("heist:many-keys;mode=easy"));
        for (int seed = 100; seed < 400; seed++)
        {
            chests.Reset(seed);
            keys.Reset(seed);
            easy.Reset(seed);
            Assert.Equal(2 * chests.Level.NumKeys, chests.Level.NumChests);
            Assert.Equal(2 * keys.Level.NumChests, keys.Level.NumKeys);
            Assert.InRange(chests.Level.NumKeys, 1, 6);           // k + U{0,1} + 1 with k = 0..4 (hard)
            Assert.InRange(easy.Level.NumChests, 1, 4);           // k = 0..2 in the 9x9 world
            Assert.InRange(easy.Level.MazeSize, 5, 9);
            // The same maze and object cells: only which of them are keys differs.
            Assert.Equal(chests.Describe().Grid.Select(r => r.Replace('k', 'o').Replace('c', 'o')), keys.Describe().Grid.Select(r => r.Replace('k', 'o').Replace('c', 'o')));
        }
    }

    [Fact]
    public void Movement_follows_procgens_velocity_mixing_and_stops_at_walls()
    {
        var game = new HeistGame(EnvSpec.Parse("heist:many-keys"));
        game.Reset(0); // agent at (12.5, 11.5): a wall to its left, the world's edge to its right, open below
        float y0 = game.AgentY;
        game.Step(3); // down (move 3: vx 0, vy -1): v = 0.9 * (0.5 * 0 - 0.375)
        Assert.Equal((float)(0.9 * -0.375f), game.VelocityY);
        Assert.Equal(y0 - 0.3375f, game.AgentY, 5);
        game.Step(3); // v = 0.9 * (0.5 * -0.3375 - 0.375) = -0.489375
        Assert.Equal(-0.489375f, game.VelocityY, 6);
        Assert.Equal(y0 - 0.3375f - 0.489375f, game.AgentY, 4); // four sub-steps of v / 4 round differently
        Assert.Equal(12.5f, game.AgentX);
        for (int i = 0; i < 4; i++) game.Step(7); // right, into the world's edge
        Assert.Equal(12.625f, game.AgentX); // snapped: its right side on the edge at x = 13
        Assert.Equal(0f, game.VelocityX);   // every sub-step blocked
        for (int i = 0; i < 8; i++) game.Step(5); // up: row 12 is wall
        Assert.Equal(11.625f, game.AgentY);
        Assert.Equal(0f, game.VelocityY);
    }

    [Fact]
    public void A_key_is_picked_up_and_a_chest_opens_only_with_one_and_never_blocks()
    {
        var game = new HeistGame(EnvSpec.Parse("heist:many-keys;key_penalty=3"));
        game.Reset(0);
        int chest = Of(game, HeistEntityKind.Chest)[0], key = Of(game, HeistEntityKind.Key)[0];
        Assert.Equal(0f, Visit(game, chest).Reward); // empty hands: nothing happens
        Assert.False(game.IsTaken(chest));
        Assert.Equal(-0.3f, Visit(game, key).Reward); // key_penalty / 10 per key
        Assert.True(game.IsTaken(key));
        Assert.Equal(1, game.KeysHeld);
        Assert.Equal(1f, Visit(game, chest).Reward);
        Assert.True(game.IsTaken(chest));
        Assert.Equal((0, 1, 1), (game.KeysHeld, game.KeysCollected, game.ChestsOpened));
        Assert.False(game.IsDone);

        // Chests do not block: from the open tile beside a closed chest, the agent walks into the chest's tile.
        game.Reset(0);
        foreach (int c in Of(game, HeistEntityKind.Chest))
        {
            int cx = (int)game.Level.X[c], cy = (int)game.Level.Y[c];
            if (game.Level.IsWall(cx - 1, cy) || Of(game, HeistEntityKind.Key).Any(k => (int)game.Level.X[k] == cx - 1 && (int)game.Level.Y[k] == cy)) continue;
            game.PlaceAgent(cx - 0.5f, cy + 0.5f);
            for (int i = 0; i < 3; i++) game.Step(7);
            Assert.True(game.AgentX > cx + 0.3f);
            Assert.False(game.IsTaken(c));
            return;
        }
        Assert.Fail("no chest with an open tile to its left");
    }

    [Theory]
    [InlineData("heist:many-chests")]
    [InlineData("heist:many-keys")]
    [InlineData("heist:many-chests;mode=easy")]
    public void Collecting_every_key_then_opening_chests_completes_the_level(string spec)
    {
        var game = new HeistGame(EnvSpec.Parse(spec));
        Span<float> facts = stackalloc float[EpisodeFacts.Count];
        for (int seed = 0; seed < 12; seed++)
        {
            game.Reset(seed);
            var level = game.Level;
            foreach (int key in Of(game, HeistEntityKind.Key)) Assert.Equal(0f, Visit(game, key).Reward);
            Assert.Equal(level.NumKeys, game.KeysHeld);
            int expected = Math.Min(level.NumKeys, level.NumChests); // many chests: every key used; many keys: every chest open
            StepResult last = default;
            foreach (int chest in Of(game, HeistEntityKind.Chest))
            {
                if (game.IsDone) break;
                last = Visit(game, chest);
                Assert.Equal(1f, last.Reward);
            }
            Assert.Equal(HeistDefinition.Complete, game.Outcome);
            Assert.True(last.Terminated && !last.Truncated);
            Assert.Equal(expected, game.ChestsOpened);
            Assert.Equal(expected, game.Return);
            game.WriteFacts(facts);
            Assert.Equal(level.NumKeys, facts[HeistDefinition.KeysCollectedFact]);
            Assert.Equal(expected, facts[HeistDefinition.ChestsOpenedFact]);
            Assert.Equal(level.NumKeys - expected, facts[HeistDefinition.KeysHeldFact]);
            Assert.Equal(level.NumKeys, facts[HeistDefinition.KeysTotalFact]);
            Assert.Equal(level.NumChests, facts[HeistDefinition.ChestsTotalFact]);
            Assert.Equal(0, facts[HeistDefinition.StepsAfterLastChestFact]); // the last chest ends it
        }
    }

    [Fact]
    public void Facts_count_steps_and_keys_after_the_last_chest()
    {
        var game = new HeistGame(EnvSpec.Parse("heist:many-keys;timeout=30"));
        game.Reset(0);
        var keys = Of(game, HeistEntityKind.Key);
        Visit(game, keys[0]);
        Visit(game, Of(game, HeistEntityKind.Chest)[0]);
        int opened = game.Steps;
        Visit(game, keys[1]);
        Visit(game, keys[2]);
        while (!game.IsDone) game.Step(4);
        Span<float> facts = stackalloc float[EpisodeFacts.Count];
        game.WriteFacts(facts);
        Assert.Equal(HeistDefinition.Timeout, game.Outcome);
        Assert.Equal(30 - opened, facts[HeistDefinition.StepsAfterLastChestFact]);
        Assert.Equal(2, facts[HeistDefinition.KeysAfterLastChestFact]);
        Assert.Equal(3, facts[HeistDefinition.KeysCollectedFact]);
        Assert.Equal(2, facts[HeistDefinition.KeysHeldFact]);
    }

    [Fact]
    public void Classic_locks_block_until_their_key_is_held_and_the_gem_ends_it()
    {
        var game = new HeistGame(EnvSpec.Parse("heist:classic"));
        int checkedLocks = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            game.Reset(seed);
            var level = game.Level;
            foreach (int lockEntity in Of(game, HeistEntityKind.Lock))
            {
                int lx = (int)level.X[lockEntity], ly = (int)level.Y[lockEntity];
                if (level.IsWall(lx - 1, ly) || Enumerable.Range(0, level.EntityCount).Any(e => !game.IsTaken(e) && (int)level.X[e] == lx - 1 && (int)level.Y[e] == ly)) continue;
                game.PlaceAgent(lx - 0.5f, ly + 0.5f);
                for (int i = 0; i < 4; i++) game.Step(7); // push right into the lock
                Assert.Equal(lx - 0.375f, game.AgentX); // held just outside its box
                Assert.False(game.IsTaken(lockEntity));
                int key = Of(game, HeistEntityKind.Key).Single(k => level.Themes[k] == level.Themes[lockEntity]);
                Visit(game, key);
                game.PlaceAgent(lx - 0.5f, ly + 0.5f);
                for (int i = 0; i < 2; i++) game.Step(7); // 0.83 tiles: into the lock's tile, not yet at what lies behind it
                Assert.True(game.IsTaken(lockEntity)); // with its key the lock opens (the key stays held)
                Assert.True(game.AgentX > lx - 0.3f);
                checkedLocks++;
            }
            var last = Visit(game, Of(game, HeistEntityKind.Gem)[0]);
            Assert.Equal(10f, last.Reward);
            Assert.True(last.Terminated);
            Assert.Equal(HeistDefinition.Complete, game.Outcome);
        }
        Assert.True(checkedLocks >= 3);
    }

    [Fact]
    public void No_ops_run_into_the_timeout_and_the_step_penalty_applies()
    {
        var game = new HeistGame(EnvSpec.Parse("heist:many-keys;timeout=10;step_penalty=5"));
        game.Reset(3);
        StepResult r = default;
        for (int i = 0; i < 10; i++)
        {
            r = game.Step(4 + (i % 2) * 6); // 4 and 10: both stand still
            Assert.Equal(-0.005f, r.Reward);
        }
        Assert.True(r.Truncated && !r.Terminated);
        Assert.Equal(HeistDefinition.Timeout, game.Outcome);
        Assert.Throws<InvalidOperationException>(() => game.Step(4));
    }

    [Theory]
    [InlineData("heist:many-chests")]
    [InlineData("heist:classic")]
    public void State_round_trips_mid_episode_and_rejects_another_spec(string spec)
    {
        var rng = new Random(5);
        var actions = Enumerable.Range(0, 400).Select(_ => rng.Next(15)).ToArray();
        var game = new HeistGame(EnvSpec.Parse(spec));
        game.Reset(7);
        for (int i = 0; i < 60; i++) game.Step(actions[i]);
        var state = new byte[HeistGame.StateSize];
        game.WriteState(state);
        var expected = new List<string>();
        for (int i = 60; i < 400 && !game.IsDone; i++) expected.Add($"{game.Step(actions[i])} {game.AgentX} {game.AgentY} {game.KeysHeld}");

        var copy = new HeistGame(EnvSpec.Parse(spec));
        copy.ReadState(state);
        var actual = new List<string>();
        for (int i = 60; i < 400 && !copy.IsDone; i++) actual.Add($"{copy.Step(actions[i])} {copy.AgentX} {copy.AgentY} {copy.KeysHeld}");
        Assert.Equal(expected, actual);
        Assert.Throws<MisgenInputException>(() => new HeistGame(EnvSpec.Parse("heist:many-keys;mode=easy")).ReadState(state));
        Assert.Throws<MisgenInputException>(() => copy.ReadState(state.AsSpan(0, 10)));
    }

    [Fact]
    public void Renders_the_world_keys_chests_agent_and_held_keys()
    {
        var spec = EnvSpec.Parse("heist:many-keys");
        var game = new HeistGame(spec);
        game.Reset(0);
        var renderer = HeistDefinition.Instance.CreateRenderer(spec, 64);
        var frame = new byte[64 * 64 * 3];
        ((HeistRenderer)renderer).Draw(game, frame);
        // The original's first frame of this level (Data: frames are a visual reference): tile (0, 12) is wall,
        // and the chests are procgen's blue.
        var (cx, cy) = CentreOf(game, Of(game, HeistEntityKind.Chest)[0]);
        Assert.Equal(new byte[] { 30, 167, 225 }, Pixel(frame, (cx - 1, cy + 1)));
        Assert.True(Pixel(frame, (2, 2)).SequenceEqual(new byte[] { 187, 203, 204 }) || Pixel(frame, (2, 2))[0] > 170);
        Visit(game, Of(game, HeistEntityKind.Key)[0]);
        Assert.True(game.KeysHeld >= 1);
        var held = new byte[frame.Length];
        ((HeistRenderer)renderer).Draw(game, held);
        // A held key is drawn green in the top-right corner, over the wall.
        bool green = false;
        for (int y = 0; y < 6; y++)
            for (int x = 56; x < 64; x++)
                green |= Pixel(held, (x, y)) is [< 150, > 180, < 120];
        Assert.True(green);
    }

    [Fact]
    public void Trains_evaluates_with_facts_and_renders_through_the_cli()
    {
        string agent = Path.Combine(temp.Path, "agent");
        const string spec = "heist:many-chests;mode=easy;timeout=40";
        Assert.Equal(0, VerbRunner.Run("train", spec, "--preset", "smoke", "--seed", "2", "--out", agent, "--threads", "1"));
        string db = Path.Combine(temp.Path, "results.db");
        Assert.Equal(0, VerbRunner.Run("eval", agent, "--setting", "heist:many-keys;mode=easy;timeout=40", "--levels", "12", "--out", db, "--threads", "1"));
        using (var store = ResultsStore.OpenRead(db))
        {
            var episodes = store.Episodes().ToList();
            Assert.Equal(12, episodes.Count);
            var game = new HeistGame(EnvSpec.Parse("heist:many-keys;mode=easy"));
            foreach (var e in episodes)
            {
                game.Reset(e.LevelSeed);
                Assert.Equal(game.Level.NumKeys, e.Facts[HeistDefinition.KeysTotalFact]);
                Assert.Equal(game.Level.NumChests, e.Facts[HeistDefinition.ChestsTotalFact]);
                Assert.Equal(e.Return, e.Facts[HeistDefinition.ChestsOpenedFact]);
                Assert.True(e.Outcome is HeistDefinition.Complete or HeistDefinition.Timeout);
            }
        }
        Assert.Equal(0, VerbRunner.Run("render", "heist:classic", "--level", "1", "2", "--view", "channels", "--out", Path.Combine(temp.Path, "c.png")));
        Assert.Equal(0, VerbRunner.Run("render", "heist:many-keys", "--level", "3", "--view", "human", "--out", Path.Combine(temp.Path, "h.png")));
        Assert.Equal(2, VerbRunner.Run("render", "heist:many-coins", "--level", "3", "--out", Path.Combine(temp.Path, "x.png")));
    }

    private static byte[] Pixel(byte[] frame, (int X, int Y) p) => frame.AsSpan((p.Y * 64 + p.X) * 3, 3).ToArray();

    private static (int, int) CentreOf(HeistGame game, int e) =>
        ((int)(game.Level.X[e] * 64 / 13), (int)((13 - game.Level.Y[e]) * 64 / 13));

    private static bool Touching(HeistGame game, int e) =>
        MathF.Abs(game.Level.X[e] - game.AgentX) < game.Level.Rx[e] + 0.375f && MathF.Abs(game.Level.Y[e] - game.AgentY) < game.Level.Ry[e] + 0.375f;

    /// <summary>The untaken entities of a kind, in creation order.</summary>
    private static List<int> Of(HeistGame game, HeistEntityKind kind) =>
        [.. Enumerable.Range(0, game.Level.EntityCount).Where(e => game.Level.Kinds[e] == kind && !game.IsTaken(e))];

    /// <summary>Puts the agent on entity <paramref name="e"/>'s tile centre and stands still one step (it touches only that tile's entity).</summary>
    private static StepResult Visit(HeistGame game, int e)
    {
        game.PlaceAgent((int)game.Level.X[e] + 0.5f, (int)game.Level.Y[e] + 0.5f);
        return game.Step(4);
    }
}
