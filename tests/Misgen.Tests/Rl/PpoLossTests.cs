using Misgen.Rl;

namespace Misgen.Tests.Rl;

public sealed class PpoLossTests
{
    private const int A = 5;

    private sealed record Case(float[] Logits, float[] Values, int[] Actions, float[] OldLogp, float[] OldValues, float[] Adv, float[] Ret)
    {
        public int Batch => Values.Length;
    }

    // Samples chosen so that some ratios sit far inside, some far outside the clip range with either
    // sign of advantage, and some values are clipped - away from the kinks, where derivatives exist.
    private static Case MakeCase(int seed, PpoConfig config)
    {
        var rng = new Rng((ulong)seed);
        int b = 12;
        float[] logits = new float[b * A];
        for (int k = 0; k < logits.Length; k++) logits[k] = (float)rng.NextGaussian();
        int[] actions = new int[b];
        float[] oldLogp = new float[b], values = new float[b], oldValues = new float[b], adv = new float[b], ret = new float[b];
        for (int i = 0; i < b; i++)
        {
            actions[i] = rng.NextInt(A);
            var row = logits.AsSpan(i * A, A);
            double max = row.ToArray().Max(), sum = row.ToArray().Sum(x => Math.Exp(x - max));
            double logp = row[actions[i]] - max - Math.Log(sum);
            double[] shifts = [0.0, 0.05, -0.05, 0.6, -0.6];   // ratio 1, ~1.05, ~0.95, ~1.8, ~0.55
            oldLogp[i] = (float)(logp - shifts[i % shifts.Length]);
            values[i] = (float)rng.NextGaussian();
            double[] vshift = [0.0, 0.05, 0.7, -0.7];
            oldValues[i] = (float)(values[i] - vshift[i % vshift.Length]);
            adv[i] = (float)rng.NextGaussian() * 2;
            ret[i] = (float)(values[i] + rng.NextGaussian());
        }
        return new Case(logits, values, actions, oldLogp, oldValues, adv, ret);
    }

    private static PpoLossStats Eval(Case c, PpoConfig config, float[]? dLogits = null, float[]? dValues = null) =>
        PpoLoss.Compute(c.Logits, c.Values, c.Batch, A, c.Actions, c.OldLogp, c.OldValues, c.Adv, c.Ret, config,
            dLogits ?? new float[c.Batch * A], dValues ?? new float[c.Batch]);

    [Theory]
    [InlineData(1, true, true)]
    [InlineData(2, true, false)]
    [InlineData(3, false, true)]
    public void Gradient_matches_finite_differences(int seed, bool clipVloss, bool normAdv)
    {
        var config = PpoConfig.Preset("paper");
        config.ClipVloss = clipVloss;
        config.NormAdv = normAdv;
        config.EntCoef = 0.05f; // larger than default so the entropy term is clearly tested
        var c = MakeCase(seed, config);
        float[] dLogits = new float[c.Batch * A], dValues = new float[c.Batch];
        Eval(c, config, dLogits, dValues);

        const float h = 1e-3f;
        double Numeric(float[] x, int k)
        {
            float keep = x[k];
            x[k] = keep + h; double up = Eval(c, config).Loss;
            x[k] = keep - h; double down = Eval(c, config).Loss;
            x[k] = keep;
            return (up - down) / (2 * h);
        }
        for (int k = 0; k < c.Logits.Length; k++)
            Assert.True(Math.Abs(Numeric(c.Logits, k) - dLogits[k]) < 2e-4, $"logit {k}: {Numeric(c.Logits, k)} vs {dLogits[k]}");
        for (int i = 0; i < c.Batch; i++)
            Assert.True(Math.Abs(Numeric(c.Values, i) - dValues[i]) < 2e-4, $"value {i}: {Numeric(c.Values, i)} vs {dValues[i]}");
        if (clipVloss) Assert.Contains(dValues, g => g == 0f); // some value gradients are cut by clipping
    }

    [Fact]
    public void On_policy_sample_has_ratio_one()
    {
        var config = PpoConfig.Preset("paper");
        var c = MakeCase(4, config);
        // Make old log-probs equal to the current ones: ratio 1, no KL, no clipping.
        var fresh = c with { OldLogp = new float[c.Batch] };
        for (int i = 0; i < c.Batch; i++)
        {
            var row = c.Logits.AsSpan(i * A, A).ToArray();
            double max = row.Max(), sum = row.Sum(x => Math.Exp(x - max));
            fresh.OldLogp[i] = (float)(row[c.Actions[i]] - max - Math.Log(sum));
        }
        var s = Eval(fresh, config);
        Assert.Equal(0, s.ApproxKl, 6);
        Assert.Equal(0, s.ClipFraction);
        Assert.Equal(0, s.PolicyLoss, 5); // -mean of normalised advantages
        double entropy = Enumerable.Range(0, c.Batch).Average(i =>
        {
            var row = c.Logits.AsSpan(i * A, A).ToArray();
            double max = row.Max(), z = row.Sum(x => Math.Exp(x - max));
            return -row.Sum(x => Math.Exp(x - max) / z * (x - max - Math.Log(z)));
        });
        Assert.Equal(entropy, s.Entropy, 5);
    }
}
