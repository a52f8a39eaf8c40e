using System.CommandLine;
using Misgen.Eval;
using Misgen.Interp;
using Misgen.Studies;

namespace Misgen.Cli.Verbs;

internal static class VideoVerb
{
    /// <summary>Frames of one GIF (a 500-step timeout needs 501); bounds the GIF's memory.</summary>
    private const int MaxFrames = 10_000;

    public static Command Create()
    {
        var agent = new Argument<string>("agent") { Description = "Agent directory (with model.safetensors)" };
        var setting = new Argument<string>("setting") { Description = "Env spec to play, e.g. maze:red-line+yellow-gem@textured" };
        var level = new Option<int?>("--level") { Description = "Level seed (the same episode misgen eval ran on it; default: the study's first evaluation level, 100000)." }.Within(0, int.MaxValue);
        var frames = new Option<int>("--frames") { Description = "At most this many frames.", DefaultValueFactory = _ => 100 }.Within(1, MaxFrames);
        var scale = new Option<int>("--scale") { Description = "Nearest-neighbour upscale factor.", DefaultValueFactory = _ => 6 }.Within(1, 32);
        var channels = new Option<bool>("--channels") { Description = "Show the R, G and B channels beside the image" };
        var output = new Option<string>("--out") { Description = "The GIF to write", DefaultValueFactory = _ => "episode.gif" };
        var patchInputs = new InterpInputs();
        var variant = new Option<string?>("--variant") { Description = "Name of the patched or intervened agent, as misgen eval stored it (default: from the patches)" };
        var command = new Command("video",
            "Write an animated GIF of an agent playing one level (200 ms per frame, upscaled, looping); with --patch or --intervention, the agent's variant (the episode misgen eval ran for it).")
        {
            agent, setting, level, frames, scale, channels, output, patchInputs.Patches, patchInputs.Intervention, variant,
        };
        command.SetAction(parseResult =>
        {
            int frameLimit = parseResult.GetValue(frames), factor = parseResult.GetValue(scale);
            var loaded = AgentDirectory.Load(parseResult.GetValue(agent)!);
            var s = StudyCatalogue.Resolve(parseResult.GetValue(setting)!);
            loaded = AgentVariant.Create(loaded, s.Env, patchInputs.PatchesOf(parseResult), patchInputs.InterventionOf(parseResult), parseResult.GetValue(variant));
            int levelSeed = parseResult.GetValue(level) ?? StudyCatalogue.For(s.Env).EvalStartLevel;
            var (recorded, episode) = EpisodeRecorder.Record(loaded.Model, loaded.Record.Name, s, levelSeed, frameLimit);
            byte[] gif = EpisodeRecorder.Gif(recorded, loaded.Model.Config.InputSize, factor, parseResult.GetValue(channels));
            string path = Path.GetFullPath(parseResult.GetValue(output)!);
            AtomicFile.WriteAllBytes(path, gif);
            Console.WriteLine($"wrote {path}: {recorded.Count} frames; the episode ended with {s.Env.Game.OutcomeName(episode.Outcome)} after {episode.Steps} steps");
            return Cli.Done;
        });
        return command;
    }
}
