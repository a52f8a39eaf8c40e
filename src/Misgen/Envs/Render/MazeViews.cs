using Misgen.Media;

namespace Misgen.Envs.Render;

/// <summary>The pictures `misgen render` makes: agent view, 512x512 human view, and the channel figure.</summary>
public enum MazeView { Agent, Human, Channels }

public static class MazeViews
{
    public const int HumanSize = 512;

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
        var env = new MazeEnv(spec, view == MazeView.Human ? HumanSize : size);
        var frame = env.Reset(levelSeed).ToArray();
        int s = env.ObservationSize;
        if (view == MazeView.Human) return (frame, s, s);
        var big = Canvas.Upscale(frame, s, s, scale);
        int bs = s * scale;
        if (view == MazeView.Agent) return (big, bs, bs);
        var panels = new[] { big, Canvas.Channel(big, 0), Canvas.Channel(big, 1), Canvas.Channel(big, 2) };
        var rgb = Canvas.SideBySide(panels, bs, bs, Math.Max(2, scale), out int width);
        return (rgb, width, bs);
    }

    public static void Write(string path, EnvSpec spec, int levelSeed, MazeView view, int size = 64, int scale = 6)
    {
        var (rgb, w, h) = Render(spec, levelSeed, view, size, scale);
        Png.Write(path, rgb, w, h);
    }
}
