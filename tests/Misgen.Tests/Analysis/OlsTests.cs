using Misgen.Analysis;

namespace Misgen.Tests.Analysis;

public sealed class OlsTests
{
    [Fact]
    public void Matches_a_hand_computed_fit()
    {
        // x = 1..4, y = 2,3,5,6: means 2.5, 4; Sxx = 5, Sxy = 7, Syy = 10.
        // slope = 7/5 = 1.4, intercept = 4 - 1.4 * 2.5 = 0.5, R^2 = 7^2 / (5 * 10) = 0.98.
        var fit = Ols.Fit([1, 2, 3, 4], [2, 3, 5, 6]);
        Assert.Equal(1.4, fit.Slope, 12);
        Assert.Equal(0.5, fit.Intercept, 12);
        Assert.Equal(0.98, fit.RSquared, 12);
        Assert.Equal(4, fit.Count);
    }

    [Fact]
    public void R_squared_equals_one_minus_residual_over_total()
    {
        var rng = new Rng(3);
        double[] x = Enumerable.Range(0, 50).Select(_ => rng.NextDouble()).ToArray();
        double[] y = x.Select(v => 0.3 - 0.7 * v + 0.1 * rng.NextGaussian()).ToArray();
        var fit = Ols.Fit(x, y);
        double mean = y.Average();
        double ssRes = x.Zip(y).Sum(p => Math.Pow(p.Second - fit.Predict(p.First), 2));
        double ssTot = y.Sum(v => (v - mean) * (v - mean));
        Assert.Equal(1 - ssRes / ssTot, fit.RSquared, 10);
        Assert.InRange(fit.Slope, -0.85, -0.55);
    }

    [Fact]
    public void Pairs_with_a_missing_value_are_left_out()
    {
        var fit = Ols.Fit([1, 2, double.NaN, 3, 4], [2, 3, 100, 5, 6]);
        Assert.Equal(1.4, fit.Slope, 12);
        Assert.Equal(4, fit.Count);
        Assert.True(double.IsNaN(Ols.Fit([1, 1], [2, 3]).Slope));
    }
}
