using Misgen.Envs.Maze;
using Misgen.Envs;
using Misgen.Envs.Render;
using Misgen.Media;
using Misgen.Nn;

namespace Misgen.Eval;

/// <summary>
/// Replays one evaluation episode (same level, same per-episode action stream as the evaluator) and
/// keeps its agent-view frames, for videos of an agent doing what the numbers say it does.
/// </summary>
public static class EpisodeRecorder
{
    /// <summary>The agent-view frames (first frame before any action), at most <paramref name="maxFrames"/>, and the episode.</summary>
    public static (List<byte[]> Frames, Episode Episode) Record(ImpalaCnn model, string agentName, Setting setting, int levelSeed, int maxFrames = 100)
    {
        int size = model.Config.InputSize;
        var renderer = MazeRenderer.For(setting.Env.WorldSize, size);
        var game = new MazeGame(setting.Env);
        game.Reset(levelSeed);
        var rng = ActionSampling.ForEpisode(agentName, setting.Spec, levelSeed);
        var frame = new byte[renderer.FrameBytes];
        var logits = new float[model.Config.Actions];
        var value = new float[1];
        var frames = new List<byte[]>();
        while (true)
        {
            renderer.Draw(game, frame);
            if (frames.Count < maxFrames) frames.Add(frame.ToArray());
            if (game.IsDone) break;
            model.Forward(frame, 1, logits, value);
            game.Step(Categorical.Sample(logits, rng));
        }
        return (frames, Episode.From(game.Episode));
    }

    /// <summary>
    /// The study's GIF: frames upscaled <paramref name="scale"/>x nearest-neighbour (6 -> 384x384),
    /// 200 ms each; with <paramref name="channels"/> the R, G and B channels are shown beside the image.
    /// </summary>
    public static byte[] Gif(IReadOnlyList<byte[]> frames, int size, int scale = 6, bool channels = false)
    {
        var encoded = new List<byte[]>(frames.Count);
        int side = size * scale, width = side;
        foreach (byte[] f in frames)
        {
            byte[] big = Upscale.Nearest(f, size, size, scale);
            if (channels)
            {
                var split = ChannelSplit.SideBySide(big, side, side, gap: scale);
                big = split.Rgb;
                width = split.Width;
            }
            encoded.Add(big);
        }
        return Media.Gif.Encode(encoded, width, side, Media.Gif.DefaultDelayMs);
    }
}
