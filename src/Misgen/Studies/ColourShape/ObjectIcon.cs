using System.Globalization;
using Misgen.Envs.Maze;

namespace Misgen.Studies.ColourShape;

/// <summary>
/// Small SVG pictures of the maze objects for plot axes and tables: a tile in a neutral grey with
/// the object drawn as in the game: a diagonal band "\" for a line, a gem outline (flat top, widest
/// just above the middle, point at the bottom) for a gem, in the object's pure colour.
/// </summary>
public static class ObjectIcon
{
    /// <summary>The CSS colour of an object name such as <c>red-line</c> (grey for unknown or invisible).</summary>
    public static string ColourOf(string objectName)
    {
        string name = objectName.Trim().ToLowerInvariant();
        foreach (var o in MazeObject.All)
        {
            if (o.ToString() != name || !o.IsVisible) continue;
            var (r, g, b) = o.Rgb;
            return $"#{r:x2}{g:x2}{b:x2}";
        }
        return "#9ca3af";
    }

    /// <summary>An icon of <paramref name="size"/> px centred at (cx, cy), with a tooltip naming the object.</summary>
    public static string Draw(string objectName, double cx, double cy, double size = 26)
    {
        string[] parts = objectName.Split('-');
        string shape = parts.Length > 1 ? parts[1] : "line";
        bool invisible = parts[0] == "invisible";
        string colour = ColourOf(objectName);
        double h = size / 2, x0 = cx - h, y0 = cy - h;
        var svg = new System.Text.StringBuilder();
        svg.Append($"<g><title>{Escape(objectName)}</title>");
        svg.Append($"<rect x=\"{N(x0)}\" y=\"{N(y0)}\" width=\"{N(size)}\" height=\"{N(size)}\" rx=\"{N(size * 0.14)}\" fill=\"#8c9096\" stroke=\"#5f6368\" stroke-width=\"0.8\"/>");
        if (shape == "gem")
        {
            // The sprite's outline: bbox x 29..98, y 40..87 of 128; widest at y 58..64.
            double P(double v) => v / 128 * size;
            string points = string.Join(" ", new (double X, double Y)[]
                { (44, 40), (83, 40), (98, 58), (98, 62), (64, 87), (29, 62), (29, 58) }
                .Select(p => $"{N(x0 + P(p.X))},{N(y0 + P(p.Y))}"));
            string stroke = invisible ? "stroke=\"#e5e7eb\" stroke-dasharray=\"2 2\"" : $"stroke=\"{colour}\"";
            svg.Append($"<polygon points=\"{points}\" fill=\"none\" {stroke} stroke-width=\"{N(size * 0.09)}\" stroke-linejoin=\"round\"/>");
        }
        else
        {
            // The "\" band, about 29 px wide per row of 128.
            double m = size * 0.1, w = size * 0.23;
            svg.Append($"<polygon points=\"{N(x0 + m)},{N(y0 + m)} {N(x0 + m + w)},{N(y0 + m)} {N(x0 + size - m)},{N(y0 + size - m - w)} ")
               .Append($"{N(x0 + size - m)},{N(y0 + size - m)} {N(x0 + size - m - w)},{N(y0 + size - m)} {N(x0 + m)},{N(y0 + m + w)}\" fill=\"{colour}\"/>");
        }
        svg.Append("</g>");
        return svg.ToString();
    }

    /// <summary>A standalone inline SVG of one icon, for HTML tables.</summary>
    public static string Inline(string objectName, double size = 18) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(size)}\" height=\"{N(size)}\" viewBox=\"0 0 {N(size)} {N(size)}\" class=\"icon\">{Draw(objectName, size / 2, size / 2, size)}</svg>";

    private static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
