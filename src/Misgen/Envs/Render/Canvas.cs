using Misgen.Envs.Maze;
namespace Misgen.Envs.Render;

/// <summary>Small RGB24 picture helpers for figures: upscaling, channel views, side-by-side composition.</summary>
public static class Canvas
{
    /// <summary>Nearest-neighbour upscale by an integer factor (procgen's pixels stay sharp).</summary>
    public static byte[] Upscale(ReadOnlySpan<byte> rgb, int width, int height, int scale)
    {
        if (scale < 1 || scale > 64) throw new MisgenInputException($"scale {scale} is invalid; valid: 1..64");
        int w = width * scale;
        var output = new byte[w * height * scale * 3];
        for (int y = 0; y < height * scale; y++)
            for (int x = 0; x < w; x++)
                rgb.Slice(((y / scale) * width + x / scale) * 3, 3).CopyTo(output.AsSpan((y * w + x) * 3));
        return output;
    }

    /// <summary>Averages 2x2 blocks of a square picture (rounding half up): a cheap antialiased downscale.</summary>
    public static byte[] HalveSize(ReadOnlySpan<byte> rgb, int size)
    {
        int half = size / 2;
        var output = new byte[half * half * 3];
        for (int y = 0; y < half; y++)
            for (int x = 0; x < half; x++)
                for (int c = 0; c < 3; c++)
                {
                    int a = ((2 * y) * size + 2 * x) * 3 + c, b = a + size * 3;
                    output[(y * half + x) * 3 + c] = (byte)((rgb[a] + rgb[a + 3] + rgb[b] + rgb[b + 3] + 2) / 4);
                }
        return output;
    }

    /// <summary>One channel (0 R, 1 G, 2 B) as a grey picture.</summary>
    public static byte[] Channel(ReadOnlySpan<byte> rgb, int channel)
    {
        var output = new byte[rgb.Length];
        for (int i = 0; i < rgb.Length; i += 3)
            output[i] = output[i + 1] = output[i + 2] = rgb[i + channel];
        return output;
    }

    /// <summary>Pictures of equal height placed left to right with <paramref name="gap"/> white columns between them.</summary>
    public static byte[] SideBySide(IReadOnlyList<byte[]> pictures, int width, int height, int gap, out int totalWidth)
    {
        totalWidth = pictures.Count * width + (pictures.Count - 1) * gap;
        var output = new byte[totalWidth * height * 3];
        output.AsSpan().Fill(255);
        for (int p = 0; p < pictures.Count; p++)
            for (int y = 0; y < height; y++)
                pictures[p].AsSpan(y * width * 3, width * 3).CopyTo(output.AsSpan((y * totalWidth + p * (width + gap)) * 3));
        return output;
    }

    /// <summary>Pictures of equal width placed top to bottom with <paramref name="gap"/> white rows between them.</summary>
    public static byte[] Stack(IReadOnlyList<byte[]> pictures, int width, int height, int gap, out int totalHeight)
    {
        totalHeight = pictures.Count * height + (pictures.Count - 1) * gap;
        var output = new byte[width * totalHeight * 3];
        output.AsSpan().Fill(255);
        for (int p = 0; p < pictures.Count; p++)
            pictures[p].CopyTo(output.AsSpan(p * (height + gap) * width * 3));
        return output;
    }
}
