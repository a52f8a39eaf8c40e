using System.CommandLine;
using Misgen.Bench;

namespace Misgen.Cli.Verbs;

/// <summary>Temporary `misgen bench-nn` until `misgen bench nn` (BenchVerb) lands; runs <see cref="NnBench"/>.</summary>
internal static class NnBenchVerb
{
    public static Command Create()
    {
        var caseArgument = new Argument<string[]>("case") { Description = "forward-64, train-64, forward-32, train-32 (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var threads = new Option<int?>("--threads") { Description = "thread count (default: 1 and all cores)" };
        var json = new Option<bool>("--json") { Description = "one JSON object per line" };
        var repeats = new Option<int>("--repeats") { Description = "timed repeats per case (the median is reported)", DefaultValueFactory = _ => 5 };
        var command = new Command("bench-nn", "Network core throughput (IMPALA-CNN forward and training samples/s).") { caseArgument, threads, json, repeats };
        command.SetAction(parse =>
        {
            var cases = parse.GetValue(caseArgument);
            NnBench.Run(parse.GetValue(threads), parse.GetValue(json), Console.Out, cases is { Length: > 0 } ? cases : null, Math.Max(1, parse.GetValue(repeats)));
            return Cli.Done;
        });
        return command;
    }
}
