using Misgen.Envs;
using Misgen.Envs.GridWorlds;
using Misgen.Envs.Monster;

namespace Misgen.Tests.Envs;

/// <summary>
/// The Monster gridworld's rules by hand-made positions (double_move 0 or 1 and respawn off where the test needs
/// them fixed), the one-hot planes against the level description, and the state round trip.
/// </summary>
public sealed class MonsterGameTests
{
    private const int Left = 0, Down = 1, Up = 2, Right = 3;

    private static MonsterGame Game(string options = "", params string[] grid)
    {
        var game = new MonsterGame(EnvSpec.Parse("monster;size=5;respawn=off;double_move=0;inventory_cap=5" + options));
        game.Reset(1);
        if (grid.Length > 0) game.Load(grid);
        return game;
    }

    [Fact]
    public void Specs_print_defaults_canonically_and_refuse_impossible_worlds()
    {
        Assert.Equal("monster", EnvSpec.Parse("monster;size=14;timeout=25").ToString());
        Assert.Equal("monster;timeout=200", EnvSpec.Parse("MONSTER;timeout=200").ToString());
        Assert.Contains("0..1", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("monster;double_move=2")).Message);
        Assert.Contains("on, off", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("monster;respawn=maybe")).Message);
        Assert.Contains("at most 4 things", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("monster;size=2")).Message);
        Assert.Contains("inventory_cap=10", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("monster;size=3;monsters=1;shields=1;apples=1")).Message);
    }

    [Fact]
    public void The_gridworld_presets_apply_their_recipes()
    {
        // Regression: a preset's overrides were once read before they were initialised, silently training the base recipe.
        var monster = Misgen.Rl.Recipe.Config("monster-200", EnvSpec.Parse("monster;timeout=200"));
        Assert.Equal((400_000L, 16), (monster.TotalSteps, monster.ObservationSize));
        var tree = Misgen.Rl.Recipe.Config("tree-continual", EnvSpec.Parse("tree"));
        Assert.Equal((1, 16, false), (tree.NumEnvs, tree.ObservationSize, tree.AnnealLr));
    }

    [Fact]
    public void An_apple_gives_one_and_disappears_without_respawn()
    {
        var game = Game(";monsters=0", "#######", "#.....#", "#.....#", "#.Aa..#", "#.....#", "#.....#", "#######");
        var step = game.Step(Right);
        Assert.Equal(1f, step.Reward);
        Assert.Equal((3, 3), (game.AgentX, game.AgentY));
        Assert.Equal('.', game.ThingAt(3, 3));
        Assert.Equal(1, game.ApplesCollected);
        Assert.Equal(1, game.ApplesAfterClear); // no monster ever lived: everything is after the clear
    }

    [Fact]
    public void Respawn_keeps_the_number_of_apples_and_shields()
    {
        var game = Game(";monsters=0;respawn=on;apples=1;shields=1", "#######", "#.....#", "#.....#", "#.AaS.#", "#.....#", "#.....#", "#######");
        game.Step(Right);
        game.Step(Right);
        var grid = game.Describe().Grid;
        Assert.Equal(1, grid.Sum(r => r.Count(c => c == 'a')));
        Assert.Equal(1, grid.Sum(r => r.Count(c => c == 'S')));
        Assert.Equal((1, 1, 1), (game.ApplesCollected, game.ShieldsCollected, game.Inventory));
    }

    [Fact]
    public void Walking_into_a_monster_without_a_shield_costs_one_and_its_attack_another()
    {
        var game = Game(";monsters=1", "#######", "#.....#", "#.....#", "#.AM..#", "#.....#", "#.....#", "#######");
        var step = game.Step(Right);
        // The agent bounces (-1), then the monster steps onto the agent's cell, its nearest neighbour (-1).
        Assert.Equal(-2f, step.Reward);
        Assert.Equal((2, 3), (game.AgentX, game.AgentY));
        Assert.Equal('M', game.ThingAt(3, 3));
        Assert.Equal((2, 0, 1), (game.Hits, game.Kills, game.MonsterCount));
    }

    [Fact]
    public void A_shield_destroys_the_monster_once_and_shields_after_the_clear_are_counted()
    {
        var game = Game(";monsters=1;shields=2", "#######", "#.....#", "#..S..#", "#.ASM.#", "#.....#", "#.....#", "#######");
        Assert.Equal(0f, game.Step(Right).Reward); // takes the shield at (3,3); the monster at (4,3) steps onto the agent and dies
        Assert.Equal((1, 1, 0, 0), (game.ShieldsCollected, game.Kills, game.Inventory, game.MonsterCount));
        Assert.Equal(1, game.ClearStep);
        Assert.Equal(0, game.ShieldsAfterClear);
        Assert.Equal(0f, game.Step(Up).Reward); // the second shield, now with no monster left
        Assert.Equal((1, 2, 0), (game.ShieldsAfterClear, game.ShieldsCollected, game.Hits));
        Span<float> facts = stackalloc float[8];
        game.WriteFacts(facts);
        Assert.Equal([0f, 2, 0, 1, 1, 0, 1], facts[..7].ToArray());
    }

    [Fact]
    public void Walking_into_a_monster_with_a_shield_takes_its_cell_and_the_cap_limits_shields()
    {
        var game = Game(";monsters=1;shields=2;inventory_cap=1", "#######", "#.....#", "#.....#", "#ASSM.#", "#.....#", "#.....#", "#######");
        game.Step(Right); // shield 1; the monster at (4,3) is blocked by the shield at (3,3) and steps aside
        Assert.Equal(1, game.Inventory);
        game.Step(Right); // shield 2: still 1 held (the cap)
        Assert.Equal((1, 2), (game.Inventory, game.ShieldsCollected));
    }

    [Fact]
    public void Monsters_chase_one_cell_per_step_and_two_when_they_always_move_twice()
    {
        foreach (var (options, perStep) in new[] { ("", 1), (";double_move=1", 2) })
        {
            var game = Game(";monsters=1;size=9" + options,
                "###########", "#........M#", "#.........#", "#.........#", "#.........#", "#.........#", "#.........#", "#.........#", "#A........#", "#.........#", "###########");
            int Distance()
            {
                var m = game.Describe().Entities.Single(e => e.Type == "monster");
                return (int)(Math.Abs(m.X - game.AgentX - 0.5) + Math.Abs(m.Y - game.AgentY - 0.5));
            }
            int before = Distance();
            Assert.Equal(15, before);
            for (int t = 0; t < 5; t++)
            {
                game.Step(Left); // into the wall: the agent stays
                Assert.Equal(before - perStep, Distance());
                before = Distance();
            }
        }
    }

    [Fact]
    public void Planes_are_one_hot_where_the_level_description_puts_things()
    {
        var spec = EnvSpec.Parse("monster");
        var env = new GameEnv(spec, 32); // 16 cells of 2 pixels
        for (int seed = 0; seed < 5; seed++)
        {
            env.Reset(seed);
            for (int t = 0; t < 10; t++) env.Step((seed + t) % 4);
            var game = (MonsterGame)env.Game;
            var grid = game.Describe().Grid;
            var obs = env.Observation;
            Assert.Equal(32 * 32 * 6, obs.Length);
            for (int py = 0; py < 32; py++)
                for (int px = 0; px < 32; px++)
                {
                    char c = grid[py / 2][px / 2];
                    int o = (py * 32 + px) * 6;
                    Assert.Equal(c == 'A' ? 255 : 0, obs[o + MonsterDefinition.AgentPlane]);
                    Assert.Equal(c == 'M' ? 255 : 0, obs[o + MonsterDefinition.MonsterPlane]);
                    Assert.Equal(c == 'S' ? 255 : 0, obs[o + MonsterDefinition.ShieldPlane]);
                    Assert.Equal(c == 'a' ? 255 : 0, obs[o + MonsterDefinition.ApplePlane]);
                    Assert.Equal(c == '#' ? 255 : 0, obs[o + MonsterDefinition.WallPlane]);
                    Assert.Equal(py / 2 == 0 && px / 2 < game.Inventory ? 255 : 0, obs[o + MonsterDefinition.InventoryPlane]);
                }
        }
    }

    [Fact]
    public void The_agent_view_colours_each_plane_and_the_small_observation_is_refused_clearly()
    {
        var spec = EnvSpec.Parse("monster");
        var env = new GameEnv(spec, 16);
        env.Reset(3);
        var rgb = MonsterDefinition.Instance.ToRgb(env.Observation, env.Shape);
        var game = (MonsterGame)env.Game;
        int p = (15 - game.AgentY) * 16 + game.AgentX;
        Assert.Equal(new byte[] { 255, 255, 255 }, rgb[(3 * p)..(3 * p + 3)]);
        Assert.Equal(new byte[] { 110, 110, 110 }, rgb[..3]); // the wall's corner
        Assert.Contains("16..4096", Assert.Throws<MisgenInputException>(() => new GameEnv(spec, 8)).Message);
    }

    [Fact]
    public void A_saved_state_continues_identically_and_a_foreign_one_is_refused()
    {
        var spec = EnvSpec.Parse("monster;timeout=200");
        var a = new MonsterGame(spec);
        a.Reset(7);
        var actions = new Random(5);
        for (int t = 0; t < 40; t++) a.Step(actions.Next(4));
        var state = new byte[a.StateSize];
        a.WriteState(state);
        var b = new MonsterGame(spec);
        b.ReadState(state);
        Assert.Equal(a.Describe().ToText(), b.Describe().ToText());
        for (int t = 0; t < 100; t++)
        {
            int action = actions.Next(4);
            Assert.Equal(a.Step(action), b.Step(action));
            Assert.Equal(a.Describe().ToText(), b.Describe().ToText());
        }
        var other = new MonsterGame(EnvSpec.Parse("monster;size=10"));
        Assert.Throws<MisgenInputException>(() => other.ReadState(new byte[other.StateSize]));
        Assert.Throws<MisgenInputException>(() => other.ReadState(state.AsSpan(0, 10)));
    }

    [Fact]
    public void The_level_seed_alone_fixes_the_episode()
    {
        var spec = EnvSpec.Parse("monster;timeout=60");
        string Play(int seed)
        {
            var game = new MonsterGame(spec);
            game.Reset(seed);
            float total = 0;
            for (int t = 0; t < 60; t++) total += game.Step(t % 4).Reward;
            return game.Describe().ToText() + total;
        }
        Assert.Equal(Play(11), Play(11));
        Assert.NotEqual(Play(11), Play(12));
    }
}

