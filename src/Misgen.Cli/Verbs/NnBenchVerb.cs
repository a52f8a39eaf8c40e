using System.CommandLine;
using Misgen.Bench;

namespace Misgen.Cli.Verbs;

/// <summary>`misgen bench-nn`: the nn cases one by one (`misgen bench nn` runs them all), plus the PyTorch cross-check export and the kernel profile.</summary>
internal static class NnBenchVerb
{
    public static Command Create()
    {
        var caseArgument = new Argument<string[]>("case") { Description = "forward-64, train-64, forward-32, train-32 (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var threads = new Option<int?>("--threads") { Description = "thread count (default: 1 and all cores)." }.Threads();
        var json = new Option<bool>("--json") { Description = "one JSON object per line" };
        var repeats = new Option<int>("--repeats") { Description = "timed repeats per case (the median is reported).", DefaultValueFactory = _ => 5 }.Within(1, 1000);
        var export = new Option<string?>("--export") { Description = "instead of timing, write a model, observations and Misgen's outputs to this folder for bench/torch_reference.py --check" };
        var kernels = new Option<bool>("--kernels") { Description = "per-kernel GFLOP/s at the IMPALA shapes (thread CPU time)" };
        var command = new Command("bench-nn", "Network-core benchmark cases one by one (forward cases also on ONNX Runtime), the PyTorch cross-check export (--export) and per-kernel GFLOP/s (--kernels).") { caseArgument, threads, json, repeats, export, kernels };
        command.SetAction(parse =>
        {
            if (parse.GetValue(kernels))
            {
                KernelProfile.Run(Console.Out);
                return Cli.Done;
            }
            if (parse.GetValue(export) is { } folder)
            {
                NnBench.ExportCrossCheck(folder, Console.Out);
                return Cli.Done;
            }
            var cases = parse.GetValue(caseArgument);
            NnBench.Run(parse.GetValue(threads), parse.GetValue(json), Console.Out, cases is { Length: > 0 } ? cases : null, parse.GetValue(repeats));
            return Cli.Done;
        });
        return command;
    }
}
