using Misgen.Eval;

namespace Misgen.Tests.Eval;

public sealed class WilsonTests
{
    // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I (score method).
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Matches_published_score_intervals(int k, int n, double low, double high)
    {
        var (l, h) = Wilson.Interval(k, n);
        Assert.Equal(low, l, 4);
        Assert.Equal(high, h, 4);
    }

    // The interval's ends are the p where the normal test just rejects: (phat - p)^2 = z^2 p (1 - p) / n,
    // i.e. the roots of (1 + z^2/n) p^2 - (2 phat + z^2/n) p + phat^2 = 0.
    [Theory]
    [InlineData(3, 4)]
    [InlineData(810, 1000)]
    [InlineData(500, 1000)]
    [InlineData(7, 7)]
    public void Ends_are_the_roots_of_the_score_test_quadratic(int k, int n)
    {
        double z = 1.959963984540054, phat = (double)k / n;
        double a = 1 + z * z / n, b = -(2 * phat + z * z / n), c = phat * phat;
        double root = Math.Sqrt(b * b - 4 * a * c);
        var (l, h) = Wilson.Interval(k, n);
        Assert.Equal((-b - root) / (2 * a), l, 12);
        Assert.Equal(Math.Min(1, (-b + root) / (2 * a)), h, 12);
    }

    [Fact]
    public void No_trials_gives_no_interval() => Assert.True(double.IsNaN(Wilson.Interval(0, 0).Low));
}
