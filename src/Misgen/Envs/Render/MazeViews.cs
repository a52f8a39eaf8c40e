using Misgen.Media;

namespace Misgen.Envs.Render;

/// <summary>The pictures `misgen render` makes: agent view, 512x512 human view, and the channel figure.</summary>
public enum MazeView { Agent, Human, Channels }

public static class MazeViews
{
    public const int HumanSize = 512;

    /// <summary>Pixels of one rendered picture, all panels together (docs/LIMITS.md): 192 MB of RGB.</summary>
    public const long MaxPixels = 1L << 26;

    public static IReadOnlyList<string> Names { get; } = ["agent", "human", "channels"];

    public static MazeView Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "agent" => MazeView.Agent,
        "human" => MazeView.Human,
        "channels" => MazeView.Channels,
        _ => throw MisgenInputException.Unknown("view", text, Names),
    };

    /// <summary>
    /// The first observation of level <paramref name="levelSeed"/> as an RGB picture: the agent view at
    /// <paramref name="size"/> upscaled by <paramref name="scale"/>, the human view (512 px, not upscaled), or the
    /// agent view beside its R, G and B channels as grey pictures (upscaled).
    /// </summary>
    public static (byte[] Rgb, int Width, int Height) Render(EnvSpec spec, int levelSeed, MazeView view, int size = 64, int scale = 6)
    {
        if (view == MazeView.Human)
        {
            // procgen's human view is antialiased: draw at twice the size and average 2x2 blocks.
            var large = new MazeEnv(spec, 2 * HumanSize).Reset(levelSeed);
            return (Canvas.HalveSize(large, 2 * HumanSize), HumanSize, HumanSize);
        }
        var env = new MazeEnv(spec, size);
        var frame = env.Reset(levelSeed).ToArray();
        int s = env.ObservationSize;
        var big = Canvas.Upscale(frame, s, s, scale);
        int bs = s * scale;
        if (view == MazeView.Agent) return (big, bs, bs);
        var panels = new[] { big, Canvas.Channel(big, 0), Canvas.Channel(big, 1), Canvas.Channel(big, 2) };
        var rgb = Canvas.SideBySide(panels, bs, bs, Math.Max(2, scale), out int width);
        return (rgb, width, bs);
    }

    /// <summary>A grid of pictures: one row per spec, one column per level seed, white gaps between them.</summary>
    public static (byte[] Rgb, int Width, int Height) RenderGrid(IReadOnlyList<EnvSpec> specs, IReadOnlyList<int> levelSeeds,
                                                               MazeView view, int size = 64, int scale = 6)
    {
        if (specs.Count == 0 || levelSeeds.Count == 0) throw new MisgenInputException("render needs at least one spec and one level");
        if (specs.Count * levelSeeds.Count > 256) throw new MisgenInputException($"{specs.Count * levelSeeds.Count} pictures is too many; valid: up to 256 (specs x levels)");
        // Checked before anything is drawn: a large --size times --scale would otherwise allocate without bound.
        long side = view == MazeView.Human ? HumanSize : (long)size * scale;
        long pixels = specs.Count * levelSeeds.Count * side * side * (view == MazeView.Channels ? 4 : 1);
        if (pixels > MaxPixels)
            throw new MisgenInputException($"the picture would have {pixels:N0} pixels (size {size} x scale {scale}, {specs.Count * levelSeeds.Count} pictures); " +
                                           $"valid: up to {MaxPixels:N0}");
        int gap = view == MazeView.Human ? 16 : Math.Max(4, 2 * scale);
        var rows = new List<byte[]>();
        int width = 0, height = 0;
        foreach (var spec in specs)
        {
            var pictures = new List<byte[]>();
            foreach (int level in levelSeeds)
            {
                var (rgb, w, h) = Render(spec, level, view, size, scale);
                pictures.Add(rgb);
                (width, height) = (w, h);
            }
            rows.Add(pictures.Count == 1 ? pictures[0] : Canvas.SideBySide(pictures, width, height, gap, out _));
        }
        int rowWidth = levelSeeds.Count * width + (levelSeeds.Count - 1) * gap;
        var grid = rows.Count == 1 ? rows[0] : Canvas.Stack(rows, rowWidth, height, gap, out _);
        return (grid, rowWidth, rows.Count * height + (rows.Count - 1) * gap);
    }

    public static void Write(string path, IReadOnlyList<EnvSpec> specs, IReadOnlyList<int> levelSeeds, MazeView view, int size = 64, int scale = 6)
    {
        var (rgb, w, h) = RenderGrid(specs, levelSeeds, view, size, scale);
        Png.Write(path, rgb, w, h);
    }
}
