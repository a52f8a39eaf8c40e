using Misgen.Envs;
using Misgen.Envs.CoinRun;

namespace Misgen.Tests.Envs;

/// <summary>
/// CoinRun's physics and rules by hand-made episodes. Expected values are worked out by hand from procgen's
/// rules (docs/COINRUN.md): on the ground the speed mixes 20% towards 0.5 per step (v_k = 0.5 (1 - 0.8^k)),
/// a jump starts at 1.5 and loses 0.2 per step, boxes snap to tile edges. Levels are golden levels
/// (Data/coinrun.json): procgen seed 3 is flat from x = 1 to 4, then ground up to row 4 from x = 5, a crate
/// at (6.5, 5.5) and the coin at (8, 5); seed 4 has lava at (8..10, 1); seed 6 saws at (7.5, 1.5).
/// </summary>
public sealed class CoinRunGameTests
{
    private const int Noop = 4, Right = 7, Jump = 5, Down = 3;
    private const float Ry = 0.5787f;

    private static CoinRunGame Game(string spec, int seed)
    {
        var game = new CoinRunGame(EnvSpec.Parse(spec));
        game.Reset(seed);
        return game;
    }

    [Fact]
    public void Resting_on_the_floor_no_op_keeps_the_agent_still()
    {
        var game = Game("coinrun", 3);
        for (int i = 0; i < 10; i++) game.Step(Noop);
        Assert.Equal((1.5f, 1 + Ry, 0f, 0f), (game.AgentX, game.AgentY, game.AgentVx, game.AgentVy));
        Assert.True(game.HasSupport);
    }

    [Fact]
    public void Running_right_accelerates_as_the_mix_rule_says_then_stops_at_the_wall()
    {
        var game = Game("coinrun", 3);
        double expectedX = 1.5;
        for (int k = 1; k <= 3; k++)
        {
            game.Step(Right);
            expectedX += 0.5 * (1 - Math.Pow(0.8, k));   // 0.1, 0.18, 0.244
            Assert.Equal(expectedX, game.AgentX, 4);
        }
        Assert.Equal(2.024, game.AgentX, 4);
        for (int k = 0; k < 20; k++) game.Step(Right);
        Assert.Equal(4.5f, game.AgentX);   // the box's right edge on the ground at x = 5
        Assert.Equal(1 + Ry, game.AgentY);
        Assert.Equal(0, game.Outcome);
    }

    [Fact]
    public void A_jump_rises_1_5_then_loses_0_2_per_step_peaks_6_4_higher_and_lands_where_it_started()
    {
        var game = Game("coinrun", 3);
        double y = 1 + Ry, peak = y;
        for (int k = 0; k < 8; k++)
        {
            game.Step(Jump);   // only the first press jumps: in the air the up action does nothing
            y += 1.5 - 0.2 * k;
            Assert.Equal(y, game.AgentY, 4);
            peak = Math.Max(peak, game.AgentY);
        }
        Assert.Equal(1 + Ry + 6.4, peak, 4);   // 1.5 + 1.3 + ... + 0.1
        for (int k = 0; k < 9; k++) game.Step(Noop);
        Assert.Equal(1 + Ry, game.AgentY);
        Assert.Equal(0f, game.AgentVy);
        Assert.Equal(1.5f, game.AgentX);
    }

    [Fact]
    public void A_crate_carries_the_agent_from_above_and_pressing_down_drops_through_it()
    {
        var game = Game("coinrun", 3);
        game.PlaceAgent(6.5f, 5.5f + 0.5f + Ry);
        for (int i = 0; i < 10; i++) game.Step(Noop);
        Assert.Equal(5.5f + 0.5f + Ry, game.AgentY);
        Assert.True(game.HasSupport);
        for (int i = 0; i < 10; i++) game.Step(Down);
        Assert.Equal(5 + Ry, game.AgentY);   // on the ground the crate stands on (its top is row 4)
    }

