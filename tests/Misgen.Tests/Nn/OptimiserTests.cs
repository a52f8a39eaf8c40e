using Misgen.Nn;

namespace Misgen.Tests.Nn;

public sealed class OptimiserTests
{
    [Fact]
    public void Adam_matches_the_textbook_update_and_resumes_bit_identically()
    {
        var p = new Parameter("w", [3]);
        float[] start = [1f, -2f, 0.5f];
        start.CopyTo(p.Value);
        var adam = new Adam([p], 0.1f);
        double[] m = new double[3], v = new double[3], w = start.Select(x => (double)x).ToArray();
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < 3; i++) p.Grad[i] = (float)(w[i] * (i + 1));
            double[] g = p.Grad.ToArray().Select(x => (double)x).ToArray();
            adam.Step();
            for (int i = 0; i < 3; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double mh = m[i] / (1 - Math.Pow(0.9, t)), vh = v[i] / (1 - Math.Pow(0.999, t));
                w[i] -= 0.1 * mh / (Math.Sqrt(vh) + 1e-5);
                Assert.Equal(w[i], p.Value[i], 1e-5);
            }
        }
        Assert.Equal(3, adam.StepCount);

        var saved = new MemoryStream();
        adam.Save(saved);
        var copy = new Parameter("w", [3]);
        p.Value.CopyTo(copy.Value);
        var resumed = new Adam([copy], 0.1f);
        saved.Position = 0;
        resumed.Load(saved);
        p.Grad.CopyTo(copy.Grad);
        adam.Step();
        resumed.Step();
        Assert.Equal(p.Value.ToArray(), copy.Value.ToArray());
        Assert.Throws<MisgenInputException>(() => resumed.Load(new MemoryStream([1, 2, 3])));
    }

    [Fact]
    public void Grad_clip_scales_to_the_max_norm_and_reports_the_norm_before()
    {
        var a = new Parameter("a", [2]);
        var b = new Parameter("b", [1]);
        a.Grad[0] = 3; a.Grad[1] = 0; b.Grad[0] = 4;
        Assert.Equal(5f, GradClip.ClipGlobalNorm([a, b], 1f), 1e-6);
        Assert.Equal(0.6f, a.Grad[0], 1e-5);
        Assert.Equal(0.8f, b.Grad[0], 1e-5);
        Assert.Equal(1f, GradClip.ClipGlobalNorm([a, b], 2f), 1e-5);
        Assert.Equal(0.6f, a.Grad[0], 1e-5); // below the max: untouched
    }

    [Fact]
    public void Categorical_log_softmax_entropy_and_sampling()
    {
        float[] logits = [1f, 2f, 3f, 1000f - 1000f];
        var lp = new float[4];
        Categorical.LogSoftmax(logits, lp);
        double z = logits.Sum(l => Math.Exp(l));
        for (int i = 0; i < 4; i++) Assert.Equal(logits[i] - Math.Log(z), lp[i], 1e-5);
        double h = -logits.Sum(l => Math.Exp(l) / z * (l - Math.Log(z)));
        Assert.Equal(h, Categorical.Entropy(lp), 1e-5);
        Categorical.LogSoftmax([1000f, 0f], lp); // no overflow
        Assert.Equal(0f, lp[0], 1e-6);

        var counts = new int[4];
        var rng = new Rng(5);
        for (int i = 0; i < 40_000; i++) counts[Categorical.Sample(logits, rng)]++;
        for (int i = 0; i < 4; i++) Assert.Equal(Math.Exp(logits[i]) / z, counts[i] / 40_000.0, 0.01);
        var r1 = new Rng(9);
        var r2 = new Rng(9);
        for (int i = 0; i < 100; i++) Assert.Equal(Categorical.Sample(logits, r1), Categorical.Sample(logits, r2));
    }

    [Fact]
    public void Action_groups_follow_procgen_moves()
    {
        var logits = Enumerable.Repeat(-100f, 15).ToArray();
        logits[7] = 10; // right
        Assert.Equal(1f, Categorical.GroupProbabilities(logits)[3], 1e-4);
        logits[7] = -100; logits[12] = 10; // 9..14 are no-ops
        Assert.Equal(1f, Categorical.GroupProbabilities(logits)[4], 1e-4);
        var uniform = Categorical.GroupProbabilities(new float[15]);
        Assert.Equal([3 / 15f, 1 / 15f, 1 / 15f, 3 / 15f, 7 / 15f], uniform.Select(x => MathF.Round(x, 5)).ToArray(), (x, y) => Math.Abs(x - y) < 1e-4);
    }
}
