using System.CommandLine;
using Misgen.Envs;
using Misgen.Media;

namespace Misgen.Cli.Verbs;

internal static class RenderVerb
{
    public static Command Create()
    {
        var specs = new Argument<string[]>("spec")
        {
            Description = "Env spec(s) of any game, e.g. maze:yellow-line@textured or maze:red-line+yellow-gem@black; several specs make rows",
            Arity = ArgumentArity.OneOrMore,
        };
        var levels = new Option<int[]>("--level")
        {
            Description = "Level seed(s); several (--level 0 1 2) make columns",
            DefaultValueFactory = _ => [0],
            AllowMultipleArgumentsPerToken = true,
        };
        var view = new Option<string>("--view") { Description = "agent (the observation, upscaled), human (the game's 512x512 view) or channels (agent view + each observation channel as grey)", DefaultValueFactory = _ => "agent" };
        var scale = new Option<int>("--scale") { Description = "Nearest-neighbour upscale of the agent and channels views.", DefaultValueFactory = _ => 6 }.Within(1, 32);
        var size = new Option<int>("--size") { Description = "Observation size S of the agent view (S x S pixels; 0, the default: the game's, 64 for procgen games).", DefaultValueFactory = _ => 0 }.Within(0, 4096);
        var output = new Option<string>("--out") { Description = "PNG file to write", Required = true };
        var command = new Command("render", "Draw the first frame of levels as a PNG (rows: specs, columns: levels).") { specs, levels, view, scale, size, output };
        command.SetAction(parseResult =>
        {
            var envSpecs = parseResult.GetValue(specs)!.Select(EnvSpec.Parse).ToArray();
            var kind = GameViews.Parse(parseResult.GetValue(view)!);
            int[] seeds = parseResult.GetValue(levels)!;
            foreach (int seed in seeds)
                if (seed < 0) throw new MisgenInputException($"level seed {seed} is invalid; valid: 0..{int.MaxValue}");
            int sizeValue = parseResult.GetValue(size);
            if (sizeValue < 0) throw new MisgenInputException($"--size {sizeValue} is invalid; valid: 0 (the game's default) or a size the game can draw");
            string path = parseResult.GetValue(output)!;
            GameViews.Write(path, envSpecs, seeds, kind, sizeValue, parseResult.GetValue(scale));
            Console.WriteLine($"wrote {path}");
            return Cli.Done;
        });
        return command;
    }
}
