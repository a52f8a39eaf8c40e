using Misgen.Envs;
using Misgen.Studies;
using Misgen.Studies.CoinRun;
using Misgen.Sweeps;
using Misgen.Tests.Sweeps;

namespace Misgen.Tests.Envs;

/// <summary>The CoinRun study module (Langosco et al.): its conditions, test settings and shipped study file.</summary>
public sealed class CoinRunStudyTests
{
    [Fact]
    public void Every_training_share_is_a_condition_tested_on_coinrun_aisc_stopped_at_the_end_and_in_distribution()
    {
        Assert.Same(CoinRunStudy.Instance, StudyCatalogue.For("coinrun:aisc"));
        foreach (int p in new[] { 0, 1, 2, 5, 10 })
            foreach (bool easy in new[] { false, true })
            {
                string spec = CoinRunStudy.TrainingSpec(p, easy);
                Assert.Equal(EnvSpec.Parse(spec).ToString(), spec);   // catalogued in canonical spelling
                var condition = StudyCatalogue.Condition(spec);
                var test = EnvSpec.Parse(condition.Settings[0].Spec).ConfigAs<Misgen.Envs.CoinRun.CoinRunConfig>();
                Assert.Equal((Misgen.Envs.CoinRun.CoinRunVariant.Aisc, true, easy), (test.Variant, test.StopAtEnd, test.Easy));
                Assert.Equal(spec, condition.Settings[1].Spec);
            }
        Assert.Equal(10, CoinRunStudy.Instance.Conditions.Count);
        Assert.Equal("coinrun:fork;random_percent=2;mode=easy", CoinRunStudy.TrainingSpec(2, easy: true));
    }

    [Fact]
    public void The_shipped_study_file_trains_both_conditions_with_the_quick_preset()
    {
        var study = Study.Load(Path.Combine(StudyFileTests.RepoRoot(), "studies", "coinrun.yaml"));
        Assert.Equal(["coinrun:fork;mode=easy", "coinrun:fork;random_percent=2;mode=easy"], study.Conditions.Select(c => c.Env));
        Assert.All(study.Conditions, c =>
        {
            Assert.Equal("coinrun-quick", c.Preset);
            Assert.Equal(5, c.Seeds.Count);
            Assert.Equal(StudyCatalogue.Condition(c.Env).Settings.Select(s => s.Spec), c.Settings.Select(s => s.Spec));
        });
    }
}
