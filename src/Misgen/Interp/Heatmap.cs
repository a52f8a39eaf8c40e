using Misgen.Media;

namespace Misgen.Interp;

/// <summary>
/// Heatmaps over an observation: positive values red, negative blue, each pixel's strength its value over the
/// 99th percentile of |value| (so a few extreme pixels do not wash the rest out), clipped to 1. Maps coarser than the
/// observation (a layer's 8x8 map) are stretched by nearest neighbour.
/// </summary>
public static class Heatmap
{
    /// <summary>The map's colours at the observation's side: <paramref name="map"/> is mapHeight x mapWidth, row-major, top row first.</summary>
    public static byte[] Colour(ReadOnlySpan<float> map, int mapWidth, int mapHeight, int size, double? scale = null)
    {
        double s = scale ?? Scale(map);
        var rgb = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                float v = map[y * mapHeight / size * mapWidth + x * mapWidth / size];
                double t = Math.Clamp(Math.Abs(v) / s, 0, 1);
                int o = (y * size + x) * 3;
                // White at 0 fading to red (positive) or blue (negative).
                byte fade = (byte)Math.Round(255 * (1 - t));
                (rgb[o], rgb[o + 1], rgb[o + 2]) = v >= 0 ? ((byte)255, fade, fade) : (fade, fade, (byte)255);
            }
        return rgb;
    }

    /// <summary>The observation in dim grey with the map's colour laid over it in proportion to its strength.</summary>
    public static byte[] Overlay(ReadOnlySpan<byte> observationRgb, ReadOnlySpan<float> map, int mapWidth, int mapHeight, int size, double? scale = null)
    {
        double s = scale ?? Scale(map);
        var rgb = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int o = (y * size + x) * 3;
                double grey = 0.45 * (0.299 * observationRgb[o] + 0.587 * observationRgb[o + 1] + 0.114 * observationRgb[o + 2]);
                float v = map[y * mapHeight / size * mapWidth + x * mapWidth / size];
                double t = Math.Clamp(Math.Abs(v) / s, 0, 1);
                (double r, double g, double b) = v >= 0 ? (255.0, 40.0, 40.0) : (40.0, 90.0, 255.0);
                rgb[o] = (byte)Math.Round(grey + t * (r - grey));
                rgb[o + 1] = (byte)Math.Round(grey + t * (g - grey));
                rgb[o + 2] = (byte)Math.Round(grey + t * (b - grey));
            }
        return rgb;
    }

    /// <summary>The 99th percentile of |value| (the largest when there are few values); 1 for an all-zero map.</summary>
    public static double Scale(ReadOnlySpan<float> map)
    {
        var magnitudes = new float[map.Length];
        for (int i = 0; i < map.Length; i++) magnitudes[i] = Math.Abs(map[i]);
        Array.Sort(magnitudes);
        double s = magnitudes.Length == 0 ? 0 : magnitudes[Math.Min(magnitudes.Length - 1, (int)(0.99 * magnitudes.Length))];
        if (s <= 0) s = magnitudes.Length == 0 ? 0 : magnitudes[^1];
        return s > 0 ? s : 1;
    }

    /// <summary>Panels side by side, each upscaled by <paramref name="scale"/>, with white gaps.</summary>
    public static (byte[] Rgb, int Width, int Height) Panels(IReadOnlyList<byte[]> panels, int size, int scale)
    {
        var big = panels.Select(p => Upscale.Nearest(p, size, size, scale)).ToList();
        int side = size * scale;
        if (big.Count == 1) return (big[0], side, side);
        var rgb = Compose.SideBySide(big, side, side, Math.Max(4, scale), out int width);
        return (rgb, width, side);
    }
}
