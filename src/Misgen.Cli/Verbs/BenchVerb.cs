using System.CommandLine;

namespace Misgen.Cli.Verbs;

internal static class BenchVerb
{
    public static Command Create() => new("bench", "Throughput benchmarks.");
}
