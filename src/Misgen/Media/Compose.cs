namespace Misgen.Media;

/// <summary>Figures made of several RGB24 pictures: side by side or stacked, with white gaps; and a 2x2 average.</summary>
public static class Compose
{
    /// <summary>Pictures of equal size placed left to right with <paramref name="gap"/> white columns between them.</summary>
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

    /// <summary>Channel <paramref name="channel"/> of an HWC picture with <paramref name="channels"/> bytes per pixel, as a grey RGB picture.</summary>
    public static byte[] ChannelAsGrey(ReadOnlySpan<byte> pixels, int channels, int channel)
    {
        int count = pixels.Length / channels;
        var output = new byte[count * 3];
        for (int i = 0; i < count; i++)
            output[3 * i] = output[3 * i + 1] = output[3 * i + 2] = pixels[i * channels + channel];
        return output;
    }
}
