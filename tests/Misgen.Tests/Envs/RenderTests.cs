using Misgen.Envs.Maze;
using Misgen.Envs;
using Misgen.Media;

namespace Misgen.Tests.Envs;

public sealed class RenderTests
{
    // Pixel bounds of the five cells by procgen's rule (a pixel belongs to the cell its centre falls in),
    // worked out by hand: 64/5 = 12.8, 48/5 = 9.6, 32/5 = 6.4 px per cell.
    public static TheoryData<int, int[]> CellBounds => new()
    {
        { 64, [0, 13, 26, 38, 51, 64] },
        { 48, [0, 10, 19, 29, 38, 48] },
        { 32, [0, 6, 13, 19, 26, 32] },
    };

    private static int CellOf(int p, int[] bounds) { int k = 0; while (p >= bounds[k + 1]) k++; return k; }

    [Theory]
    [MemberData(nameof(CellBounds))]
    public void Walls_fill_exactly_the_wall_cells_of_the_golden_layout(int size, int[] bounds)
    {
        var env = new GameEnv(EnvSpec.Parse("maze:invisible-gem@black"), size);
        foreach (var g in GoldenLevels.Levels.Take(20))
        {
            var frame = env.Reset(g.Seed);
            for (int py = 0; py < size; py++)
                for (int px = 0; px < size; px++)
                {
                    int cx = CellOf(px, bounds), row = CellOf(py, bounds);
                    if (cx == 0 && row == 4) continue; // the agent's cell
                    bool wall = g.PictureTrain[row][cx] == '#';
                    int i = (py * size + px) * 3;
                    bool black = frame[i] == 0 && frame[i + 1] == 0 && frame[i + 2] == 0;
                    Assert.Equal(!wall, black);
                }
        }
    }

    [Fact]
    public void Walls_are_sandy_brown()
    {
        var env = new GameEnv(EnvSpec.Parse("maze:invisible-gem@black"));
        var frame = env.Reset(0);
        double[] sum = new double[3];
        int n = 0;
        for (int i = 0; i < frame.Length; i += 3)
            if (frame[i] != 0) { for (int c = 0; c < 3; c++) sum[c] += frame[i + c]; n++; }
        Assert.InRange(sum[0] / n, 193, 209);
        Assert.InRange(sum[1] / n, 144, 160);
        Assert.InRange(sum[2] / n, 97, 113);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(48)]
    [InlineData(32)]
    [InlineData(512)]
    public void Every_colour_is_drawn_pure(int size)
    {
        foreach (var colour in MazeObject.PureColours)
            foreach (var shape in new[] { ObjectShape.Line, ObjectShape.Gem })
            {
                var obj = new MazeObject(colour, shape);
                // Black objects are checked over grey (over black they are invisible, on purpose).
                string background = colour == ObjectColour.Black ? "grey" : "black";
                var env = new GameEnv(EnvSpec.Parse($"maze:{obj}@{background}"), size);
                var g = GoldenLevels.Get(7);
                var frame = env.Reset(g.Seed).ToArray();
                var (r, gr, b) = obj.Rgb;
                int drawn = 0;
                var bounds = Enumerable.Range(0, 6).Select(k => (int)Math.Ceiling(k * size / 5.0 - 0.5)).ToArray();
                for (int py = bounds[4 - g.Goal.Y]; py < bounds[5 - g.Goal.Y]; py++)
                    for (int px = bounds[g.Goal.X]; px < bounds[g.Goal.X + 1]; px++)
                    {
                        int i = (py * size + px) * 3;
                        bool isBackground = background == "black" ? frame[i] == 0 && frame[i + 1] == 0 && frame[i + 2] == 0
                                                                  : frame[i] == 127 && frame[i + 1] == 127 && frame[i + 2] == 127;
                        if (isBackground) continue;
                        Assert.Equal((r, gr, b), (frame[i], frame[i + 1], frame[i + 2]));
                        drawn++;
                    }
                Assert.True(drawn > 0, $"{obj} at {size}px drew nothing");
            }
    }

    [Theory]
    [InlineData("black")]
    [InlineData("textured")]
    public void Invisible_gem_leaves_the_frame_unchanged(string background)
    {
        var training = new GameEnv(EnvSpec.Parse($"maze:red-line@{background}"));
        var duel = new GameEnv(EnvSpec.Parse($"maze:red-line+invisible-gem@{background}"));
        foreach (var g in GoldenLevels.Levels.Take(20))
            Assert.Equal(training.Reset(g.Seed).ToArray(), duel.Reset(g.Seed).ToArray());
    }

