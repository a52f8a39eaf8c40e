namespace Misgen.Analysis;

/// <summary>An ordinary least squares line y = slope * x + intercept and its coefficient of determination.</summary>
public readonly record struct OlsFit(double Slope, double Intercept, double RSquared, int Count)
{
    public double Predict(double x) => Slope * x + Intercept;
}

/// <summary>Simple linear regression of y on x, as the study relates one setting's preferences to another's.</summary>
public static class Ols
{
    /// <summary>Fits y on x over the pairs where both are finite. Needs two distinct x values.</summary>
    public static OlsFit Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length");
        // Two passes (means, then centred sums) for accuracy.
        double sx = 0, sy = 0;
        int n = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i])) continue;
            sx += x[i];
            sy += y[i];
            n++;
        }
        if (n < 2) return new OlsFit(double.NaN, double.NaN, double.NaN, n);
        double mx = sx / n, my = sy / n, sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i])) continue;
            double dx = x[i] - mx, dy = y[i] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx == 0) return new OlsFit(double.NaN, double.NaN, double.NaN, n);
        double slope = sxy / sxx;
        // R^2 = 1 - SSres/SStot; with a constant y every line through the mean fits perfectly.
        double rSquared = syy == 0 ? 1 : sxy * sxy / (sxx * syy);
        return new OlsFit(slope, my - slope * mx, rSquared, n);
    }
}
