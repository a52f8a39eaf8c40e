using System.Globalization;
using Misgen.Eval;

namespace Misgen.Analysis;

/// <summary>The study's figures, drawn with <see cref="SvgPlot"/>.</summary>
public static class StudyPlots
{
    /// <summary>
    /// The per-setting scatter: one dot per agent at x = mean episode length (0..100; longer is
    /// drawn at the edge, hollow), y = preference for obj1 (with its Wilson interval), obj1's icon
    /// at the top of the y axis and obj2's at the bottom, the agent named in each dot's tooltip.
    /// </summary>
    public static string SettingScatter(Setting setting, IEnumerable<Metrics> metrics, int width = 420, int height = 340)
    {
        var rows = metrics.Where(m => m.Setting == setting.Spec).ToList();
        int undefined = rows.Count(m => double.IsNaN(m.Preference));
        var plot = new SvgPlot(width, height)
        {
            Title = $"{setting.Obj1} vs {setting.Obj2}",
            Subtitle = $"{setting.Background} · {rows.Count} agents" + (undefined > 0 ? $" ({undefined} never reached an object)" : ""),
            XLabel = "mean episode length (steps)",
            YLabel = $"preference for {setting.Obj1}",
            XRange = (0, 100),
            YRange = (0, 1),
            MarginLeft = 96,
        };
        plot.Scatter(rows.Select(m =>
        {
            var (low, high) = m.PreferenceInterval;
            return new PlotPoint(m.Capability, m.Preference, Hover(m), low, high);
        }), colour: "#3b6ea5");
        if (SettingIcons.Draw(setting, setting.Obj1, 0, 0) is not null)
            plot.YAxisIcon(1, (x, y) => SettingIcons.Draw(setting, setting.Obj1, x, y)!);
        if (SettingIcons.Draw(setting, setting.Obj2, 0, 0) is not null)
            plot.YAxisIcon(0, (x, y) => SettingIcons.Draw(setting, setting.Obj2, x, y)!);
        return plot.Render();
    }

    /// <summary>"agent: preference 0.81 [0.78, 0.84] (812 vs 190), 4.2 mean steps, 0.1% timeouts".</summary>
    public static string Hover(Metrics m)
    {
        var (low, high) = m.PreferenceInterval;
        string preference = double.IsNaN(m.Preference) ? "preference undefined" : $"preference {F(m.Preference, 2)} [{F(low, 2)}, {F(high, 2)}]";
        return $"{m.Agent}: {preference} ({m.Obj1} vs {m.Obj2}), {F(m.Capability, 1)} mean steps, {F(100 * m.TimeoutRate, 1)}% timeouts";
    }

    /// <summary>Preference on setting <paramref name="ySetting"/> against preference on <paramref name="xSetting"/> across agents, with the OLS line.</summary>
    public static (string Svg, OlsFit Fit) PreferenceRegression(string xSetting, string ySetting, IEnumerable<Metrics> metrics, int width = 460, int height = 360)
    {
        var byAgent = metrics.GroupBy(m => m.Agent)
            .Select(g => (Agent: g.Key, X: g.FirstOrDefault(m => m.Setting == xSetting), Y: g.FirstOrDefault(m => m.Setting == ySetting)))
            .Where(p => p.X is not null && p.Y is not null && double.IsFinite(p.X.Preference) && double.IsFinite(p.Y.Preference))
            .ToList();
        double[] xs = byAgent.Select(p => p.X!.Preference).ToArray(), ys = byAgent.Select(p => p.Y!.Preference).ToArray();
        var fit = Ols.Fit(xs, ys);
        var x = new Setting(xSetting, null);
        var y = new Setting(ySetting, null);
        var plot = new SvgPlot(width, height)
        {
            Title = "Preference across two settings",
            Subtitle = double.IsFinite(fit.Slope)
                ? $"OLS over {fit.Count} agents: R² = {F(fit.RSquared, 3)}, slope = {F(fit.Slope, 3)}, intercept = {F(fit.Intercept, 3)}"
                : $"{fit.Count} agents: not enough spread for a fit",
            XLabel = $"preference for {x.Obj1} ({x.Obj1} vs {x.Obj2})",
            YLabel = $"preference for {y.Obj1}",
            XRange = (0, 1),
            YRange = (0, 1),
        };
        plot.Scatter(byAgent.Select(p => new PlotPoint(p.X!.Preference, p.Y!.Preference,
            $"{p.Agent}: {F(p.X.Preference, 2)}, {F(p.Y.Preference, 2)}")), legend: "agent", colour: "#3b6ea5");
        if (double.IsFinite(fit.Slope)) plot.StraightLine(fit.Slope, fit.Intercept, "OLS fit", "#c2410c");
        return (plot.Render(), fit);
    }

    /// <summary>Training curves: one line per agent.</summary>
    public static string TrainingCurves(IReadOnlyList<TrainingCurve> curves, int width = 620, int height = 340)
    {
        var plot = new SvgPlot(width, height)
        {
            Title = curves.Count > 0 ? $"{Capitalise(curves[0].YLabel)} during training" : "Training",
            Subtitle = curves.Count == 0 ? "no train.csv found" : $"one line per agent ({curves.Count})",
            XLabel = curves.Count > 0 ? curves[0].XLabel : "environment steps",
            YLabel = curves.Count > 0 ? curves[0].YLabel : "mean episode return",
        };
        foreach (var c in curves.Take(SvgPlot.Palette.Count))
            plot.Line(c.X.Zip(c.Y), legend: c.Agent);
        foreach (var c in curves.Skip(SvgPlot.Palette.Count))
            plot.Line(c.X.Zip(c.Y), colour: "#9ca3af", width: 1);
        return plot.Render();
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    internal static string F(double v, int decimals) =>
        double.IsFinite(v) ? v.ToString("F" + decimals, CultureInfo.InvariantCulture) : "–";
}
