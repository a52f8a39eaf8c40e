using System.CommandLine;
using Misgen.Envs;
using Misgen.Envs.Render;

namespace Misgen.Cli.Verbs;

internal static class RenderVerb
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "Env spec, e.g. maze:yellow-line@textured or maze:red-line+yellow-gem@black" };
        var level = new Option<int>("--level") { Description = "Level seed", DefaultValueFactory = _ => 0 };
        var view = new Option<string>("--view") { Description = "agent (observation, upscaled), human (512x512) or channels (agent view + R, G, B as grey)", DefaultValueFactory = _ => "agent" };
        var scale = new Option<int>("--scale") { Description = "Nearest-neighbour upscale of the agent and channels views", DefaultValueFactory = _ => 6 };
        var size = new Option<int>("--size") { Description = "Observation size S of the agent view (S x S pixels)", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--out") { Description = "PNG file to write", Required = true };
        var command = new Command("render", "Draw the first frame of a level as a PNG.") { spec, level, view, scale, size, output };
        command.SetAction(parseResult =>
        {
            var envSpec = EnvSpec.Parse(parseResult.GetValue(spec)!);
            var kind = MazeViews.Parse(parseResult.GetValue(view)!);
            int seed = parseResult.GetValue(level);
            if (seed < 0) throw new MisgenInputException($"level seed {seed} is invalid; valid: 0..{int.MaxValue}");
            string path = parseResult.GetValue(output)!;
            MazeViews.Write(path, envSpec, seed, kind, parseResult.GetValue(size), parseResult.GetValue(scale));
            Console.WriteLine($"wrote {path}");
            return Cli.Done;
        });
        return command;
    }
}
