using Misgen.Media;

namespace Misgen.Tests.Media;

public sealed class GifTests
{
    private static readonly byte[][] PureColours =
        [[0, 0, 0], [0, 0, 255], [0, 255, 0], [0, 255, 255], [255, 0, 0], [255, 0, 255], [255, 255, 0], [255, 255, 255], [127, 127, 127]];

    [Fact]
    public void Few_colours_round_trip_exactly_with_delay_and_loop()
    {
        const int w = 40, h = 30;
        var rng = new Rng(5);
        var frames = new List<byte[]>();
        for (int f = 0; f < 4; f++)
        {
            var frame = new byte[w * h * 3];
            // Runs of repeated colours (LZW's good case) and noise (its bad case).
            for (int i = 0; i < w * h; i++)
            {
                byte[] c = i < w * h / 2 ? PureColours[(i / 7 + f) % PureColours.Length] : PureColours[rng.NextInt(PureColours.Length)];
                c.CopyTo(frame, i * 3);
            }
            frame[(f * 3) * 3] = 201; frame[(f * 3) * 3 + 1] = 152; frame[(f * 3) * 3 + 2] = 105; // wall colour
            frames.Add(frame);
        }
        var gif = GifTestDecoder.Decode(Gif.Encode(frames, w, h));
        Assert.Equal((w, h), (gif.Width, gif.Height));
        Assert.Equal(0, gif.LoopCount);
        Assert.Equal([20, 20, 20, 20], gif.DelaysCs);
        for (int f = 0; f < frames.Count; f++) Assert.Equal(frames[f], gif.FrameRgb(f));
    }

    [Fact]
    public void Many_colours_keep_pure_colours_exact_and_the_rest_close()
    {
        // A 192x192 gradient (far more than 256 colours and more than 4096 LZW codes: widths
        // up to 12 bits and clear codes), with pure-colour and grey-background patches.
        const int w = 192, h = 192;
        var frame = new byte[w * h * 3];
        var rng = new Rng(9);
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            int i = (y * w + x) * 3;
            frame[i] = (byte)(x * 255 / (w - 1));
            frame[i + 1] = (byte)(y * 255 / (h - 1));
            frame[i + 2] = (byte)rng.NextInt(256);
            if (x < 16 && y < PureColours.Length * 16) PureColours[y / 16].CopyTo(frame, i);
        }
        byte[] file = Gif.Encode([frame, frame], w, h, delayMs: 100);
        var gif = GifTestDecoder.Decode(file);
        Assert.Equal(12, gif.MaxCodeSizeSeen);
        Assert.True(gif.ClearCodesSeen > 2, $"clear codes: {gif.ClearCodesSeen}");
        Assert.Equal([10, 10], gif.DelaysCs);
        byte[] back = gif.FrameRgb(1);
        Assert.Equal(back, gif.FrameRgb(0));
        double sumError = 0;
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            int i = (y * w + x) * 3;
            if (x < 16 && y < PureColours.Length * 16)
                Assert.Equal(PureColours[y / 16], back[i..(i + 3)]);
            else
                for (int c = 0; c < 3; c++) sumError += Math.Abs(back[i + c] - frame[i + c]);
        }
        double meanError = sumError / (3.0 * (w * h - 16 * 16 * PureColours.Length));
        Assert.True(meanError < 24, $"mean abs error {meanError:F1} per channel");
    }

    [Fact]
    public void Upscale_repeats_each_pixel_in_a_block()
    {
        byte[] rgb = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]; // 2x2
        byte[] big = Upscale.Nearest(rgb, 2, 2, 3);
        Assert.Equal(6 * 6 * 3, big.Length);
        for (int y = 0; y < 6; y++)
        for (int x = 0; x < 6; x++)
        {
            int src = ((y / 3) * 2 + x / 3) * 3;
            Assert.Equal(rgb[src..(src + 3)], big[((y * 6 + x) * 3)..((y * 6 + x) * 3 + 3)]);
        }
    }

    [Fact]
    public void Channel_split_shows_each_channel_as_grey()
    {
        byte[] rgb = [200, 100, 50]; // 1x1
        var split = ChannelSplit.SideBySide(rgb, 1, 1, gap: 1);
        Assert.Equal((7, 1), (split.Width, split.Height));
        Assert.Equal(new byte[] { 200, 100, 50, 255, 255, 255, 200, 200, 200, 255, 255, 255, 100, 100, 100, 255, 255, 255, 50, 50, 50 }, split.Rgb);
    }
}
