using Misgen.Envs;
using Misgen.Interp;
using Misgen.Nn;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Interp;

/// <summary>
/// Attribution of a patched network: the gradient must be the patched network's, checked against central finite
/// differences of the independent double-precision reference with the same patches written out here (not the edits'
/// own code), for the value and for an action group's log-probability.
/// </summary>
public sealed class PatchedAttributionTests
{
    // Input 16, widths 3/17/5, 15 actions, 12 hidden: block1 conv 16x16, block2 conv 8x8, block3 conv 4x4, relu3 5x2x2.
    private static readonly ImpalaConfig Small = new(16, 3, 17, 5, 15, 12);

    private static readonly int[] Right = [6, 7, 8];

    /// <summary>A patch as the library's edit and as an edit of the reference's CHW doubles (name, value) -> value.</summary>
    private sealed record Case(ActivationEdit Edit, Func<string, double[], double[]> Reference);

    private static Case Zero(string layer, int[] channels, int area) =>
        new(new ZeroChannels(layer, channels), (name, v) =>
        {
            if (name != layer) return v;
            var r = (double[])v.Clone();
            foreach (int c in channels)
                for (int i = 0; i < area; i++) r[c * area + i] = 0;
            return r;
        });

    private static Case Scale(string layer, int[] channels, float factor, int area) =>
        new(new ScaleChannels(layer, channels, factor), (name, v) =>
        {
            if (name != layer) return v;
            var r = (double[])v.Clone();
            foreach (int c in channels)
                for (int i = 0; i < area; i++) r[c * area + i] *= factor;
            return r;
        });

    private static Case Set(string layer, int channel, int y, int x, float value, int width) =>
        new(new SetActivation(layer, channel, y, x, value), (name, v) =>
        {
            if (name != layer) return v;
            var r = (double[])v.Clone();
            r[(channel * width + y) * width + x] = value;
            return r;
        });

    private static Case Add(string layer, int count, float coefficient, ulong seed)
    {
        var rng = new Rng(seed);
        var vector = new float[count];
        for (int i = 0; i < count; i++) vector[i] = (float)rng.NextGaussian();
        return new(new AddActivation(layer, vector, coefficient), (name, v) =>
            name != layer ? v : v.Select((a, i) => a + (double)coefficient * vector[i]).ToArray());
    }

    /// <summary>Patches at every kind of hook point the backward pass treats differently.</summary>
    private static Case[] Patches(string which) => which switch
    {
        "zero block1.conv" => [Zero("embedder.block1.conv", [0, 2], 256)],
        // conv2 edited: the skip path must keep the unscaled gradient, only the conv2 path is scaled.
        "scale block1.res1.conv2" => [Scale("embedder.block1.res1.conv2", [1, 2], -1.5f, 64)],
        "set block2.maxpool" => [Set("embedder.block2.maxpool", 3, 1, 2, 0.7f, 4)],
        "add block2.res1.resadd" => [Add("embedder.block2.res1.resadd", 17 * 16, 1.5f, 21)],
        "scale block3.res2.relu1" => [Scale("embedder.block3.res2.relu1", [0, 4], 2.5f, 4)],
        "zero relu3" => [Zero("embedder.relu3", [1, 3], 4)],
        "heads" =>
        [
            Zero("embedder.fc", [0, 5, 7], 1), Scale("embedder.relufc", [2, 3], -0.5f, 1),
            Scale("fc_policy", [6, 0], 3f, 1), Scale("fc_value", [0], -2f, 1),
        ],
        // Several at one point compose in list order, and patches at several layers at once.
        "all at once" =>
        [
            Add("embedder.block1.maxpool", 3 * 64, -1f, 5), Scale("embedder.block1.maxpool", [1], 0.5f, 64),
            Set("embedder.block1.maxpool", 1, 2, 2, -0.3f, 8), Zero("embedder.block2.res2.relu2", [4, 9, 16], 16),
            Scale("embedder.block2.res2.conv1", [0, 1, 2, 3], 1.7f, 16), Add("embedder.block3.conv", 5 * 16, 0.8f, 6),
            Scale("embedder.relufc", [1], 4f, 1),
        ],
        _ => throw new ArgumentException(which),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string patch in new[] { "zero block1.conv", "scale block1.res1.conv2", "set block2.maxpool", "add block2.res1.resadd",
                                         "scale block3.res2.relu1", "zero relu3", "heads", "all at once" })
            foreach (string target in new[] { "value", "right" }) data.Add(patch, target);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_patched_gradient_matches_finite_differences_of_the_patched_reference(string patch, string targetName)
    {
        var model = ImpalaCnnTests.RandomModel(Small, 2);
        var obs = ImpalaCnnTests.RandomObservations(1, 16, 3);
        var cases = Patches(patch);
        var target = AttributionTarget.Parse(targetName, ActionSet.Procgen.Groups);
        var gradient = new Attribution(model, cases.Select(c => c.Edit).ToList()).Gradient(obs, target);

        var reference = new ReferenceImpala(model);
        double[] Edit(string name, double[] v) => cases.Aggregate(v, (acc, c) => c.Reference(name, acc));
        double Target(double[] input)
        {
            var run = reference.RunInput(input, Edit);
            if (targetName == "value") return run["values"][0];
            var logits = run["logits"];
            double max = logits.Max(), all = logits.Sum(l => Math.Exp(l - max));
            return Math.Log(Right.Sum(a => Math.Exp(logits[a] - max)) / all);
        }
        var chw = new double[3 * 256];
        for (int i = 0; i < 256; i++)
            for (int c = 0; c < 3; c++) chw[c * 256 + i] = obs[i * 3 + c] / 255f;
        double unpatched = targetName == "value" ? reference.RunInput(chw)["values"][0] : double.NaN;
        Assert.Equal(Target(chw), gradient.Output, 1e-4);
        if (targetName == "value") Assert.True(Math.Abs(unpatched - Target(chw)) > 1e-3, $"the patch '{patch}' does not change the value; the test would show nothing");

        // The unpatched gradient, to show the patch matters where the derivatives are sampled (else nothing is tested).
        var plain = new Attribution(model).Gradient(obs, target);
        var rng = new Rng(5);
        var samples = new List<(int Pixel, int Channel, double Numeric, float Analytic, float Plain)>();
        for (int k = 0; k < 30; k++)
        {
            int pixel = rng.NextInt(256), c = rng.NextInt(3);
            int at = c * 256 + pixel;
            samples.Add((pixel, c, FiniteDifference.Central(chw, at, 1e-5, Target), gradient.Values[pixel * 3 + c], plain.Values[pixel * 3 + c]));
        }
        // Tolerance: 1% of the derivative plus 0.1% of the largest sampled one (float32 sums against double), so small
        // derivatives are compared too, not waved through by an absolute floor.
        double largest = samples.Max(s => Math.Abs(s.Numeric));
        Assert.True(largest > 1e-4, $"{patch}, {targetName}: every sampled derivative is below 1e-4; the comparison shows nothing");
        double Tolerance(double numeric) => 1e-2 * Math.Abs(numeric) + 1e-3 * largest;
        foreach (var (pixel, c, numeric, analytic, _) in samples)
            Assert.True(Math.Abs(numeric - analytic) <= Tolerance(numeric), $"{patch}, {targetName}, pixel {pixel} channel {c}: numeric {numeric} analytic {analytic}");
        Assert.True(samples.Any(s => Math.Abs(s.Numeric - s.Plain) > 10 * Tolerance(s.Numeric)),
            $"{patch}, {targetName}: the unpatched gradient matches the patched one at every sample; the test would pass without the patches");
    }

