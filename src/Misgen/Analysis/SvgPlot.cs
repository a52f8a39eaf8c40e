using System.Text;
using static Misgen.Analysis.Svg;

namespace Misgen.Analysis;

/// <summary>A point of a scatter series; <see cref="Hover"/> becomes the point's tooltip.</summary>
public readonly record struct PlotPoint(double X, double Y, string? Hover = null, double? YLow = null, double? YHigh = null);

/// <summary>
/// A small plotting module that writes one chart as a standalone SVG string: axes with nice ticks,
/// a light grid, axis labels, a title, a legend, scatter series (each point with a hover tooltip and
/// optional vertical interval), line series and straight reference lines. Points outside a fixed
/// axis range are drawn at the edge as hollow markers (their tooltip keeps the true value).
/// </summary>
public sealed class SvgPlot
{
    public static readonly IReadOnlyList<string> Palette =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    private readonly List<Series> series = [];
    private readonly List<(double Y, Func<double, double, string> Draw)> yAxisIcons = [];

    public SvgPlot(int width = 520, int height = 380)
    {
        Width = width;
        Height = height;
    }

    public int Width { get; }
    public int Height { get; }
    public string? Title { get; set; }
    public string? Subtitle { get; set; }
    public string? XLabel { get; set; }
    public string? YLabel { get; set; }

    /// <summary>Fixed axis ranges; null fits the data with nice ticks.</summary>
    public (double Min, double Max)? XRange { get; set; }
    public (double Min, double Max)? YRange { get; set; }

    /// <summary>Left margin for tick labels and the y label (more when icons sit at the axis ends).</summary>
    public double MarginLeft { get; set; } = 64;

    public SvgPlot Scatter(IEnumerable<PlotPoint> points, string? legend = null, string? colour = null, double radius = 4.5)
    {
        series.Add(new Series(Kind.Scatter, points.ToList(), legend, colour ?? NextColour(), radius, false));
        return this;
    }

    public SvgPlot Line(IEnumerable<(double X, double Y)> points, string? legend = null, string? colour = null, double width = 1.8, bool dashed = false)
    {
        series.Add(new Series(Kind.Line, points.Select(p => new PlotPoint(p.X, p.Y)).ToList(), legend, colour ?? NextColour(), width, dashed));
        return this;
    }

    /// <summary>y = slope * x + intercept across the whole x axis (clipped to the plot area).</summary>
    public SvgPlot StraightLine(double slope, double intercept, string? legend = null, string colour = "#333333", bool dashed = false)
    {
        series.Add(new Series(Kind.Straight, [new PlotPoint(slope, intercept)], legend, colour, 1.6, dashed));
        return this;
    }

    /// <summary>
    /// Draws an icon left of the y axis at data value <paramref name="y"/>; <paramref name="draw"/>
    /// gets the icon's centre in SVG coordinates and returns SVG markup.
    /// </summary>
    public SvgPlot YAxisIcon(double y, Func<double, double, string> draw)
    {
        yAxisIcons.Add((y, draw));
        return this;
    }