    [Fact]
    public void Sprites_have_the_original_shapes_and_sizes()
    {
        // docs/ORIGINS.md §2: line 3,411 px of 128x128, ~29 px per row; gem bbox x 29..98, y 40..87, 2,394 px.
        int line = ObjectSprites.Line.Count(p => p);
        Assert.InRange(line, 3411 * 0.97, 3411 * 1.03);
        int middleRow = Enumerable.Range(0, 128).Count(x => ObjectSprites.Line[64 * 128 + x]);
        Assert.InRange(middleRow, 27, 31);
        Assert.True(ObjectSprites.Line[10 * 128 + 10] && ObjectSprites.Line[118 * 128 + 118] && !ObjectSprites.Line[10 * 128 + 118], "a \\ diagonal");
        int gem = ObjectSprites.Gem.Count(p => p);
        Assert.InRange(gem, 2394 * 0.97, 2394 * 1.03);
        var gemPixels = Enumerable.Range(0, 128 * 128).Where(i => ObjectSprites.Gem[i]).ToArray();
        Assert.Equal(29, gemPixels.Min(i => i % 128));
        Assert.Equal(98, gemPixels.Max(i => i % 128));
        Assert.Equal(40, gemPixels.Min(i => i / 128));
        Assert.Equal(87, gemPixels.Max(i => i / 128));
    }

    [Fact]
    public void Gem_is_about_7_by_5_pixels_at_64()
    {
        var env = new GameEnv(EnvSpec.Parse("maze:yellow-gem@black"));
        var frame = env.Reset(GoldenLevels.Get(7).Seed).ToArray();
        var yellow = Enumerable.Range(0, 64 * 64).Where(p => frame[p * 3] == 255 && frame[p * 3 + 1] == 255 && frame[p * 3 + 2] == 0).ToArray();
        int width = yellow.Max(p => p % 64) - yellow.Min(p => p % 64) + 1, height = yellow.Max(p => p / 64) - yellow.Min(p => p / 64) + 1;
        Assert.InRange(width, 6, 8);
        Assert.InRange(height, 4, 6);
    }

    [Fact]
    public void Mouse_is_grey_with_pink_ears_in_the_lower_half_and_mirrors_when_facing_right()
    {
        // 640 px: 128 px per cell, so the sprite maps 1:1 and mirroring is exact.
        var renderer = MazeRenderer.For(5, 640);
        var left = new byte[640 * 640 * 3];
        var right = new byte[640 * 640 * 3];
        renderer.DrawAgent(left, 2, 2, facingRight: false);
        renderer.DrawAgent(right, 2, 2, facingRight: true);
        int drawn = 0, grey = 0, pink = 0;
        for (int py = 0; py < 640; py++)
            for (int px = 0; px < 640; px++)
            {
                int i = (py * 640 + px) * 3;
                if (left[i] == 0 && left[i + 1] == 0 && left[i + 2] == 0) continue;
                drawn++;
                Assert.InRange(px, 256, 383);     // its cell (2, 2)
                Assert.InRange(py, 256 + 64, 383); // lower half
                if ((left[i], left[i + 1], left[i + 2]) == (187, 203, 204)) grey++;
                if (left[i] > 200 && left[i + 1] < 190 && left[i + 2] < 200 && left[i] - left[i + 1] > 40) pink++;
                int mirrored = (py * 640 + (256 + 383 - px)) * 3;
                Assert.Equal((left[i], left[i + 1], left[i + 2]), (right[mirrored], right[mirrored + 1], right[mirrored + 2]));
            }
        Assert.True(grey > drawn / 2, "mostly the grey body");
        Assert.True(pink > 50, "pink ears");
    }

    [Fact]
    public void Grey_background_is_127()
    {
        var env = new GameEnv(EnvSpec.Parse("maze:invisible-gem@grey"));
        var frame = env.Reset(0);
        // Cell (4, 4) is open in level 0 (top-right).
        for (int py = 0; py < 13; py++)
            for (int px = 51; px < 64; px++)
                Assert.Equal(127, frame[(py * 64 + px) * 3 + 1]);
    }

    [Fact]
    public void Textured_background_is_the_level_s_texture()
    {
        var env = new GameEnv(EnvSpec.Parse("maze:invisible-gem@textured"));
        var renderer = MazeRenderer.For(5, 64);
        foreach (var g in GoldenLevels.Levels.Take(12))
        {
            var frame = env.Reset(g.Seed);
            var layer = renderer.TextureLayer(g.BackgroundIndex);
            // Top-right cell (4, 4) when open shows the texture unchanged.
            if (g.PictureTrain[0][4] != '.') continue;
            for (int py = 0; py < 13; py++)
                for (int px = 51; px < 64; px++)
                    Assert.Equal(layer[(py * 64 + px) * 3], frame[(py * 64 + px) * 3]);
        }
    }
}