    [Fact]
    public void A_zeroed_channel_changes_the_attribution_and_zeroing_every_channel_leaves_none()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 2);
        var obs = ImpalaCnnTests.RandomObservations(1, 16, 3);
        var plain = new Attribution(model).Gradient(obs, AttributionTarget.Value);
        var one = new Attribution(model, [new ZeroChannels("embedder.block2.res1.resadd", [4])]).Gradient(obs, AttributionTarget.Value);
        double difference = plain.Values.Zip(one.Values, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(difference > 1e-3 * plain.Values.Max(Math.Abs), $"zeroing channel 4 changed the gradient by at most {difference}");
        Assert.NotEqual(plain.Output, one.Output);

        // With all of relu3 zero the value is a constant: its gradient is exactly zero, and so are integrated gradients.
        var all = new Attribution(model, [new ZeroChannels("embedder.relu3", [0, 1, 2, 3, 4])]);
        Assert.All(all.Gradient(obs, AttributionTarget.Value).Values, v => Assert.Equal(0f, v));
        var ig = all.IntegratedGradients(obs, AttributionTarget.Value, steps: 8);
        Assert.All(ig.Values, v => Assert.Equal(0f, v));
        Assert.Equal(ig.Output, ig.BaselineOutput);
        Assert.Contains(plain.Values, v => v != 0f);
    }

    [Fact]
    public void The_patched_attributions_output_is_the_patched_policys_and_integrated_gradients_stay_complete()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 4);
        var obs = ImpalaCnnTests.RandomObservations(1, 16, 5);
        var edits = Patches("all at once").Select(c => c.Edit).ToList();
        var policy = new PatchedPolicy(model, edits);
        policy.MaxBatch = 1;
        var logits = new float[15];
        var value = new float[1];
        policy.Forward(obs, 1, logits, value);
        var attribution = new Attribution(policy);
        Assert.Equal(value[0], attribution.Gradient(obs, AttributionTarget.Value).Output, 1e-5);
        // Completeness against the patched network's own F(x) - F(0) (the patched black observation).
        var ig = attribution.IntegratedGradients(obs, AttributionTarget.Value, steps: 1024);
        policy.Forward(new byte[16 * 16 * 3], 1, logits, value);
        Assert.Equal(value[0], ig.BaselineOutput, 1e-5);
        double gap = ig.Output - ig.BaselineOutput;
        Assert.True(Math.Abs(ig.Total - gap) < 0.01 * Math.Abs(gap) + 1e-3, $"sum {ig.Total} vs F(x) - F(0) {gap}");
    }

    [Fact]
    public void An_edit_without_a_backward_pass_is_refused_with_its_name()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 2);
        var error = Assert.Throws<MisgenInputException>(() => new Attribution(model, [new Opaque("embedder.fc")]));
        Assert.Contains("Opaque at embedder.fc", error.Message);
    }

    private sealed class Opaque(string layer) : ActivationEdit(layer)
    {
        public override void Apply(ActivationView activation, int sample) => activation[0, 0, 0] = MathF.Tanh(activation[0, 0, 0]);
    }
}
