using Misgen.Envs;
using Misgen.Rl;
using Misgen.Sweeps;

namespace Misgen.Tests.Sweeps;

/// <summary>
/// studies/fidelity.yaml separates the ways `fast` differs from the published recipe: each condition must change
/// exactly the factor it is named for, on seeds the `fast` tables did not use, with the published settings.
/// </summary>
public class FidelityStudyTests
{
    private const string Env = "maze:yellow-line@textured";

    private static Study Load(string file) => Study.Load(Path.Combine(StudyFileTests.RepoRoot(), "studies", file + ".yaml"));

    private static PpoConfig Config(StudyCondition c) => TrainTaskRunner.Manifest(c, c.Seeds[0]).Config;

    private static IReadOnlyList<string> ChangedFromFast(StudyCondition c) =>
        Config(c).Differences(Recipe.Config("fast", EnvSpec.Parse(Env))).Order().ToArray();

    [Fact]
    public void Each_condition_changes_only_its_factor_of_fast()
    {
        var study = Load("fidelity");
        var byName = study.Conditions.ToDictionary(c => c.Name);
        Assert.All(study.Conditions, c => Assert.Equal(Env, c.Env));

        // The published recipe's observation and network (docs/ORIGINS.md: 64x64, IMPALA 16/32/32).
        var paperNet = Config(byName["paper-net"]);
        var paper = Recipe.Config("paper", EnvSpec.Parse(Env));
        Assert.Equal((paper.ObservationSize, paper.Width1, paper.Width2, paper.Width3),
                     (paperNet.ObservationSize, paperNet.Width1, paperNet.Width2, paperNet.Width3));
        Assert.Equal(["observation_size", "total_steps", "width1", "width2", "width3"], ChangedFromFast(byName["paper-net"]));

        Assert.Equal(["total_steps"], ChangedFromFast(byName["fast-3x"]));
        Assert.Equal(3 * Recipe.Config("fast", EnvSpec.Parse(Env)).TotalSteps, Config(byName["fast-3x"]).TotalSteps);

        Assert.Equal(["width1", "width2", "width3"], ChangedFromFast(byName["fast-wide"]));
        Assert.Equal((paper.Width1, paper.Width2, paper.Width3),
                     (Config(byName["fast-wide"]).Width1, Config(byName["fast-wide"]).Width2, Config(byName["fast-wide"]).Width3));

        Assert.Equal(["observation_size"], ChangedFromFast(byName["fast-64px"]));
        Assert.Equal(paper.ObservationSize, Config(byName["fast-64px"]).ObservationSize);
    }

    [Fact]
    public void It_has_the_agents_the_question_needs_on_seeds_the_fast_tables_did_not_use()
    {
        var study = Load("fidelity");
        Assert.True(study.Conditions.Single(c => c.Name == "paper-net").Seeds.Count >= 6);
        Assert.All(study.Conditions, c => Assert.True(c.Seeds.Count >= 3, c.Name));
        var fastSeeds = Load("scale-50").Conditions.SelectMany(c => c.Seeds).ToHashSet();
        Assert.All(study.Conditions.SelectMany(c => c.Seeds), seed => Assert.DoesNotContain(seed, fastSeeds));

        // Red, green and blue line vs yellow gem, as the published study and the fast table evaluate them, plus
        // the training setting (capability), on the same held-out levels as the fast table.
        var fast = Load("scale-50").Conditions.Single(c => c.Env == Env);
        Assert.All(study.Conditions, c =>
        {
            Assert.Equal(fast.EvalLevels, c.EvalLevels);
            Assert.Equal([Env, .. fast.Settings.Select(s => s.Spec)], c.Settings.Select(s => s.Spec));
        });
    }

    [Fact]
    public void The_plan_trains_every_agent_once_and_evaluates_it_on_every_setting()
    {
        var study = Load("fidelity");
        var plan = SweepPlan.Build(study, Path.Combine(Path.GetTempPath(), "misgen-fidelity-plan"), ["misgen"]);
        int agents = study.Conditions.Sum(c => c.Seeds.Count);
        Assert.Equal(agents, plan.Tasks.Count(t => t.Kind == TaskKind.Train));
        Assert.Equal(agents * 4, plan.Tasks.Count(t => t.Kind == TaskKind.Eval));
    }
}
