using Misgen.Nn;

namespace Misgen.Tests.Nn;

public sealed class ImpalaCnnTests
{
    internal static byte[] RandomObservations(int batch, int size, ulong seed, int channels = 3)
    {
        var rng = new Rng(seed);
        var obs = new byte[batch * size * size * channels];
        for (int i = 0; i < obs.Length; i++) obs[i] = (byte)rng.NextInt(256);
        return obs;
    }

    /// <summary>A model whose biases are non-zero too, so their gradients and the residual paths are exercised.</summary>
    internal static ImpalaCnn RandomModel(ImpalaConfig config, ulong seed)
    {
        var model = new ImpalaCnn(config, seed);
        var rng = new Rng(seed + 1000);
        foreach (var p in model.Parameters)
        {
            var v = p.Value;
            if (p.Shape.Length == 1) for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
            if (p.Name.StartsWith("fc_")) for (int i = 0; i < v.Length; i++) v[i] *= 50; // heads start tiny; make them matter
        }
        return model;
    }

    [Fact]
    public void Default_model_has_the_original_parameter_count_and_names()
    {
        var model = new ImpalaCnn(new ImpalaConfig(), 1);
        Assert.Equal(626_256, model.ParameterCount);
        Assert.Equal("embedder.block1.conv.weight", model.Parameters[0].Name);
        Assert.Equal([16, 3, 3, 3], model.Parameters[0].Shape);
        Assert.Contains(model.Parameters, p => p.Name == "embedder.block2.res1.conv2.bias");
        Assert.Equal([256, 2048], model.Parameters.Single(p => p.Name == "embedder.fc.weight").Shape);
        Assert.Equal("fc_value.bias", model.Parameters[^1].Name);
    }

    [Fact]
    public void Initialisation_follows_the_original_distributions()
    {
        var model = new ImpalaCnn(new ImpalaConfig(), 7);
        foreach (var p in model.Parameters.Where(p => p.Shape.Length == 1)) Assert.All(p.Value.ToArray(), v => Assert.Equal(0f, v));
        var conv = model.Parameters.Single(p => p.Name == "embedder.block2.res1.conv1.weight");
        double bound = Math.Sqrt(6.0 / (32 * 9 + 32 * 9));
        Assert.All(conv.Value.ToArray(), v => Assert.InRange(v, -bound, bound));
        Assert.True(conv.Value.ToArray().Max() > 0.9 * bound);
        // Orthogonal heads: rows orthonormal times the gain.
        var policy = model.Parameters.Single(p => p.Name == "fc_policy.weight").Value.ToArray();
        for (int a = 0; a < 15; a++)
            for (int b = 0; b < 15; b++)
            {
                double dot = 0;
                for (int j = 0; j < 256; j++) dot += (double)policy[a * 256 + j] * policy[b * 256 + j];
                Assert.Equal(a == b ? 1e-4 : 0, dot, 1e-8);
            }
        var value = model.Parameters.Single(p => p.Name == "fc_value.weight").Value.ToArray();
        Assert.Equal(1.0, value.Sum(v => (double)v * v), 1e-5);
        // Same seed, same weights; another seed, other weights.
        var again = new ImpalaCnn(new ImpalaConfig(), 7);
        var other = new ImpalaCnn(new ImpalaConfig(), 8);
        Assert.True(model.Parameters[4].Value.SequenceEqual(again.Parameters[4].Value));
        Assert.False(model.Parameters[4].Value.SequenceEqual(other.Parameters[4].Value));
    }

