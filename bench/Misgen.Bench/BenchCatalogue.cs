namespace Misgen.Bench;

/// <summary>What a bench run was asked for: the thread counts to run each case on and the time per measurement.</summary>
/// <param name="Threads">Thread counts, e.g. [1, 2] (default: 1 and all cores).</param>
/// <param name="Seconds">Measured time per case and thread count (after a short warm-up).</param>
public sealed record BenchOptions(IReadOnlyList<int> Threads, double Seconds = 2.0)
{
    /// <summary>1 and all cores (just 1 on a single-core machine), or the one count asked for.</summary>
    public static BenchOptions For(int? threads, double seconds = 2.0) =>
        new(threads is { } t ? [t] : Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1], seconds);
}

/// <summary>
/// The throughput benchmarks behind `misgen bench WHAT`, by name. Each entry runs its cases for every
/// thread count in the options and reports each figure through the callback as soon as it is measured.
/// To add a benchmark (nn, train, eval), add one line here pointing at its Run method.
/// </summary>
public static class BenchCatalogue
{
    public static IReadOnlyDictionary<string, Action<BenchOptions, Action<BenchResult>>> All { get; } =
        new SortedDictionary<string, Action<BenchOptions, Action<BenchResult>>>(StringComparer.Ordinal)
        {
            ["env"] = EnvBench.Run,
            ["train"] = TrainBench.Run,
            ["eval"] = EvalBench.Run,
            ["nn"] = NnBench.Run,
            ["interp"] = InterpBench.Run,
        };

    /// <summary>Runs <paramref name="body"/> with the shared worker pool set to each thread count in turn.</summary>
    public static void ForEachThreadCount(BenchOptions options, Action<int> body)
    {
        foreach (int threads in options.Threads)
        {
            WorkerPool.ConfigureShared(threads);
            body(threads);
        }
    }
}
