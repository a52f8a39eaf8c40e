using Misgen.Envs;

namespace Misgen.Media;

/// <summary>The pictures `misgen render` makes: the agent view, the human view, and the channels figure.</summary>
public enum GameView { Agent, Human, Channels }

/// <summary>
/// Pictures of any game's levels: the agent view (the observation, upscaled), the human view (the game's
/// antialiased view, 512 px for procgen games) and the channels figure (the agent view beside each
/// observation channel as a grey picture: R, G and B for procgen games, the planes of a gridworld).
/// </summary>
public static class GameViews
{
    public static IReadOnlyList<string> Names { get; } = ["agent", "human", "channels"];

    /// <summary>Pixels of one rendered figure, all panels together (docs/LIMITS.md): 192 MB of RGB.</summary>
    public const long MaxPixels = 1L << 26;

    public static GameView Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "agent" => GameView.Agent,
        "human" => GameView.Human,
        "channels" => GameView.Channels,
        _ => throw MisgenInputException.Unknown("view", text, Names),
    };

    /// <summary>The first observation of level <paramref name="levelSeed"/>; <paramref name="size"/> 0 is the game's default.</summary>
    public static (byte[] Rgb, int Width, int Height) Render(EnvSpec spec, int levelSeed, GameView view, int size = 0, int scale = 6)
    {
        var game = spec.Game.CreateGame(spec);
        game.Reset(levelSeed);
        return Render(game, view, size, scale);
    }

    /// <summary>The current state of <paramref name="game"/> (e.g. an edited level) as a picture.</summary>
    public static (byte[] Rgb, int Width, int Height) Render(IGame game, GameView view, int size = 0, int scale = 6)
    {
        var definition = game.Spec.Game;
        if (scale < 1 || scale > 64) throw new MisgenInputException($"scale {scale} is invalid; valid: 1..64");
        if (view == GameView.Human)
        {
            // procgen's human view is antialiased: draw at twice the size and average 2x2 blocks.
            int human = definition.HumanViewSize;
            var large = Draw(definition.CreateHumanRenderer(game.Spec, 2 * human), game);
            return (Compose.HalveSize(large, 2 * human), human, human);
        }
        var renderer = definition.CreateRenderer(game.Spec, size == 0 ? definition.DefaultObservationSize : size);
        var observation = Draw(renderer, game);
        int s = renderer.Shape.Size, bs = s * scale;
        var picture = Upscale.Nearest(definition.ToRgb(observation, renderer.Shape), s, s, scale);
        if (view == GameView.Agent) return (picture, bs, bs);
        var big = Upscale.Nearest(observation, s, s, scale, renderer.Shape.Channels);
        var panels = new List<byte[]> { picture };
        for (int c = 0; c < renderer.Shape.Channels; c++) panels.Add(Compose.ChannelAsGrey(big, renderer.Shape.Channels, c));
        var rgb = Compose.SideBySide(panels, bs, bs, Math.Max(2, scale), out int width);
        return (rgb, width, bs);
    }

    private static byte[] Draw(IGameRenderer renderer, IGame game)
    {
        var layer = new byte[renderer.LayerBytes];
        var frame = new byte[renderer.FrameBytes];
        renderer.DrawLevel(game, layer);
        renderer.DrawFrame(game, layer, frame);
        return frame;
    }

    /// <summary>A grid of pictures: one row per spec, one column per level seed, white gaps between them.</summary>
    public static (byte[] Rgb, int Width, int Height) RenderGrid(IReadOnlyList<EnvSpec> specs, IReadOnlyList<int> levelSeeds,
                                                               GameView view, int size = 0, int scale = 6)
    {
        if (specs.Count == 0 || levelSeeds.Count == 0) throw new MisgenInputException("render needs at least one spec and one level");
        if (specs.Count * levelSeeds.Count > 256) throw new MisgenInputException($"{specs.Count * levelSeeds.Count} pictures is too many; valid: up to 256 (specs x levels)");
        // Checked before anything is drawn: a large --size times --scale would otherwise allocate without bound.
        long pixels = 0;
        foreach (var spec in specs)
        {
            var game = spec.Game;
            long side = view == GameView.Human ? game.HumanViewSize : (long)(size == 0 ? game.DefaultObservationSize : size) * scale;
            pixels += levelSeeds.Count * side * side * (view == GameView.Channels ? 1 + game.ObservationChannels : 1);
        }
        if (pixels > MaxPixels)
            throw new MisgenInputException($"the picture would have {pixels:N0} pixels (size {size} x scale {scale}, {specs.Count * levelSeeds.Count} pictures); " +
                                           $"valid: up to {MaxPixels:N0}");
        int gap = view == GameView.Human ? 16 : Math.Max(4, 2 * scale);
        var rows = new List<byte[]>();
        int width = 0, height = 0, rowWidth = 0;
        foreach (var spec in specs)
        {
            var pictures = new List<byte[]>();
            foreach (int level in levelSeeds)
            {
                var (rgb, w, h) = Render(spec, level, view, size, scale);
                if (pictures.Count > 0 && (w, h) != (width, height))
                    throw new MisgenInputException($"'{spec}' renders {w}x{h} pictures, the others {width}x{height}; render specs of one size together");
                pictures.Add(rgb);
                (width, height) = (w, h);
            }
            var row = pictures.Count == 1 ? pictures[0] : Compose.SideBySide(pictures, width, height, gap, out _);
            int thisWidth = levelSeeds.Count * width + (levelSeeds.Count - 1) * gap;
            if (rows.Count > 0 && thisWidth != rowWidth)
                throw new MisgenInputException($"'{spec}' renders {thisWidth}-pixel rows, the others {rowWidth}; render specs of one size together");
            rowWidth = thisWidth;
            rows.Add(row);
        }
        var grid = rows.Count == 1 ? rows[0] : Compose.Stack(rows, rowWidth, height, gap, out _);
        return (grid, rowWidth, rows.Count * height + (rows.Count - 1) * gap);
    }

    public static void Write(string path, IReadOnlyList<EnvSpec> specs, IReadOnlyList<int> levelSeeds, GameView view, int size = 0, int scale = 6)
    {
        var (rgb, w, h) = RenderGrid(specs, levelSeeds, view, size, scale);
        Png.Write(path, rgb, w, h);
    }
}