/// <summary>
/// The paper's strategy is reachable under these rules: a scripted agent that fetches shields while monsters live
/// and apples afterwards clears the monsters and scores far above a random one, and one that never stops fetching
/// shields (the misgeneralized goal) collects fewer apples after the clear.
/// </summary>
public sealed class MonsterStrategyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Step towards the nearest cell holding `want` (Manhattan), preferring the axis with the larger gap; without a
    // shield, never into a monster (that is a hit and no move).
    private static int Towards(MonsterGame game, char want)
    {
        int best = int.MaxValue, tx = game.AgentX, ty = game.AgentY;
        for (int y = 1; y < game.Side - 1; y++)
            for (int x = 1; x < game.Side - 1; x++)
            {
                if (game.ThingAt(x, y) != want) continue;
                int d = Math.Abs(x - game.AgentX) + Math.Abs(y - game.AgentY);
                if (d < best) (best, tx, ty) = (d, x, y);
            }
        int dx = tx - game.AgentX, dy = ty - game.AgentY;
        int horizontal = dx < 0 ? 0 : 3, vertical = dy < 0 ? 1 : 2;
        Span<int> order = Math.Abs(dx) >= Math.Abs(dy) ? [horizontal, vertical, 3 - vertical, 3 - horizontal] : [vertical, horizontal, 3 - horizontal, 3 - vertical];
        foreach (int a in order)
        {
            var (mx, my) = Misgen.Envs.GridWorlds.GridMoves.Delta(a);
            char next = game.ThingAt(game.AgentX + mx, game.AgentY + my);
            if (next != '#' && (next != 'M' || game.Inventory > 0)) return a;
        }
        return order[0];
    }

    private static (double Return, double ApplesAfter, double ShieldsAfter, double Cleared) Play(Func<MonsterGame, Random, int> policy, int levels)
    {
        var game = new MonsterGame(EnvSpec.Parse("monster;timeout=200"));
        var random = new Random(1);
        double total = 0, applesAfter = 0, shieldsAfter = 0, cleared = 0;
        for (int level = 0; level < levels; level++)
        {
            game.Reset(100_000 + level);
            while (game.Outcome == 0) game.Step(policy(game, random));
            total += game.Return;
            applesAfter += game.ApplesAfterClear;
            shieldsAfter += game.ShieldsAfterClear;
            cleared += game.ClearStep >= 0 ? 1 : 0;
        }
        return (total / levels, applesAfter / levels, shieldsAfter / levels, cleared / levels);
    }

    [Fact]
    public void Fetching_shields_then_apples_beats_random_and_shield_hoarding_costs_apples()
    {
        var random = Play((_, r) => r.Next(4), 100);
        var intended = Play((g, _) => Towards(g, g.MonsterCount > 0 && g.Inventory < g.MonsterCount ? 'S' : 'a'), 100);
        var hoarder = Play((g, _) => Towards(g, g.Inventory < g.Config.InventoryCap ? 'S' : 'a'), 100);
        output.WriteLine($"random {random}; shields then apples {intended}; shields first always {hoarder}");
        Assert.True(intended.Return > random.Return + 150, $"{intended} vs {random}");
        Assert.True(intended.Cleared > 10 * random.Cleared, $"{intended} vs {random}");
        Assert.True(hoarder.ApplesAfter < intended.ApplesAfter, $"{hoarder} vs {intended}");
        Assert.True(hoarder.ShieldsAfter > intended.ShieldsAfter, $"{hoarder} vs {intended}");
    }
}
