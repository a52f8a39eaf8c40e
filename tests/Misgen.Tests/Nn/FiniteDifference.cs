namespace Misgen.Tests.Nn;

/// <summary>The independent side of gradient checks: central differences of a double-precision function.</summary>
internal static class FiniteDifference
{
    /// <summary>(f(x + h e_at) - f(x - h e_at)) / 2h; <paramref name="x"/> is restored afterwards.</summary>
    public static double Central(double[] x, int at, double h, Func<double[], double> f)
    {
        double saved = x[at];
        x[at] = saved + h;
        double plus = f(x);
        x[at] = saved - h;
        double minus = f(x);
        x[at] = saved;
        return (plus - minus) / (2 * h);
    }
}
