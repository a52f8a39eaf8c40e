using Misgen.Envs;
using Misgen.Interp;
using Misgen.Nn;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Interp;

public sealed class AttributionTests
{
    private static readonly ImpalaConfig Small = new(16, 3, 17, 5, 15, 12);

    [Fact]
    public void The_log_probability_gradient_matches_finite_differences_of_the_reference_network()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 2);
        var obs = ImpalaCnnTests.RandomObservations(1, 16, 3);
        var target = AttributionTarget.Parse("right", ActionSet.Procgen.Groups);
        var gradient = new Attribution(model).Gradient(obs, target);
        var reference = new ReferenceImpala(model);
        var chw = new double[3 * 16 * 16];
        for (int i = 0; i < 16 * 16; i++)
            for (int c = 0; c < 3; c++) chw[c * 256 + i] = obs[i * 3 + c] / 255f;
        double LogRight(double[] input)
        {
            var logits = reference.RunInput(input)["logits"];
            double max = logits.Max(), all = logits.Sum(l => Math.Exp(l - max));
            double right = new[] { 6, 7, 8 }.Sum(a => Math.Exp(logits[a] - max));
            return Math.Log(right / all);
        }
        Assert.Equal(LogRight(chw), gradient.Output, 1e-4);
        var rng = new Rng(5);
        for (int k = 0; k < 20; k++)
        {
            int pixel = rng.NextInt(256), c = rng.NextInt(3);
            int at = c * 256 + pixel;
            double numeric = FiniteDifference.Central(chw, at, 1e-5, LogRight);
            Assert.True(Math.Abs(numeric - gradient.Values[pixel * 3 + c]) <= 2e-3 * Math.Max(1, Math.Abs(numeric)), $"{pixel},{c}: {numeric} vs {gradient.Values[pixel * 3 + c]}");
        }
    }

    [Fact]
    public void Integrated_gradients_sum_to_the_output_minus_the_black_baseline()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 4);
        var obs = ImpalaCnnTests.RandomObservations(1, 16, 5);
        var attribution = new Attribution(model);
        // A random network with large heads is kinky along the path, so the Riemann sum needs many steps.
        var ig = attribution.IntegratedGradients(obs, AttributionTarget.Value, steps: 1024);
        var logits = new float[15];
        var value = new float[1];
        model.Forward(obs, 1, logits, value);
        Assert.Equal(value[0], ig.Output, 1e-5);
        model.Forward(new byte[16 * 16 * 3], 1, logits, value);
        Assert.Equal(value[0], ig.BaselineOutput, 1e-5);
        double gap = ig.Output - ig.BaselineOutput;
        Assert.True(Math.Abs(ig.Total - gap) < 0.01 * Math.Abs(gap) + 1e-3, $"sum {ig.Total} vs F(x) - F(0) {gap}");
        // Fewer steps: the same attribution up to a larger discretisation error; the heatmap is the per-pixel sum.
        var coarse = attribution.IntegratedGradients(obs, AttributionTarget.Value, steps: 32);
        Assert.True(Math.Abs(coarse.Total - gap) < 0.25 * Math.Abs(gap) + 1e-2, $"32 steps: sum {coarse.Total} vs {gap}");
        Assert.True(Math.Abs(coarse.Total - gap) > Math.Abs(ig.Total - gap));
        var map = coarse.PixelSums();
        Assert.Equal(coarse.Values[0] + coarse.Values[1] + coarse.Values[2], map[0], 1e-6);
    }

    [Fact]
    public void Targets_are_value_or_an_action_group()
    {
        var groups = ActionSet.Procgen.Groups;
        Assert.Same(AttributionTarget.Value, AttributionTarget.Parse("Value", groups));
        Assert.Equal([6, 7, 8], AttributionTarget.Parse("right", groups).Actions!);
        Assert.Contains("value, left, down, up, right, noop", Assert.Throws<MisgenInputException>(() => AttributionTarget.Parse("jump", groups)).Message);
    }
}
