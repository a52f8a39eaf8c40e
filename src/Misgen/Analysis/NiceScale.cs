namespace Misgen.Analysis;

/// <summary>
/// Axis ticks at "nice" numbers (1, 2, 2.5 or 5 times a power of ten) covering a data range, as
/// people label axes by hand (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990).
/// </summary>
public static class NiceScale
{
    /// <summary>About <paramref name="targetTicks"/> ticks; the returned range is widened to whole ticks.</summary>
    public static (double Min, double Max, double Step) For(double min, double max, int targetTicks = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = (0, 1);
        if (max < min) (min, max) = (max, min);
        if (max - min < 1e-12)
        {
            double pad = Math.Abs(min) > 1e-12 ? Math.Abs(min) * 0.1 : 1;
            (min, max) = (min - pad, max + pad);
        }
        double step = Nice((max - min) / Math.Max(1, targetTicks - 1));
        double lo = Math.Floor(min / step + 1e-9) * step, hi = Math.Ceiling(max / step - 1e-9) * step;
        return (lo, hi, step);
    }

    /// <summary>Tick values from min to max (inclusive) in steps, without accumulated rounding error.</summary>
    public static IReadOnlyList<double> Ticks(double min, double max, double step)
    {
        var ticks = new List<double>();
        int count = (int)Math.Round((max - min) / step);
        for (int i = 0; i <= count; i++)
        {
            double t = min + i * step;
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : Math.Round(t, 12));
        }
        return ticks;
    }

    /// <summary>The nice step at or just above <paramref name="raw"/>.</summary>
    public static double Nice(double raw)
    {
        double exponent = Math.Floor(Math.Log10(raw));
        double power = Math.Pow(10, exponent), fraction = raw / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    /// <summary>A tick label with as many decimals as the step needs (0.2 -> "0.2", 20 -> "20", 2.5 -> "2.5").</summary>
    public static string Label(double value, double step)
    {
        int decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
        if (Math.Abs(step * Math.Pow(10, decimals) - Math.Round(step * Math.Pow(10, decimals))) > 1e-9) decimals++;
        double abs = Math.Abs(value);
        if (abs >= 1e6 && step >= 1e5) return (value / 1e6).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "M";
        if (abs >= 1e4 && step >= 1e3) return (value / 1e3).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "k";
        return value.ToString("F" + Math.Min(decimals, 6), System.Globalization.CultureInfo.InvariantCulture);
    }
}
