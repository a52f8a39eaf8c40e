using System.CommandLine;
using Misgen.Envs;

namespace Misgen.Cli.Verbs;

internal static class LevelVerb
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "Env spec of any game, e.g. maze:red-line+yellow-gem@textured" };
        var level = new Option<int>("--level") { Description = "Level seed", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "One JSON object: {spec, seed, width, height, grid (top row first), legend, entities, agent}" };
        string legends = string.Join("; ", GameCatalogue.All.Select(g => $"{g.Name}: " + string.Join(" ", g.Legend.Select(l => $"{l.Key} {l.Value}"))));
        var command = new Command("level",
            "Describe a level in words: the grid, top row first, one character per tile, then the agent and the entities " +
            $"with their positions (x from the left, y from the bottom, in tiles). Legends: {legends}.")
        {
            spec, level, json,
        };
        command.SetAction(parseResult =>
        {
            var envSpec = EnvSpec.Parse(parseResult.GetValue(spec)!);
            int seed = parseResult.GetValue(level);
            if (seed < 0) throw new MisgenInputException($"level seed {seed} is invalid; valid: 0..{int.MaxValue}");
            var game = envSpec.Game.CreateGame(envSpec);
            game.Reset(seed);
            var description = game.Describe();
            Console.Write(parseResult.GetValue(json) ? description.ToJson() + "\n" : description.ToText());
            return Cli.Done;
        });
        return command;
    }
}
