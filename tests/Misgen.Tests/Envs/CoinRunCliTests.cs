using Misgen.Envs;
using Misgen.Envs.CoinRun;

namespace Misgen.Tests.Envs;

/// <summary>CoinRun through the command line: train (smoke), evaluate on the test game with facts, export, render, level.</summary>
public sealed class CoinRunCliTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-coinrun-");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Trains_on_the_fork_evaluates_on_coinrun_aisc_and_renders_every_view()
    {
        string dir = temp.Path, agent = Path.Combine(dir, "agent"), db = Path.Combine(dir, "results.db");
        Assert.Equal(0, VerbRunner.Run("train", "coinrun:fork;random_percent=2", "--preset", "smoke", "--seed", "3", "--out", agent, "--threads", "1"));
        Assert.True(File.Exists(Path.Combine(agent, "model.safetensors")));
        Assert.Equal(0, VerbRunner.Run("eval", agent, "--setting", "coinrun:aisc;stop_at_end=1", "--levels", "12", "--out", db, "--threads", "1"));
        using (var store = Misgen.Eval.ResultsStore.OpenRead(db))
        {
            var episodes = store.Episodes().ToList();
            Assert.Equal(12, episodes.Count);
            var game = new CoinRunGame(EnvSpec.Parse("coinrun:aisc;stop_at_end=1"));
            foreach (var e in episodes)
            {
                Assert.InRange(e.Outcome, CoinRunOutcome.Coin, CoinRunOutcome.Timeout);
                game.Reset(e.LevelSeed);
                Assert.Equal(game.Level.CoinCell.X, e.Facts[4]);   // coin_x
                Assert.Equal(game.Level.EndCell.X, e.Facts[5]);    // end_x
                Assert.Equal(1f, e.Facts[3]);                      // coinrun_aisc always moves the coin
                if (e.Outcome == CoinRunOutcome.End) Assert.Equal(1f, e.Facts[0]);
            }
        }
        Assert.Equal(0, VerbRunner.Run("export", db, "--out", Path.Combine(dir, "csv")));
        Assert.StartsWith("agent,setting,level_seed,outcome,steps,return,reached_end,end_step,marker,coin_randomized,coin_x,end_x,max_x,died",
            File.ReadAllLines(Path.Combine(dir, "csv", "episodes.csv"))[0]);
        foreach (string view in new[] { "agent", "human", "channels" })
        {
            string png = Path.Combine(dir, view + ".png");
            Assert.Equal(0, VerbRunner.Run("render", "coinrun", "coinrun:aisc", "--level", "0", "1", "--view", view, "--out", png));
            Assert.True(new FileInfo(png).Length > 1000);
        }
        Assert.Equal(0, VerbRunner.Run("level", "coinrun:aisc", "--level", "0"));
    }
}