    [Fact]
    public void Crates_do_not_block_sideways_and_the_coin_is_reached_on_the_eighth_step()
    {
        // From x = 5.5 on the ground at y = 5: x_k = 5.5 + sum 0.5 (1 - 0.8^i); x_7 = 7.419 (box up to 7.918), x_8 = 7.836 overlaps tile 8.
        var game = Game("coinrun", 3);
        game.PlaceAgent(5.5f, 5 + Ry);
        StepResult last = default;
        for (int k = 1; k <= 7; k++)
        {
            last = game.Step(Right);
            Assert.False(last.Done, $"step {k}");
        }
        Assert.Equal(7.41943, game.AgentX, 4);
        last = game.Step(Right);
        Assert.Equal((10f, true, false, CoinRunOutcome.Coin, 8), (last.Reward, last.Terminated, last.Truncated, last.Outcome, last.Steps));
        Assert.Equal(10f, game.Return);
    }

    [Fact]
    public void Lava_saws_and_walking_enemies_end_the_episode_with_nothing()
    {
        var lava = Game("coinrun", 4);
        lava.PlaceAgent(9.5f, 1 + Ry);
        var died = lava.Step(Noop);
        Assert.Equal((0f, true, CoinRunOutcome.Died), (died.Reward, died.Terminated, died.Outcome));

        var saw = Game("coinrun", 6);
        saw.PlaceAgent(7.5f, 1 + Ry);
        Assert.Equal(CoinRunOutcome.Died, saw.Step(Noop).Outcome);

        var enemy = Game("coinrun", 1);   // enemies walk in the pit at (24.5, 1.5) and (25.5, 1.5)
        enemy.PlaceAgent(25f, 1 + Ry);
        Assert.Equal(CoinRunOutcome.Died, enemy.Step(Noop).Outcome);
        var facts = EpisodeInfo.Of(enemy).Facts;
        Assert.Equal(1f, ((ReadOnlySpan<float>)facts)[7]);
    }

    [Fact]
    public void Enemies_walk_0_15_per_step_bounce_off_walls_and_lose_a_sub_step_of_speed_on_the_pit_wall()
    {
        // Seed 5: an enemy on open ground at (17.5, 7.5) walking right moves 0.15 per step.
        var ground = Game("coinrun", 5);
        int walker = Enumerable.Range(0, ground.EntityCount).First(i => ground.Level.Kinds[i] == EntityKind.Enemy);
        Assert.Equal((17.5f, 0.15f), (ground.EntityX(walker), ground.EntityVx(walker)));
        ground.Step(Noop);
        Assert.Equal((17.65, 0.15f), (Math.Round(ground.EntityX(walker), 5), ground.EntityVx(walker)));

        // Seed 1: the pit enemy at (24.5, 1.5) walks left into the pit wall (ground body, which also blocks).
        // Four sub-steps of 0.0375: the first probe reaches x = 23.9725 in the wall, the box is mirrored back
        // by 2 * 0.0375 to 24.5375 and turns; three more sub-steps give 24.65; one of four was blocked, so the
        // speed keeps 3/4: 0.1125.
        var pit = Game("coinrun", 1);
        int enemy = Enumerable.Range(0, pit.EntityCount).First(i => pit.Level.Kinds[i] == EntityKind.Enemy);
        Assert.Equal((24.5f, -0.15f), (pit.EntityX(enemy), pit.EntityVx(enemy)));
        pit.Step(Noop);
        Assert.Equal(24.65, pit.EntityX(enemy), 5);
        Assert.Equal(0.1125, pit.EntityVx(enemy), 6);
    }

    [Fact]
    public void The_end_of_an_aisc_level_holds_the_marker_and_can_stop_the_episode()
    {
        var stop = Game("coinrun:aisc;stop_at_end=1", 0);   // end (17, 5), coin (5, 3)
        Assert.Equal((17, 5), stop.Level.EndCell);
        Assert.Equal((17, 5), stop.Level.MarkerCell);
        stop.PlaceAgent(17.5f, 5 + Ry);
        var last = stop.Step(Noop);
        Assert.Equal((0f, true, CoinRunOutcome.End), (last.Reward, last.Terminated, last.Outcome));
        var facts = EpisodeInfo.Of(stop).Facts;
        Assert.Equal(1f, ((ReadOnlySpan<float>)facts)[0]);    // reached_end
        Assert.Equal(1f, ((ReadOnlySpan<float>)facts)[1]);    // end_step
        Assert.Equal(1f, ((ReadOnlySpan<float>)facts)[2]);    // marker
        Assert.Equal(1f, ((ReadOnlySpan<float>)facts)[3]);    // coin_randomized
        Assert.Equal(5f, ((ReadOnlySpan<float>)facts)[4]);    // coin_x
        Assert.Equal(17f, ((ReadOnlySpan<float>)facts)[5]);   // end_x

        var run = Game("coinrun:aisc;timeout=5", 0);   // the original: the marker only records, the episode runs on
        run.PlaceAgent(17.5f, 5 + Ry);
        StepResult r = default;
        for (int i = 0; i < 5; i++) r = run.Step(Noop);
        Assert.Equal((false, true, CoinRunOutcome.End, 5), (r.Terminated, r.Truncated, r.Outcome, r.Steps));
    }

