using System.Globalization;
using System.Text;
using Misgen.Envs;
using Misgen.Media;

namespace Misgen.Interp;

/// <summary>
/// A vector field drawn over its level: the level without the agent, upscaled, and one arrow per open cell from the
/// cell's centre. A field's arrows are orange and an arrow of length 1 (certain of one direction) reaches 0.8 of a
/// cell; a difference field's arrows are cyan and scaled so its longest arrow reaches 0.8 of a cell (the caption
/// gives the scale). Marked cells (the decision square) get an outline. As SVG (the level embedded as a PNG) or PNG.
/// </summary>
public sealed class FieldPicture
{
    private static readonly (byte R, byte G, byte B) FieldColour = (255, 140, 0), DifferenceColour = (0, 220, 255), Outline = (0, 0, 0);
    private readonly VectorField vectors;
    private readonly byte[] level;
    private readonly int side;
    private readonly List<(CellArea Area, (byte R, byte G, byte B) Colour)> marks = [];

    /// <param name="levelRgb">The level's picture (RGB, <paramref name="levelSize"/> square), usually <see cref="LevelPicture"/>.</param>
    public FieldPicture(VectorField field, byte[] levelRgb, int levelSize, int scale)
    {
        if (scale < 1 || scale > 32) throw new MisgenInputException($"scale {scale} is invalid; valid: 1..32");
        vectors = field;
        side = levelSize * scale;
        level = Upscale.Nearest(levelRgb, levelSize, levelSize, scale);
        double longest = 0;
        for (int i = 0; i < field.Cells.Count; i++)
        {
            var (dx, dy) = field.Arrow(i);
            longest = Math.Max(longest, Math.Sqrt(dx * dx + dy * dy));
        }
        // A field is drawn at its own scale (length 1 = 0.8 cell); a difference is stretched to be seen.
        ArrowScale = field.IsDifference ? (longest > 1e-9 ? 0.8 / longest : 1) : 0.8;
    }

    /// <summary>Cells of arrow per unit of probability.</summary>
    public double ArrowScale { get; }

    public string Caption { get; set; } = "";

    /// <summary>The level without the agent (the static layer), RGB, at observation side <paramref name="size"/>.</summary>
    public static byte[] LevelPicture(IGame game, int size)
    {
        var renderer = Observations.Renderer(game, size);
        var layer = new byte[renderer.LayerBytes];
        renderer.DrawLevel(game, layer);
        byte[] frame;
        if (renderer.LayerBytes == renderer.FrameBytes) frame = layer;
        else
        {
            frame = new byte[renderer.FrameBytes];
            renderer.DrawFrame(game, layer, frame);
        }
        return game.Spec.Game.ToRgb(frame, renderer.Shape);
    }

    public FieldPicture Mark(CellArea area, (byte R, byte G, byte B) colour)
    {
        marks.Add((area, colour));
        return this;
    }

    private (byte R, byte G, byte B) ArrowColour => vectors.IsDifference ? DifferenceColour : FieldColour;

    /// <summary>Each cell's arrow as a polygon in picture pixels (null when too short to draw).</summary>
    private IEnumerable<(double X, double Y)[]> Arrows(double widen)
    {
        for (int i = 0; i < vectors.Cells.Count; i++)
        {
            var area = vectors.Areas[i];
            var (dx, dy) = vectors.Arrow(i);
            double cellPixels = Math.Min(area.Width, area.Height) * side;
            double ux = dx * ArrowScale * cellPixels, uy = -dy * ArrowScale * cellPixels;  // picture y points down
            double length = Math.Sqrt(ux * ux + uy * uy);
            if (length < 0.04 * cellPixels) continue;
            yield return ArrowPolygon(area.CentreX * side, area.CentreY * side, ux, uy, cellPixels, widen);
        }
    }

    private static (double X, double Y)[] ArrowPolygon(double x, double y, double ux, double uy, double cellPixels, double widen)
    {
        double length = Math.Sqrt(ux * ux + uy * uy);
        double ex = ux / length, ey = uy / length, nx = -ey, ny = ex;
        double shaft = Math.Max(0.6, 0.06 * cellPixels) + widen, head = Math.Max(1.5, 0.17 * cellPixels) + widen;
        double headLength = Math.Min(0.45 * length, 0.3 * cellPixels);
        x -= ex * widen; y -= ey * widen;
        length += 2 * widen;
        double bx = x + ex * (length - headLength - widen), by = y + ey * (length - headLength - widen);
        return
        [
            (x + nx * shaft, y + ny * shaft), (bx + nx * shaft, by + ny * shaft), (bx + nx * head, by + ny * head),
            (x + ex * length, y + ey * length),
            (bx - nx * head, by - ny * head), (bx - nx * shaft, by - ny * shaft), (x - nx * shaft, y - ny * shaft),
        ];
    }

    public byte[] ToPng()
    {
        var picture = (byte[])level.Clone();
        double outline = Math.Max(1, side / 512.0);
        foreach (var (area, colour) in marks)
            PolygonFill.Outline(picture, side, side, area.Left * side, area.Top * side, (area.Left + area.Width) * side, (area.Top + area.Height) * side,
                Math.Max(2, 0.12 * area.Width * side), colour);
        foreach (var arrow in Arrows(outline)) PolygonFill.Fill(picture, side, side, arrow, Outline);
        foreach (var arrow in Arrows(0)) PolygonFill.Fill(picture, side, side, arrow, ArrowColour);
        return Png.Encode(picture, side, side);
    }

    public string ToSvg()
    {
        int captionHeight = Caption.Length > 0 ? 24 : 0;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{side}\" height=\"{side + captionHeight}\" viewBox=\"0 0 {side} {side + captionHeight}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<image width=\"{side}\" height=\"{side}\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{Convert.ToBase64String(Png.Encode(level, side, side))}\"/>\n");
        foreach (var (area, colour) in marks)
        {
            double t = Math.Max(2, 0.12 * area.Width * side);
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{N(area.Left * side + t / 2)}\" y=\"{N(area.Top * side + t / 2)}\" width=\"{N(area.Width * side - t)}\" height=\"{N(area.Height * side - t)}\" fill=\"none\" stroke=\"{Hex(colour)}\" stroke-width=\"{N(t)}\"/>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<g fill=\"{Hex(ArrowColour)}\" stroke=\"#000\" stroke-width=\"{N(Math.Max(1, side / 512.0))}\" stroke-linejoin=\"round\">\n");
        foreach (var arrow in Arrows(0))
            svg.Append("<polygon points=\"").AppendJoin(' ', arrow.Select(p => N(p.X) + "," + N(p.Y))).Append("\"/>\n");
        svg.Append("</g>\n");
        if (captionHeight > 0)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{side + 17}\" font-family=\"{FontFamily}\" font-size=\"13\">{System.Security.SecurityElement.Escape(Caption)}</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private const string FontFamily = "Helvetica, Arial, 'DejaVu Sans', sans-serif";

    private static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Hex((byte R, byte G, byte B) c) => $"#{c.R:x2}{c.G:x2}{c.B:x2}";
}
