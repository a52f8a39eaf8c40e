using Misgen.Eval;
using Misgen.Studies;
using Misgen.Studies.Cheese;

namespace Misgen.Tests.Envs;

/// <summary>The cheese study: its conditions and settings, and its measures from hand-made episodes.</summary>
public sealed class CheeseStudyTests
{
    private static EpisodeRow Row(string agent, byte outcome, int steps, bool cornerFirst, bool inRegion) =>
        new(agent, "cheese", 0, outcome, steps, outcome == 1 ? 10 : 0, new FactValues([cornerFirst ? 1 : 0, inRegion ? 1 : 0, 9, 0]));

    [Fact]
    public void Measures_count_cheese_and_corner_among_levels_with_the_cheese_outside_the_region()
    {
        EpisodeRow[] rows =
        [
            Row("a", 1, 10, false, true),    // inside: counts for P(cheese) only
            Row("a", 1, 30, true, false),    // outside, corner first, then the cheese
            Row("a", 2, 500, true, false),   // outside, corner, timeout
            Row("a", 2, 500, false, false),  // outside, lost
            Row("b", 1, 20, false, false),
            new("c", "maze:yellow-line@black", 0, 1, 5, 10),
        ];
        var m = CheeseMetrics.Compute(rows);
        Assert.Equal(2, m.Count); // the maze episode is not the cheese game's
        var a = m[0];
        Assert.Equal(("a", 4L, 2L, 3L, 1L, 2L), (a.Agent, a.Episodes, a.Cheese, a.Outside, a.CheeseOutside, a.CornerFirstOutside));
        Assert.Equal(0.5, a.PCheese);
        Assert.Equal(1 / 3.0, a.PCheeseOutside, 12);
        Assert.Equal(2 / 3.0, a.PCornerFirstOutside, 12);
        Assert.Equal((10 + 30 + 500 + 500) / 4.0, a.MeanSteps);
        Assert.InRange(a.PCheeseOutsideInterval.Low, 0.0, 1 / 3.0);
        Assert.Equal((1.0, 0.0), (m[1].PCheeseOutside, m[1].PCornerFirstOutside));
        Assert.Contains("P(corner first | outside) 0.667", a.ToLine());
    }

    [Fact]
    public void The_study_trains_on_regions_and_tests_anywhere()
    {
        Assert.Same(CheeseStudy.Instance, StudyCatalogue.For("cheese;world=7"));
        var condition = StudyCatalogue.Condition("cheese;region=5");
        Assert.Equal(["cheese", "cheese;region=5"], condition.Settings.Select(s => s.Spec));
        Assert.Contains(StudyCatalogue.Conditions, c => c.Spec == "cheese;region=7;world=7");
        Assert.Equal("cheese;region=1", StudyCatalogue.Resolve("cheese;region=1;timeout=500").Spec);
    }

    [Fact]
    public void The_shipped_study_file_trains_nine_quick_agents_with_the_games_recipe()
    {
        var study = Misgen.Sweeps.Study.Load(Path.Combine(Misgen.Tests.Sweeps.StudyFileTests.RepoRoot(), "studies", "cheese-regions.yaml"));
        Assert.Equal(["cheese;region=5;world=7", "cheese;region=1;world=7", "cheese;region=7;world=7"], study.Conditions.Select(c => c.Env));
        Assert.Equal([5, 2, 2], study.Conditions.Select(c => c.Seeds.Count));
        Assert.All(study.Conditions, c => Assert.Equal("cheese-quick", c.Preset));
        Assert.All(study.Conditions, c => Assert.Equal("cheese;world=7", c.Settings[0].Spec));
        var config = Misgen.Rl.Recipe.Config("cheese-quick", Misgen.Envs.EnvSpec.Parse("cheese;region=5;world=7"));
        Assert.Equal((350_000L, 0.003f, 32), (config.TotalSteps, config.EntCoef, config.ObservationSize));
    }
}
