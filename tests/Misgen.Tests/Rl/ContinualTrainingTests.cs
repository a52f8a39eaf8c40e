using System.Globalization;
using Misgen.Envs;
using Misgen.Envs.Tree;
using Misgen.Rl;

namespace Misgen.Tests.Rl;

/// <summary>
/// Training in a continual world (the tree world, never reset): train.csv gains the reward per step and the running
/// games' facts, which agree with each other, and an interrupted run resumes to the same weights.
/// </summary>
public sealed class ContinualTrainingTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-continual-");
    private readonly WorkerPool one = new(1);

    public void Dispose()
    {
        one.Dispose();
        temp.Dispose();
    }

    private static AgentManifest Manifest() =>
        Recipe.Manifest(EnvSpec.Parse("tree"), "smoke", 4, ["total_steps=1024", "num_envs=2", "num_steps=64", "observation_size=16"]);

    [Fact]
    public void Train_csv_logs_reward_per_step_and_facts_that_add_up_to_the_chops()
    {
        var result = AgentTraining.Run(temp["a"], Manifest(), new TrainOptions { Pool = one });
        Assert.True(result.Finished);
        var lines = File.ReadAllLines(Path.Combine(temp["a"], AgentTraining.CsvFile));
        var header = lines[0].Split(',');
        Assert.Equal(UpdateStats.CsvHeader + ",reward_per_step,chops,trees,extinctions,treeless_steps", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(8, rows.Count);
        double Column(string[] row, string name) => double.Parse(row[Array.IndexOf(header, name)], CultureInfo.InvariantCulture);
        Assert.All(rows, r => Assert.Equal("0", r[Array.IndexOf(header, "episodes")])); // nothing ever ends
        // Every chop is +1: the rewards of all rollouts (reward per step x 128 samples) sum to the chops the
        // games counted, which the last row reports as a mean over the 2 worlds.
        double rewarded = rows.Sum(r => Column(r, "reward_per_step") * 128);
        Assert.Equal(Column(rows[^1], "chops") * 2, rewarded, 3);
        Assert.All(rows, r => Assert.InRange(Column(r, "trees"), 0, 10));
    }

    [Fact]
    public void An_interrupted_continual_run_resumes_to_the_same_weights()
    {
        AgentTraining.Run(temp["full"], Manifest(), new TrainOptions { Pool = one });
        AgentTraining.Run(temp["part"], Manifest(), new TrainOptions { Pool = one, StopAfterUpdates = 3 });
        AgentTraining.Run(temp["part"], Manifest(), new TrainOptions { Pool = one, Resume = true });
        Assert.Equal(File.ReadAllBytes(Path.Combine(temp["full"], AgentTraining.ModelFile)), File.ReadAllBytes(Path.Combine(temp["part"], AgentTraining.ModelFile)));
        Assert.Equal(File.ReadAllLines(Path.Combine(temp["full"], AgentTraining.CsvFile)).Select(l => string.Join(',', l.Split(',')[..14].Concat(l.Split(',')[16..]))),
                     File.ReadAllLines(Path.Combine(temp["part"], AgentTraining.CsvFile)).Select(l => string.Join(',', l.Split(',')[..14].Concat(l.Split(',')[16..]))));
    }

    [Fact]
    public void A_timed_tree_world_logs_like_any_game()
    {
        Assert.False(EnvSpec.Parse("tree;timeout=100").Config.IsContinual);
        Assert.Equal(UpdateStats.CsvHeader, UpdateStats.HeaderFor(EnvSpec.Parse("tree;timeout=100")));
        Assert.True(EnvSpec.Parse("tree").ConfigAs<TreeConfig>().IsContinual);
    }
}
