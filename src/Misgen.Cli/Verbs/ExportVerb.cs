using System.CommandLine;
using Misgen.Eval;

namespace Misgen.Cli.Verbs;

internal static class ExportVerb
{
    public static Command Create()
    {
        var results = new Argument<string>("results") { Description = "The results database (results.db)" };
        var output = new Option<string>("--out")
        {
            Description = "Folder to write episodes.csv and metrics.csv into",
            DefaultValueFactory = _ => ".",
        };
        var command = new Command("export", "Write a results database as episodes.csv and metrics.csv for pandas.") { results, output };
        command.SetAction(parseResult =>
        {
            using var store = ResultsStore.OpenRead(parseResult.GetValue(results)!);
            var (episodes, metrics) = ResultsExport.Write(store, parseResult.GetValue(output)!);
            Console.WriteLine($"wrote {episodes} ({store.EpisodeCount()} episodes) and {metrics}");
            return Cli.Done;
        });
        return command;
    }
}
