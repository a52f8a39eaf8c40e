using Misgen.Analysis;

namespace Misgen.Tests.Analysis;

public sealed class OutliersTests
{
    private static AgentMatrix Synthetic(int agents, int settings, ulong seed, Action<double[,]> plant)
    {
        var rng = new Rng(seed);
        var features = Enumerable.Range(0, settings)
            .SelectMany(s => new[] { new Feature($"setting-{s}", Feature.Preference), new Feature($"setting-{s}", Feature.Capability) }).ToList();
        var values = new double[agents, features.Count];
        for (int a = 0; a < agents; a++)
        for (int s = 0; s < settings; s++)
        {
            values[a, 2 * s] = Math.Clamp(0.8 + 0.05 * rng.NextGaussian(), 0, 1);
            values[a, 2 * s + 1] = 6 + rng.NextGaussian();
        }
        plant(values);
        return new AgentMatrix(Enumerable.Range(0, agents).Select(a => $"agent-{a}").ToList(), features, values);
    }

    [Fact]
    public void Finds_an_agent_extreme_in_one_setting_and_names_that_setting()
    {
        // Agent 17 prefers obj2 on setting 2 while fully capable: the study's kind of outlier.
        var matrix = Synthetic(40, 5, 11, v => v[17, 4] = 0.1);
        var result = Outliers.Detect(matrix);
        var flagged = result.Where(r => r.Flagged).Select(r => r.Agent).ToList();
        Assert.Contains("agent-17", flagged);
        var outlier = result.Single(r => r.Agent == "agent-17");
        Assert.Equal(new Feature("setting-2", Feature.Preference), outlier.Reasons[0].Feature);
        Assert.Equal(0.1, outlier.Reasons[0].Value);
        Assert.True(outlier.Reasons[0].RobustZ < -3.5);
        Assert.Equal("agent-17", result.MaxBy(r => r.RobustScore)!.Agent);
        Assert.True(flagged.Count <= 3, $"too many false alarms: {string.Join(", ", flagged)}");
    }

    [Fact]
    public void The_isolation_forest_finds_an_agent_unusual_in_every_setting_a_little()
    {
        // Agent 29 is 2 sigma off in every feature: no single feature passes the robust cut-off,
        // but the combination isolates it quickly.
        var matrix = Synthetic(60, 6, 12, v =>
        {
            for (int s = 0; s < 6; s++)
            {
                v[29, 2 * s] = 0.8 - 2 * 0.05;
                v[29, 2 * s + 1] = 6 + 2;
            }
        });
        var result = Outliers.Detect(matrix, new OutlierOptions(Seed: 5));
        var agent = result.Single(r => r.Agent == "agent-29");
        Assert.True(agent.RobustScore < 3.5, $"robust score {agent.RobustScore}");
        Assert.Equal("agent-29", result.MaxBy(r => r.IsolationScore)!.Agent);
        Assert.True(agent.Flagged, $"isolation score {agent.IsolationScore:F3}");
        Assert.NotEmpty(agent.Reasons);
        double typical = Outliers.Median(result.Where(r => r.Agent != "agent-29").Select(r => r.IsolationScore).ToList());
        Assert.InRange(typical, 0.35, 0.55);
    }

    [Fact]
    public void Same_seed_same_scores()
    {
        var matrix = Synthetic(30, 3, 13, _ => { });
        var a = Outliers.Detect(matrix, new OutlierOptions(Seed: 1)).Select(r => r.IsolationScore);
        var b = Outliers.Detect(matrix, new OutlierOptions(Seed: 1)).Select(r => r.IsolationScore);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Robust_z_uses_median_and_scaled_mad()
    {
        // Column 1, 2, 3, 4, 100: median 3, |deviations| 2, 1, 0, 1, 97 -> MAD 1, sigma 1.4826.
        var matrix = new AgentMatrix(["a", "b", "c", "d", "e"], [new Feature("s", Feature.Preference)],
            new double[,] { { 1 }, { 2 }, { 3 }, { 4 }, { 100 } });
        var z = Outliers.RobustZ(matrix, out var medians);
        Assert.Equal(3, medians[0]);
        Assert.Equal(97 / 1.482602218505602, z[4, 0], 9);
        Assert.Equal(-2 / 1.482602218505602, z[0, 0], 9);
    }

    [Fact]
    public void A_few_near_identical_agents_do_not_make_a_small_difference_an_outlier()
    {
        // MAD of 0.50, 0.50, 0.51, 0.45 is 0.005: without a floor 0.45 would have z = -6.7.
        var matrix = new AgentMatrix(["a", "b", "c", "d"], [new Feature("s", Feature.Preference), new Feature("s", Feature.Capability)],
            new double[,] { { 0.50, 10 }, { 0.50, 10.2 }, { 0.51, 9.9 }, { 0.45, 11 } });
        Assert.Equal(-0.05 / (0.005 * 1.482602218505602), Outliers.RobustZ(matrix, out _)[3, 0], 9);
        var result = Outliers.Detect(matrix);
        Assert.DoesNotContain(result, r => r.RobustScore >= 3.5);
        // Median capability 10.1: the floor is 10% of it, 1.01 steps; 11 is 0.9 steps off.
        Assert.Equal(0.9 / 1.01, Outliers.RobustZ(matrix, out _, new OutlierOptions())[3, 1], 9);
    }

    [Fact]
    public void Average_path_matches_the_paper()
    {
        // c(n) = 2 H(n-1) - 2 (n-1) / n with H(i) ~ ln(i) + Euler's constant; c(2) = 1.
        Assert.Equal(1, IsolationForest.AveragePath(2));
        Assert.Equal(2 * (Math.Log(255) + 0.5772156649) - 2.0 * 255 / 256, IsolationForest.AveragePath(256), 8);
    }
}
