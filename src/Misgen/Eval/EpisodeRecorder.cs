using Misgen.Envs;
using Misgen.Media;
using Misgen.Nn;
using Misgen.Rl;

namespace Misgen.Eval;

/// <summary>
/// Replays one evaluation episode (same level, same per-episode action stream as the evaluator) and
/// keeps its agent-view frames, for videos of an agent doing what the numbers say it does.
/// </summary>
public static class EpisodeRecorder
{
    /// <summary>The agent-view frames (first frame before any action), at most <paramref name="maxFrames"/>, and the episode.</summary>
    public static (List<byte[]> Frames, Episode Episode) Record(IPolicy model, string agentName, Setting setting, int levelSeed, int maxFrames = 100)
    {
        using var envs = new VecEnv(setting.Env, 1, LevelSampler.Queue([levelSeed]), model.Config.InputSize, new WorkerPool(1));
        var rollout = PolicyRollout.WithEpisodeStreams(envs, model, level => ActionSampling.ForEpisode(agentName, setting.Spec, level));
        var frames = new List<byte[]>();
        // Frames are pictures: one-hot plane observations (gridworlds) are drawn as their game shows them.
        byte[] Frame() => envs.Shape.IsRgb ? envs.Observations.ToArray() : setting.Env.Game.ToRgb(envs.Observations, envs.Shape);
        rollout.Reset();
        while (true)
        {
            // The frame the agent sees; after the last step, the episode's end (the env keeps it once idle).
            if (frames.Count < maxFrames) frames.Add(Frame());
            if (envs.ActiveCount == 0) break;
            rollout.Act();
            rollout.Step();
            if (envs.Infos[0].IsEpisode)
            {
                if (frames.Count < maxFrames) frames.Add(Frame());
                return (frames, Episode.From(envs.Infos[0], setting.Env.Game.Facts.Count));
            }
        }
        throw new InvalidOperationException("the episode never started");
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
