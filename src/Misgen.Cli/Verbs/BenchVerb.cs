using System.CommandLine;
using Misgen.Bench;

namespace Misgen.Cli.Verbs;

internal static class BenchVerb
{
    public static Command Create()
    {
        var what = new Argument<string>("what") { Description = $"Which benchmark: {string.Join(", ", BenchCatalogue.All.Keys)}" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line instead of a table" };
        var threads = new Option<int?>("--threads") { Description = "Thread count (default: run each case on 1 and on all cores)" };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per case and thread count", DefaultValueFactory = _ => 2.0 };
        var command = new Command("bench", "Measure throughput (figures recorded in BENCHMARKS.md).") { what, json, threads, seconds };
        command.SetAction(parseResult =>
        {
            string name = parseResult.GetValue(what)!.Trim().ToLowerInvariant();
            if (!BenchCatalogue.All.TryGetValue(name, out var run))
                throw MisgenInputException.Unknown("benchmark", name, BenchCatalogue.All.Keys);
            int? count = parseResult.GetValue(threads);
            if (count is < 1 or > 1024) throw new MisgenInputException($"--threads {count} is invalid; valid: 1..1024");
            double time = parseResult.GetValue(seconds);
            if (!(time > 0 && time <= 3600)) throw new MisgenInputException($"--seconds {time} is invalid; valid: more than 0, up to 3600");
            bool asJson = parseResult.GetValue(json);
            run(BenchOptions.For(count, time), result => BenchReport.Print(result, asJson, Console.Out));
            return Cli.Done;
        });
        return command;
    }
}
