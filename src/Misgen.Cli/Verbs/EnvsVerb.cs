using System.CommandLine;
using Misgen.Envs;
using Misgen.Rl;

namespace Misgen.Cli.Verbs;

internal static class EnvsVerb
{
    public static Command Create()
    {
        var command = new Command("envs", "List the games, their env spec grammar, options with defaults, outcomes, facts and actions.");
        command.SetAction(_ =>
        {
            Console.WriteLine("Env spec: GAME[:BODY][;key=value...]   (options only where they differ from the default)");
            foreach (var game in GameCatalogue.All)
            {
                Console.WriteLine();
                Console.WriteLine($"{game.Name}{(game.BodyGrammar.Length > 0 ? ":" + game.BodyGrammar : "")}");
                Console.WriteLine($"  {game.Summary}");
                Console.WriteLine($"  e.g. {string.Join(", ", game.Examples)}");
                foreach (string note in game.Notes) Console.WriteLine($"  {note}");
                if (game.Options.Count > 0)
                {
                    Console.WriteLine("  options:");
                    foreach (var o in game.Options)
                        Console.WriteLine($"    {o.Key + "=N",-12} {o.Help}; valid: {o.Valid} (default {o.Default})");
                }
                Console.WriteLine($"  outcomes: {string.Join(", ", game.Outcomes.Select(o => $"{o.Code} {o.Name}" + (o.IsSuccess ? " (success)" : o.IsTimeout ? " (truncated)" : "")))}");
                if (game.Facts.Count > 0) Console.WriteLine($"  facts per episode: {string.Join(", ", game.Facts)}");
                Console.WriteLine($"  observation: {game.DefaultObservationSize}x{game.DefaultObservationSize}x{game.ObservationChannels} ({string.Join(", ", game.ChannelNames)})");
                Console.WriteLine($"  actions: {game.Actions.Count}: {string.Join("  ", game.Actions.Groups.Select(g => $"{g.Name} {string.Join(",", g.Actions)}"))}");
                Console.WriteLine($"  level grid (misgen level): {string.Join("  ", game.Legend.Select(l => $"{l.Key} {l.Value}"))}");
                if (game.Presets.Count > 0)
                    Console.WriteLine($"  presets: {string.Join("; ", game.Presets.Select(p => $"{p.Name} ({p.Description})"))}");
            }
            Console.WriteLine();
            Console.WriteLine($"Standard presets for every game: {string.Join(", ", PpoConfig.PresetNames)}");
            return Cli.Done;
        });
        return command;
    }
}
