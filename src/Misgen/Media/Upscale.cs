namespace Misgen.Media;

/// <summary>Nearest-neighbour enlargement: every pixel becomes a factor x factor block (pixel art stays crisp).</summary>
public static class Upscale
{
    public static byte[] Nearest(ReadOnlySpan<byte> rgb, int width, int height, int factor)
    {
        RgbImage.Check(rgb, width, height);
        return Nearest(rgb, width, height, factor, channels: 3);
    }

    /// <summary>The same for pictures of any number of bytes per pixel (observation planes).</summary>
    public static byte[] Nearest(ReadOnlySpan<byte> pixels, int width, int height, int factor, int channels)
    {
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), "factor must be at least 1");
        if (channels < 1 || pixels.Length != width * height * channels)
            throw new ArgumentException($"expected {width * height * channels} bytes for {width}x{height}x{channels}, got {pixels.Length}", nameof(pixels));
        int outWidth = width * factor, outStride = outWidth * channels;
        var output = new byte[outStride * height * factor];
        for (int y = 0; y < height; y++)
        {
            Span<byte> firstRow = output.AsSpan(y * factor * outStride, outStride);
            for (int x = 0; x < width; x++)
            {
                ReadOnlySpan<byte> pixel = pixels.Slice((y * width + x) * channels, channels);
                Span<byte> block = firstRow.Slice(x * factor * channels, factor * channels);
                for (int k = 0; k < factor; k++) pixel.CopyTo(block.Slice(k * channels, channels));
            }
            for (int k = 1; k < factor; k++) firstRow.CopyTo(output.AsSpan((y * factor + k) * outStride, outStride));
        }
        return output;
    }
}
