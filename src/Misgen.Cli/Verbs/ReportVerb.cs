using System.CommandLine;
using Misgen.Analysis;
using Misgen.Eval;
using Misgen.Interp;

namespace Misgen.Cli.Verbs;

internal static class ReportVerb
{
    public static Command Create()
    {
        var results = new Argument<string>("results") { Description = "The results database (results.db)" };
        var output = new Option<string>("--out") { Description = "The HTML file to write", DefaultValueFactory = _ => "report.html" };
        var title = new Option<string>("--title") { Description = "Report title", DefaultValueFactory = _ => "Misgen study report" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the isolation forest", DefaultValueFactory = _ => 0 };
        var command = new Command("report",
            "Write the study as one self-contained HTML file: setup, per-setting scatter plots, agents x settings table, OLS, outliers, training curves.")
        {
            results, output, title, seed,
        };
        command.SetAction(parseResult =>
        {
            using var store = ResultsStore.OpenRead(parseResult.GetValue(results)!);
            string path = Path.GetFullPath(parseResult.GetValue(output)!);
            StudyReport.Write(store, path, new ReportOptions
            {
                Title = parseResult.GetValue(title)!,
                Outliers = new OutlierOptions(Seed: parseResult.GetValue(seed)),
                // Agents whose directories still hold their weights get a GIF of their unusual behaviour.
                OutlierGif = OutlierVideos.From(store),
                Inside = ReportPictures.From(),
            });
            Console.WriteLine($"wrote {path}");
            return Cli.Done;
        });
        return command;
    }
}
