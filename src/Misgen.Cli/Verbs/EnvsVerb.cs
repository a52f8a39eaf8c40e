using Misgen.Envs.Maze;
using System.CommandLine;
using Misgen.Envs;

namespace Misgen.Cli.Verbs;

internal static class EnvsVerb
{
    public static Command Create()
    {
        var command = new Command("envs", "List the games, objects, backgrounds and env spec options.");
        command.SetAction(_ =>
        {
            Console.WriteLine("Env spec: GAME:OBJ1[+OBJ2][@BACKGROUND][;key=value...]");
            Console.WriteLine("  e.g. maze:yellow-line@textured (training), maze:red-line+yellow-gem@black;size=5 (duel)");
            Console.WriteLine();
            Console.WriteLine("Games:");
            Console.WriteLine("  maze   colour-versus-shape maze (procgen Maze II). One object: training game, reaching it gives +10.");
            Console.WriteLine("         Two objects: duel, obj1 +10, obj2 -10; either ends the episode. Agent starts bottom-left.");
            Console.WriteLine();
            Console.WriteLine("Objects (COLOUR-SHAPE):");
            Console.WriteLine($"  colours: {string.Join(", ", MazeObject.PureColours.Select(c => c.ToString().ToLowerInvariant()))}");
            Console.WriteLine("  shapes:  line (thick diagonal band), gem");
            Console.WriteLine("  also:    invisible-gem (not drawn, still rewarding)");
            Console.WriteLine();
            Console.WriteLine("Backgrounds:");
            Console.WriteLine("  black     (default) pure black");
            Console.WriteLine("  grey      grey 127");
            Console.WriteLine($"  textured  one of nine generated textures, chosen by the level seed: {string.Join(", ", Misgen.Envs.Procgen.Textures.Names)}");
            Console.WriteLine();
            Console.WriteLine("Options:");
            Console.WriteLine($"  size=N     world size in cells, odd 3..25 (default {EnvSpec.DefaultWorldSize})");
            Console.WriteLine($"  timeout=N  steps before the episode is truncated, 1..{EnvSpec.MaxTimeout} (default {EnvSpec.DefaultTimeout})");
            Console.WriteLine();
            Console.WriteLine("Actions: 15 (procgen): left 0,1,2  down 3  up 5  right 6,7,8  noop 4,9..14");
            return Cli.Done;
        });
        return command;
    }
}