    public static TheoryData<int, int, int, int, int, int> Shapes => new()
    {
        { 12, 3, 5, 4, 7, 3 },     // widths not multiples of 16, odd sizes after pooling
        { 16, 16, 32, 32, 32, 3 },
        { 11, 1, 17, 33, 5, 3 },   // a single channel, widths just past a vector
        { 48, 16, 32, 32, 256, 3 },
        { 12, 8, 16, 16, 32, 2 },  // a gridworld's one-hot planes: 12x12x2
        { 14, 4, 8, 8, 16, 6 },    // 14x14x6
        { 9, 5, 3, 2, 6, 1 },      // one input plane
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_matches_the_double_precision_reference(int size, int w1, int w2, int w3, int hidden, int channels)
    {
        var config = new ImpalaConfig(size, w1, w2, w3, 15, hidden, channels);
        var model = RandomModel(config, 3);
        int batch = 5;
        var obs = RandomObservations(batch, size, 11, channels);
        var logits = new float[batch * 15];
        var values = new float[batch];
        model.Forward(obs, batch, logits, values);
        var trainLogits = new float[batch * 15];
        var trainValues = new float[batch];
        model.ForwardTrain(obs, batch, trainLogits, trainValues);
        Assert.Equal(logits, trainLogits);
        Assert.Equal(values, trainValues);
        var reference = new ReferenceImpala(model);
        for (int n = 0; n < batch; n++)
        {
            var expected = reference.Run(obs.AsSpan(n * size * size * channels, size * size * channels));
            for (int a = 0; a < 15; a++) Assert.Equal(expected["logits"][a], logits[n * 15 + a], 1e-4);
            Assert.Equal(expected["values"][0], values[n], 1e-4);
        }
    }

    [Theory]
    [InlineData(9, 3, 5, 4, 7, 3)]
    [InlineData(8, 16, 17, 32, 16, 3)]
    [InlineData(12, 2, 3, 5, 9, 3)]
    [InlineData(12, 4, 5, 3, 8, 2)]
    [InlineData(7, 3, 4, 5, 6, 5)]
    public void Backward_matches_finite_differences_of_the_reference(int size, int w1, int w2, int w3, int hidden, int channels)
    {
        var config = new ImpalaConfig(size, w1, w2, w3, 15, hidden, channels);
        var model = RandomModel(config, 5);
        int batch = 3;
        var obs = RandomObservations(batch, size, 13, channels);
        var rng = new Rng(99);
        var dLogits = new float[batch * 15];
        var dValues = new float[batch];
        for (int i = 0; i < dLogits.Length; i++) dLogits[i] = (float)(rng.NextDouble() - 0.5);
        for (int i = 0; i < dValues.Length; i++) dValues[i] = (float)(rng.NextDouble() - 0.5);
        model.ZeroGrad();
        model.ForwardTrain(obs, batch, new float[batch * 15], new float[batch]);
        model.Backward(dLogits, dValues);

        // Loss = sum dLogits . logits + dValues . values, in double through the reference.
        double Loss(ReferenceImpala reference)
        {
            double loss = 0;
            for (int n = 0; n < batch; n++)
            {
                var r = reference.Run(obs.AsSpan(n * size * size * channels, size * size * channels));
                for (int a = 0; a < 15; a++) loss += dLogits[n * 15 + a] * r["logits"][a];
                loss += dValues[n] * r["values"][0];
            }
            return loss;
        }
        var reference = new ReferenceImpala(model);
        var pick = new Rng(7);
        int checkedCount = 0;
        foreach (var p in model.Parameters)
        {
            var values = reference[p.Name];
            var grad = p.Grad.ToArray();
            double scale = Math.Max(1e-3, grad.Max(Math.Abs));
            for (int trial = 0; trial < 6; trial++)
            {
                int i = pick.NextInt(values.Length);
                double saved = values[i];
                const double h = 1e-5;
                values[i] = saved + h; double plus = Loss(reference);
                values[i] = saved - h; double minus = Loss(reference);
                values[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - grad[i]) <= 2e-3 * scale + 1e-3 * Math.Abs(numeric),
                    $"{p.Name}[{i}]: backward {grad[i]}, finite difference {numeric}");
                checkedCount++;
            }
        }
        Assert.True(checkedCount > 100);
    }

    [Fact]
    public void Batches_larger_than_MaxBatch_grow_the_workspaces_and_stay_correct()
    {
        var config = new ImpalaConfig(8, 2, 3, 4, 15, 8);
        var model = RandomModel(config, 8);
        model.MaxBatch = 2;
        var obs = RandomObservations(40, 8, 9);
        var small = (new float[15], new float[1]);
        model.Forward(obs, 1, small.Item1, small.Item2);
        var logits = new float[40 * 15];
        var values = new float[40];
        model.ForwardTrain(obs, 40, logits, values);
        Assert.Equal(40, model.MaxBatch);
        var reference = new ReferenceImpala(model);
        for (int n = 0; n < 40; n += 13)
        {
            var expected = reference.Run(obs.AsSpan(n * 192, 192));
            Assert.Equal(expected["values"][0], values[n], 1e-4);
        }
        Assert.Equal(values[0], small.Item2[0]);
    }

    [Fact]
    public void Backward_accumulates_and_ZeroGrad_clears()
    {
        var model = RandomModel(new ImpalaConfig(8, 4, 4, 4, 8), 2);
        var obs = RandomObservations(2, 8, 1);
        var dl = Enumerable.Range(0, 30).Select(i => (float)Math.Sin(i)).ToArray();
        var dv = new[] { 0.5f, -1f };
        model.ForwardTrain(obs, 2, new float[30], new float[2]);
        model.Backward(dl, dv);
        var once = model.Parameters[0].Grad.ToArray();
        model.Backward(dl, dv);
        var twice = model.Parameters[0].Grad.ToArray();
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 1e-5);
        model.ZeroGrad();
        Assert.All(model.Parameters[0].Grad.ToArray(), g => Assert.Equal(0f, g));
    }
}
