using Misgen.Envs;
using Misgen.Envs.CoinRun;

namespace Misgen.Tests.Envs;

/// <summary>First observations against the original's (Data/frames: a visual reference, not bit-exact; docs/COINRUN.md).</summary>
public sealed class CoinRunRenderTests
{
    [Theory]
    [InlineData("coinrun", "coinrun")]
    [InlineData("coinrun_aisc", "coinrun:aisc")]
    [InlineData("coinrun_aiscfork_rp0", "coinrun:fork")]
    public void The_ground_shows_where_the_originals_first_frame_shows_it(string name, string spec)
    {
        // A view centred elsewhere or scaled differently fails this: one level's frame against the next level's
        // reference overlaps on about 70% (IoU).
        var game = new CoinRunGame(EnvSpec.Parse(spec));
        var frame = new byte[64 * 64 * 3];
        for (int seed = 0; seed < 5; seed++)
        {
            var reference = Misgen.Media.Png.Read(Path.Combine(AppContext.BaseDirectory, "Data", "frames", $"{name}-{seed}.png"));
            Assert.Equal((64, 64), (reference.Width, reference.Height));
            game.Reset(seed);
            CoinRunRenderer.For(64).Draw(game, frame);
            // Ground pixels: the ground body's colours of the level's wall theme, as sampled from the originals' frames.
            var shades = GroundBody(game.Level.WallTheme);
            int both = 0, either = 0;
            for (int p = 0; p < 64 * 64; p++)
            {
                bool a = IsGround(reference.Rgb.AsSpan(p * 3, 3), shades), b = IsGround(frame.AsSpan(p * 3, 3), shades);
                if (a && b) both++;
                if (a || b) either++;
            }
            Assert.True(either > 400, $"{name}-{seed}: the frames show ground");
            Assert.True(both >= 0.85 * either, $"{name}-{seed}: the ground masks overlap on {both} of {either} pixels");
        }
    }

    private static (int, int, int)[] GroundBody(int theme) => theme switch
    {
        0 => [(177, 192, 193), (187, 203, 204), (197, 209, 210)],
        2 => [(172, 192, 193), (186, 200, 201)],
        _ => [(189, 137, 88), (197, 143, 92), (201, 152, 105)],
    };

    private static bool IsGround(ReadOnlySpan<byte> rgb, (int R, int G, int B)[] shades)
    {
        foreach (var (r, g, b) in shades)
            if (Math.Abs(rgb[0] - r) + Math.Abs(rgb[1] - g) + Math.Abs(rgb[2] - b) <= 30) return true;
        return false;
    }
}
