using Misgen.Studies;
using System.Xml.Linq;
using Misgen.Analysis;
using Misgen.Eval;

namespace Misgen.Tests.Analysis;

public sealed class SvgPlotTests
{
    private static readonly XNamespace S = "http://www.w3.org/2000/svg";

    [Fact]
    public void Scatter_is_well_formed_svg_with_a_tooltip_per_point_and_nice_ticks()
    {
        var plot = new SvgPlot { Title = "t <&>", XLabel = "x", YLabel = "y", XRange = (0, 100), YRange = (0, 1) };
        plot.Scatter([new PlotPoint(10, 0.5, "agent <1>"), new PlotPoint(250, 0.9, "agent 2")], legend: "agents");
        var svg = XDocument.Parse(plot.Render());
        var circles = svg.Descendants(S + "circle").Where(c => c.Element(S + "title") is not null).ToList();
        Assert.Equal(["agent <1>", "agent 2"], circles.Select(c => c.Element(S + "title")!.Value));
        // The point beyond the x range sits on the right edge, hollow.
        Assert.Equal("#ffffff", circles[1].Attribute("fill")!.Value);
        var labels = svg.Descendants(S + "text").Select(t => t.Value).ToList();
        Assert.Contains("t <&>", labels);
        foreach (string tick in new[] { "0", "20", "40", "60", "80", "100", "0.0", "0.2", "1.0" }) Assert.Contains(tick, labels);
        Assert.Contains("agents", labels);
    }

    [Fact]
    public void Setting_scatter_has_both_object_icons_and_names_agents()
    {
        var setting = StudyCatalogue.Resolve("maze:red-line+yellow-gem@textured");
        Metrics[] metrics = [new("agent-1", setting.Spec, 1000, 810, 190, 0, 4.2), new("agent-2", setting.Spec, 1000, 0, 0, 1000, 500)];
        var svg = XDocument.Parse(StudyPlots.SettingScatter(setting, metrics));
        var titles = svg.Descendants(S + "title").Select(t => t.Value).ToList();
        Assert.Contains("red-line", titles);
        Assert.Contains("yellow-gem", titles);
        Assert.Contains(titles, t => t.StartsWith("agent-1: preference 0.81 [", StringComparison.Ordinal));
        Assert.DoesNotContain(titles, t => t.StartsWith("agent-2", StringComparison.Ordinal)); // undefined preference: not plotted
        Assert.Contains(svg.Descendants(S + "polygon"), p => p.Attribute("fill")?.Value == "#ff0000");   // red band
        Assert.Contains(svg.Descendants(S + "polygon"), p => p.Attribute("stroke")?.Value == "#ffff00"); // yellow gem outline
    }

    [Fact]
    public void Regression_figure_reports_the_fit()
    {
        string a = "maze:green-line+red-line@textured", b = "maze:yellow-gem+red-line@textured";
        var metrics = new List<Metrics>();
        // preferences (0.2, 0.3), (0.4, 0.5), (0.6, 0.9): Sxx = 0.08, Sxy = 0.12, so slope 1.5, intercept -0.0333.
        double[][] p = [[0.2, 0.3], [0.4, 0.5], [0.6, 0.9]];
        for (int i = 0; i < 3; i++)
        {
            metrics.Add(new Metrics($"a{i}", a, 100, (long)(p[i][0] * 100), 100 - (long)(p[i][0] * 100), 0, 5));
            metrics.Add(new Metrics($"a{i}", b, 100, (long)Math.Round(p[i][1] * 100), 100 - (long)Math.Round(p[i][1] * 100), 0, 5));
        }
        var (svg, fit) = StudyPlots.PreferenceRegression(a, b, metrics);
        Assert.Equal(1.5, fit.Slope, 9);
        Assert.Equal(-0.1 / 3, fit.Intercept, 9);
        Assert.Contains("slope = 1.500", svg);
        XDocument.Parse(svg);
    }
}
