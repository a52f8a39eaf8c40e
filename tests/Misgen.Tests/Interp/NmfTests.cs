using Misgen.Envs;
using Misgen.Interp;
using Misgen.Nn;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Interp;

public sealed class NmfTests
{
    [Fact]
    public void The_reconstruction_error_never_increases_and_a_low_rank_matrix_is_recovered()
    {
        // X = W0 H0 with k = 3, plus nothing: an exact non-negative factorisation exists.
        const int rows = 120, cols = 10, k = 3;
        var rng = new Rng(1);
        var w0 = Enumerable.Range(0, rows * k).Select(_ => rng.NextDouble()).ToArray();
        var h0 = Enumerable.Range(0, k * cols).Select(_ => rng.NextDouble() < 0.5 ? 0 : rng.NextDouble()).ToArray();
        var x = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                for (int a = 0; a < k; a++) x[r * cols + c] += (float)(w0[r * k + a] * h0[a * cols + c]);
        var result = Nmf.Factorize(x, rows, cols, k, iterations: 400);
        for (int i = 1; i < result.Errors.Count; i++) Assert.True(result.Errors[i] <= result.Errors[i - 1] + 1e-9, $"iteration {i}: {result.Errors[i - 1]} -> {result.Errors[i]}");
        Assert.True(result.Errors[^1] < 0.5 * result.Errors[0]);
        Assert.True(result.RelativeError < 0.05, $"relative error {result.RelativeError}");
        // The reported error is the error of the returned factors, computed here directly.
        double residual = 0, norm = 0;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double wh = 0;
                for (int a = 0; a < k; a++) wh += result.W[r * k + a] * result.H[a * cols + c];
                residual += (x[r * cols + c] - wh) * (x[r * cols + c] - wh);
                norm += x[r * cols + c] * x[r * cols + c];
            }
        Assert.Equal(Math.Sqrt(residual / norm), result.RelativeError, 4);
        Assert.All(result.W, v => Assert.True(v >= 0));
        Assert.All(result.H, v => Assert.True(v >= 0));
    }

    [Fact]
    public void Features_of_a_signed_layer_stack_positive_and_negative_parts_and_draw_a_row_per_observation()
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(32, 4, 8, 8, Hidden: 16), 2);
        var spec = EnvSpec.Parse("maze:yellow-line@textured;size=7");
        var rows = Enumerable.Range(0, 6).Select(s => new DumpRow(new LevelSource(spec, s))).ToList();
        var obs = ActivationDump.Observations(rows, 32);
        var features = NmfFeatures.Fit(model, obs, rows.Count, "embedder.block3.res1.resadd", k: 3, iterations: 50);
        Assert.True(features.Signed);
        Assert.Equal(2 * 6 * 4 * 4, features.Result.Rows);
        Assert.True(features.Result.Errors[^1] < features.Result.Errors[0]);
        var (rgb, width, height) = features.Picture([0, 1], obs, o => o, 32, 2);
        Assert.Equal(rgb.Length, width * height * 3);
        Assert.Equal((4 * 64 + 3 * 4, 2 * 64 + 4), (width, height));
        var relu = NmfFeatures.Fit(model, obs, rows.Count, "embedder.relu3", k: 2, iterations: 20);
        Assert.False(relu.Signed);
        Assert.Throws<MisgenInputException>(() => NmfFeatures.Fit(model, obs, rows.Count, "embedder.relu3", k: 9));
    }
}
