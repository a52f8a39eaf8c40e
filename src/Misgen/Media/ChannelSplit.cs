namespace Misgen.Media;

/// <summary>
/// The colour-channel view: the image, then its red, green and blue channels each drawn as a grey
/// image, side by side with a white gap. Shows at a glance which channel separates an object from
/// the background (the study's colour-versus-shape explanation).
/// </summary>
public static class ChannelSplit
{
    public static RgbImage SideBySide(ReadOnlySpan<byte> rgb, int width, int height, int gap = 2)
    {
        RgbImage.Check(rgb, width, height);
        if (gap < 0) throw new ArgumentOutOfRangeException(nameof(gap));
        int outWidth = 4 * width + 3 * gap;
        var output = new byte[outWidth * height * 3];
        output.AsSpan().Fill(255);
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = rgb.Slice(y * width * 3, width * 3);
            Span<byte> outRow = output.AsSpan(y * outWidth * 3, outWidth * 3);
            row.CopyTo(outRow);
            for (int channel = 0; channel < 3; channel++)
            {
                Span<byte> panel = outRow.Slice((channel + 1) * (width + gap) * 3, width * 3);
                for (int x = 0; x < width; x++)
                {
                    byte v = row[x * 3 + channel];
                    panel[x * 3] = v;
                    panel[x * 3 + 1] = v;
                    panel[x * 3 + 2] = v;
                }
            }
        }
        return new RgbImage(outWidth, height, output);
    }
}
