using Misgen.Eval;
using Misgen.Rl;

namespace Misgen.Tests.Envs;

/// <summary>The two gridworlds through the CLI: train (smoke), evaluate with their facts, render every view, describe, video.</summary>
public sealed class GridWorldCliTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-gridworlds-");
    private string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("monster", "monster;timeout=40", "apples")]
    [InlineData("tree", "tree;timeout=40", "chops")]
    public void Trains_evaluates_renders_and_describes(string spec, string setting, string firstFact)
    {
        string agent = Path.Combine(dir, spec);
        Assert.Equal(0, VerbRunner.Run("train", spec, "--preset", "smoke", "--seed", "3", "--out", agent, "--threads", "1"));
        Assert.Equal(spec, AgentManifest.Read(agent).Spec);
        Assert.True(File.Exists(Path.Combine(agent, "model.safetensors")));

        string db = Path.Combine(dir, spec + ".db");
        Assert.Equal(0, VerbRunner.Run("eval", agent, "--setting", setting, "--levels", "6", "--out", db, "--threads", "1"));
        using (var store = ResultsStore.OpenRead(db))
        {
            var episodes = store.Episodes().ToList();
            Assert.Equal(6, episodes.Count);
            Assert.All(episodes, e => Assert.Equal(40, e.Steps)); // both end only by their timeout
        }
        Assert.Equal(0, VerbRunner.Run("export", db, "--out", Path.Combine(dir, spec + "-csv")));
        var header = File.ReadLines(Path.Combine(dir, spec + "-csv", "episodes.csv")).First();
        Assert.StartsWith($"agent,setting,level_seed,outcome,steps,return,{firstFact}", header);

        foreach (string view in new[] { "agent", "human", "channels" })
        {
            string png = Path.Combine(dir, $"{spec}-{view}.png");
            Assert.Equal(0, VerbRunner.Run("render", spec, "--level", "1", "--view", view, "--out", png));
            Assert.True(new FileInfo(png).Length > 100);
        }
        Assert.Equal(0, VerbRunner.Run("level", spec, "--level", "2"));
        string gif = Path.Combine(dir, spec + ".gif");
        Assert.Equal(0, VerbRunner.Run("video", agent, setting, "--level", "5", "--frames", "5", "--out", gif));
        Assert.True(new FileInfo(gif).Length > 100);
    }
}

/// <summary>The gridworld study: its module's conditions and the shipped study files agree.</summary>
public sealed class GridWorldStudyTests
{
    [Fact]
    public void Study_files_load_with_the_modules_conditions_and_presets()
    {
        var monster = Misgen.Sweeps.Study.Load(Path.Combine(Sweeps.StudyFileTests.RepoRoot(), "studies", "monster.yaml"));
        Assert.Equal(["monster", "monster;timeout=200"], monster.Conditions.Select(c => c.Env));
        Assert.Equal(["monster-25", "monster-200"], monster.Conditions.Select(c => c.Preset));
        Assert.All(monster.Conditions, c => Assert.Equal(5, c.Seeds.Count));
        Assert.All(monster.Conditions, c => Assert.Equal("monster;timeout=200", Assert.Single(c.Settings).Spec));
        var tree = Misgen.Sweeps.Study.Load(Path.Combine(Sweeps.StudyFileTests.RepoRoot(), "studies", "tree.yaml"));
        Assert.Equal("tree-continual", Assert.Single(tree.Conditions).Preset);
        Assert.Equal("gridworlds", Misgen.Studies.StudyCatalogue.For("monster;timeout=200").Name);
        Assert.Equal("monster", Misgen.Studies.StudyCatalogue.Resolve("monster;timeout=200", "monster").Condition);
        Assert.Equal("tree", Misgen.Studies.StudyCatalogue.Condition("tree").Spec);
    }
}