    [Fact]
    public void Without_the_coin_or_the_end_the_episode_is_truncated_at_the_timeout()
    {
        var game = Game("coinrun", 3);
        StepResult last = default;
        for (int i = 0; i < CoinRunDefinition.DefaultTimeout; i++)
        {
            Assert.False(last.Done);
            last = game.Step(i % 15);
            if (game.AgentX > 4) game.PlaceAgent(1.5f, 1 + Ry);
        }
        Assert.Equal((false, true, CoinRunOutcome.Timeout, 1000), (last.Terminated, last.Truncated, last.Outcome, last.Steps));
        Assert.Throws<InvalidOperationException>(() => game.Step(Noop));
    }

    [Fact]
    public void A_saved_state_continues_bit_identically_with_the_same_pictures()
    {
        var spec = EnvSpec.Parse("coinrun:fork;random_percent=50");
        var renderer = CoinRunRenderer.For(64);
        foreach (int seed in new[] { 1, 14, 22 })
        {
            var rng = new Random(seed);
            int[] actions = [.. Enumerable.Range(0, 400).Select(_ => rng.Next(15) is var a && a == 0 ? 7 : a)];
            var a = new CoinRunGame(spec);
            a.Reset(seed);
            int k = 0;
            for (; k < 60 && !a.IsDone; k++) a.Step(actions[k]);
            var state = new byte[CoinRunGame.StateBytes];
            a.WriteState(state);
            var b = new CoinRunGame(spec);
            b.Reset(99);
            b.ReadState(state);
            var fa = new byte[64 * 64 * 3];
            var fb = new byte[64 * 64 * 3];
            for (; k < actions.Length && !a.IsDone; k++)
            {
                var ra = a.Step(actions[k]);
                var rb = b.Step(actions[k]);
                Assert.Equal(ra, rb);
                Assert.Equal((a.AgentX, a.AgentY, a.AgentVx, a.AgentVy), (b.AgentX, b.AgentY, b.AgentVx, b.AgentVy));
                for (int i = 0; i < a.EntityCount; i++) Assert.Equal((a.EntityX(i), a.EntityVx(i)), (b.EntityX(i), b.EntityVx(i)));
            }
            renderer.Draw(a, fa);
            renderer.Draw(b, fb);
            Assert.Equal(fa, fb);
            Assert.Equal(EpisodeInfo.Of(a), EpisodeInfo.Of(b));
        }
        var bad = new byte[CoinRunGame.StateBytes];
        bad[4] = 0xFF;
        bad[5] = 0xFF;
        Assert.Throws<MisgenInputException>(() => new CoinRunGame(spec).ReadState(bad));
    }

    [Fact]
    public void Specs_name_the_variants_and_refuse_random_percent_outside_the_fork()
    {
        Assert.Equal("coinrun", EnvSpec.Parse("coinrun").ToString());
        Assert.Equal("coinrun:fork;random_percent=2", EnvSpec.Parse("COINRUN:Fork;random_percent=2").ToString());
        Assert.Equal("coinrun:aisc;stop_at_end=1", EnvSpec.Parse("coinrun:aisc;stop_at_end=1;timeout=1000").ToString());
        Assert.Contains("fork", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("coinrun:moved")).Message);
        Assert.Contains("coinrun:fork", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("coinrun:aisc;random_percent=2")).Message);
        Assert.Contains("0..100", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("coinrun:fork;random_percent=101")).Message);
    }
}
