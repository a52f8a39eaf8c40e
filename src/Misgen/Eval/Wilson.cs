namespace Misgen.Eval;

/// <summary>The Wilson score interval for a binomial proportion (well behaved at 0, 1 and small n).</summary>
public static class Wilson
{
    /// <summary>The 0.975 quantile of the standard normal: a 95% two-sided interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>(low, high) for <paramref name="successes"/> of <paramref name="trials"/>; (NaN, NaN) when there are no trials.</summary>
    public static (double Low, double High) Interval(long successes, long trials, double z = Z95)
    {
        if (trials <= 0) return (double.NaN, double.NaN);
        if (successes < 0 || successes > trials) throw new ArgumentOutOfRangeException(nameof(successes));
        double n = trials, p = successes / n, z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
