namespace Misgen.Media;

/// <summary>
/// Fills polygons on an RGB picture (scanline, even-odd rule, a pixel is inside when its centre is), without
/// antialiasing: enough for arrows and outlines drawn over pixel-art levels.
/// </summary>
public static class PolygonFill
{
    public static void Fill(Span<byte> rgb, int width, int height, ReadOnlySpan<(double X, double Y)> polygon, (byte R, byte G, byte B) colour)
    {
        RgbImage.Check(rgb, width, height);
        if (polygon.Length < 3) return;
        double top = double.MaxValue, bottom = double.MinValue;
        foreach (var p in polygon) { top = Math.Min(top, p.Y); bottom = Math.Max(bottom, p.Y); }
        int y0 = Math.Max(0, (int)Math.Floor(top)), y1 = Math.Min(height - 1, (int)Math.Ceiling(bottom));
        Span<double> crossings = polygon.Length <= 64 ? stackalloc double[polygon.Length] : new double[polygon.Length];
        for (int y = y0; y <= y1; y++)
        {
            double cy = y + 0.5;
            int count = 0;
            for (int i = 0; i < polygon.Length; i++)
            {
                var a = polygon[i];
                var b = polygon[(i + 1) % polygon.Length];
                if ((a.Y <= cy && b.Y > cy) || (b.Y <= cy && a.Y > cy))
                    crossings[count++] = a.X + (cy - a.Y) / (b.Y - a.Y) * (b.X - a.X);
            }
            crossings[..count].Sort();
            for (int k = 0; k + 1 < count; k += 2)
            {
                int x0 = Math.Max(0, (int)Math.Ceiling(crossings[k] - 0.5)), x1 = Math.Min(width - 1, (int)Math.Floor(crossings[k + 1] - 0.5));
                for (int x = x0; x <= x1; x++)
                {
                    int o = (y * width + x) * 3;
                    rgb[o] = colour.R;
                    rgb[o + 1] = colour.G;
                    rgb[o + 2] = colour.B;
                }
            }
        }
    }

    /// <summary>A rectangle's outline, <paramref name="thickness"/> pixels wide, inside the rectangle.</summary>
    public static void Outline(Span<byte> rgb, int width, int height, double left, double top, double right, double bottom, double thickness, (byte R, byte G, byte B) colour)
    {
        Fill(rgb, width, height, [(left, top), (right, top), (right, top + thickness), (left, top + thickness)], colour);
        Fill(rgb, width, height, [(left, bottom - thickness), (right, bottom - thickness), (right, bottom), (left, bottom)], colour);
        Fill(rgb, width, height, [(left, top), (left + thickness, top), (left + thickness, bottom), (left, bottom)], colour);
        Fill(rgb, width, height, [(right - thickness, top), (right, top), (right, bottom), (right - thickness, bottom)], colour);
    }
}