    public string Render()
    {
        bool hasLegend = series.Any(s => s.Legend is not null);
        double top = Title is null ? 18 : Subtitle is null ? 40 : 56;
        double right = 18, bottom = XLabel is null ? 36 : 52;
        double left = MarginLeft;
        double plotWidth = Width - left - right, plotHeight = Height - top - bottom;

        var (xMin, xMax, xStep) = Axis(XRange, series.Where(s => s.Kind != Kind.Straight).SelectMany(s => s.Points).Select(p => p.X));
        var (yMin, yMax, yStep) = Axis(YRange, series.Where(s => s.Kind != Kind.Straight).SelectMany(s => s.Points)
            .SelectMany(p => new[] { p.Y, p.YLow ?? p.Y, p.YHigh ?? p.Y }));
        double Sx(double x) => left + (x - xMin) / (xMax - xMin) * plotWidth;
        double Sy(double y) => top + plotHeight - (y - yMin) / (yMax - yMin) * plotHeight;

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" ")
           .Append($"font-family=\"{FontFamily}\" font-size=\"12\" role=\"img\">");
        if (Title is not null) svg.Append($"<title>{Escape(Title)}</title>");
        svg.Append($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        svg.Append($"<rect x=\"{N(left)}\" y=\"{N(top)}\" width=\"{N(plotWidth)}\" height=\"{N(plotHeight)}\" fill=\"#fbfbfc\"/>");

        // Grid and tick labels.
        var grid = new StringBuilder();
        var labels = new StringBuilder();
        foreach (double t in NiceScale.Ticks(xMin, xMax, xStep))
        {
            double x = Sx(t);
            grid.Append($"M{N(x)} {N(top)}V{N(top + plotHeight)}");
            labels.Append($"<text x=\"{N(x)}\" y=\"{N(top + plotHeight + 17)}\" text-anchor=\"middle\">{NiceScale.Label(t, xStep)}</text>");
        }
        foreach (double t in NiceScale.Ticks(yMin, yMax, yStep))
        {
            double y = Sy(t);
            grid.Append($"M{N(left)} {N(y)}H{N(left + plotWidth)}");
            labels.Append($"<text x=\"{N(left - 8)}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{NiceScale.Label(t, yStep)}</text>");
        }
        svg.Append($"<path d=\"{grid}\" stroke=\"#e3e5e8\" stroke-width=\"1\" fill=\"none\"/>");
        svg.Append($"<g fill=\"#555b63\" font-size=\"11\">{labels}</g>");
        svg.Append($"<path d=\"M{N(left)} {N(top)}V{N(top + plotHeight)}H{N(left + plotWidth)}\" stroke=\"#6b7280\" stroke-width=\"1\" fill=\"none\"/>");

        // Lines are clipped by a nested svg (no ids needed, so many plots can share a page).
        svg.Append($"<svg x=\"{N(left)}\" y=\"{N(top)}\" width=\"{N(plotWidth)}\" height=\"{N(plotHeight)}\" overflow=\"hidden\">");
        foreach (var s in series)
        {
            string dash = s.Dashed ? " stroke-dasharray=\"6 4\"" : "";
            if (s.Kind == Kind.Straight)
            {
                double slope = s.Points[0].X, intercept = s.Points[0].Y;
                svg.Append($"<line x1=\"{N(Sx(xMin) - left)}\" y1=\"{N(Sy(slope * xMin + intercept) - top)}\" x2=\"{N(Sx(xMax) - left)}\" ")
                   .Append($"y2=\"{N(Sy(slope * xMax + intercept) - top)}\" stroke=\"{s.Colour}\" stroke-width=\"{N(s.Size)}\"{dash}/>");
            }
            else if (s.Kind == Kind.Line)
            {
                var path = new StringBuilder();
                bool pen = false;
                foreach (var p in s.Points)
                {
                    if (!double.IsFinite(p.X) || !double.IsFinite(p.Y)) { pen = false; continue; }
                    path.Append(pen ? 'L' : 'M').Append(N(Sx(p.X) - left)).Append(' ').Append(N(Sy(p.Y) - top));
                    pen = true;
                }
                svg.Append($"<path d=\"{path}\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"{N(s.Size)}\" stroke-linejoin=\"round\"{dash}/>");
            }
        }
        svg.Append("</svg>");

        // Scatter points on top, never clipped: out-of-range values sit on the edge, hollow.
        foreach (var s in series.Where(s => s.Kind == Kind.Scatter))
        {
            svg.Append($"<g fill=\"{s.Colour}\" stroke=\"#ffffff\" stroke-width=\"0.8\">");
            foreach (var p in s.Points)
            {
                if (!double.IsFinite(p.X) || !double.IsFinite(p.Y)) continue;
                double x = Math.Clamp(p.X, xMin, xMax), y = Math.Clamp(p.Y, yMin, yMax);
                bool clamped = x != p.X || y != p.Y;
                string tip = p.Hover is null ? "" : $"<title>{Escape(p.Hover)}</title>";
                if (p.YLow is double low && p.YHigh is double high && double.IsFinite(low) && double.IsFinite(high))
                    svg.Append($"<line x1=\"{N(Sx(x))}\" x2=\"{N(Sx(x))}\" y1=\"{N(Sy(Math.Clamp(low, yMin, yMax)))}\" y2=\"{N(Sy(Math.Clamp(high, yMin, yMax)))}\" ")
                       .Append($"stroke=\"{s.Colour}\" stroke-opacity=\"0.45\" stroke-width=\"1.5\"/>");
                string style = clamped ? $" fill=\"#ffffff\" stroke=\"{s.Colour}\" stroke-width=\"1.6\"" : " fill-opacity=\"0.85\"";
                svg.Append($"<circle cx=\"{N(Sx(x))}\" cy=\"{N(Sy(y))}\" r=\"{N(s.Size)}\"{style}>{tip}</circle>");
            }
            svg.Append("</g>");
        }

        foreach (var (y, draw) in yAxisIcons) svg.Append(draw(left - 44, Sy(y)));

        if (XLabel is not null)
            svg.Append($"<text x=\"{N(left + plotWidth / 2)}\" y=\"{N(Height - 12)}\" text-anchor=\"middle\" fill=\"#1f2933\" font-size=\"12.5\">{Escape(XLabel)}</text>");
        if (YLabel is not null)
        {
            double cx = 15, cy = top + plotHeight / 2;
            svg.Append($"<text x=\"{N(cx)}\" y=\"{N(cy)}\" transform=\"rotate(-90 {N(cx)} {N(cy)})\" text-anchor=\"middle\" fill=\"#1f2933\" font-size=\"12.5\">{Escape(YLabel)}</text>");
        }
        if (Title is not null)
            svg.Append($"<text x=\"{N(left)}\" y=\"22\" fill=\"#111827\" font-size=\"14\" font-weight=\"600\">{Escape(Title)}</text>");
        if (Subtitle is not null)
            svg.Append($"<text x=\"{N(left)}\" y=\"40\" fill=\"#6b7280\" font-size=\"11.5\">{Escape(Subtitle)}</text>");
        if (hasLegend) AppendLegend(svg, left + plotWidth - 8, top + 8);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private void AppendLegend(StringBuilder svg, double rightEdge, double top)
    {
        var entries = series.Where(s => s.Legend is not null).ToList();
        double width = 28 + entries.Max(s => s.Legend!.Length) * 6.3, height = 8 + entries.Count * 17;
        double x = rightEdge - width;
        svg.Append($"<g><rect x=\"{N(x)}\" y=\"{N(top)}\" width=\"{N(width)}\" height=\"{N(height)}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"#d1d5db\"/>");
        for (int i = 0; i < entries.Count; i++)
        {
            var s = entries[i];
            double y = top + 13 + i * 17;
            if (s.Kind == Kind.Scatter)
                svg.Append($"<circle cx=\"{N(x + 12)}\" cy=\"{N(y)}\" r=\"4\" fill=\"{s.Colour}\"/>");
            else
                svg.Append($"<line x1=\"{N(x + 5)}\" x2=\"{N(x + 19)}\" y1=\"{N(y)}\" y2=\"{N(y)}\" stroke=\"{s.Colour}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"4 3\"" : "")}/>");
            svg.Append($"<text x=\"{N(x + 25)}\" y=\"{N(y + 4)}\" fill=\"#374151\" font-size=\"11\">{Escape(s.Legend!)}</text>");
        }
        svg.Append("</g>");
    }

    private static (double Min, double Max, double Step) Axis((double Min, double Max)? fixedRange, IEnumerable<double> values)
    {
        if (fixedRange is var (min, max))
        {
            var nice = NiceScale.For(min, max);
            return (min, max, nice.Step);
        }
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? NiceScale.For(0, 1) : NiceScale.For(finite.Min(), finite.Max());
    }

    private string NextColour() => Palette[series.Count(s => s.Kind != Kind.Straight) % Palette.Count];

    private enum Kind { Scatter, Line, Straight }

    private sealed record Series(Kind Kind, List<PlotPoint> Points, string? Legend, string Colour, double Size, bool Dashed);
}
