namespace Misgen.Media;

/// <summary>Nearest-neighbour enlargement: every pixel becomes a factor x factor block (pixel art stays crisp).</summary>
public static class Upscale
{
    public static byte[] Nearest(ReadOnlySpan<byte> rgb, int width, int height, int factor)
    {
        RgbImage.Check(rgb, width, height);
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), "factor must be at least 1");
        int outWidth = width * factor, outStride = outWidth * 3;
        var output = new byte[outStride * height * factor];
        for (int y = 0; y < height; y++)
        {
            Span<byte> firstRow = output.AsSpan(y * factor * outStride, outStride);
            for (int x = 0; x < width; x++)
            {
                ReadOnlySpan<byte> pixel = rgb.Slice((y * width + x) * 3, 3);
                Span<byte> block = firstRow.Slice(x * factor * 3, factor * 3);
                for (int k = 0; k < factor; k++) pixel.CopyTo(block.Slice(k * 3, 3));
            }
            for (int k = 1; k < factor; k++) firstRow.CopyTo(output.AsSpan((y * factor + k) * outStride, outStride));
        }
        return output;
    }
}
