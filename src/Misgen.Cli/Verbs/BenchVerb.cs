using System.CommandLine;
using Misgen.Bench;

namespace Misgen.Cli.Verbs;

internal static class BenchVerb
{
    public static Command Create()
    {
        var what = new Argument<string>("what") { Description = $"Which benchmark: {string.Join(", ", BenchCatalogue.All.Keys)}" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line instead of a table" };
        var threads = new Option<int?>("--threads") { Description = "Thread count (default: run each case on 1 and on all cores)." }.Threads();
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per case and thread count.", DefaultValueFactory = _ => 2.0 }.Within(0, 3600);
        var command = new Command("bench", "Measure throughput (figures recorded in BENCHMARKS.md).") { what, json, threads, seconds };
        command.SetAction(parseResult =>
        {
            string name = parseResult.GetValue(what)!.Trim().ToLowerInvariant();
            if (!BenchCatalogue.All.TryGetValue(name, out var run))
                throw MisgenInputException.Unknown("benchmark", name, BenchCatalogue.All.Keys);
            int? count = parseResult.GetValue(threads);
            double time = parseResult.GetValue(seconds);
            bool asJson = parseResult.GetValue(json);
            run(BenchOptions.For(count, time), result => BenchReport.Print(result, asJson, Console.Out));
            return Cli.Done;
        });
        return command;
    }
}
