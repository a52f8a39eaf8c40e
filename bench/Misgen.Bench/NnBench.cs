using System.Diagnostics;
using System.Globalization;
using Misgen.Nn;

namespace Misgen.Bench;

/// <summary>
/// `misgen bench nn`: IMPALA-CNN 16/32/32 forward (batch 256) and training step (minibatch 1024:
/// forward, backward, gradient clipping, Adam) at 64x64 and 32x32, in samples/s and GFLOP/s
/// (a training step counts 3x the forward FLOPs). Each figure is the median of several timed repeats.
/// Each forward case is followed by the same case on ONNX Runtime (<see cref="OrtForward"/>: same
/// weights, observations, batch and thread count), reported with impl "onnxruntime".
/// </summary>
public static class NnBench
{
    public static readonly string[] Cases = ["forward-64", "train-64", "forward-32", "train-32"];

    public const string Misgen = "misgen", OnnxRuntime = "onnxruntime";

    public sealed record Result(string Case, int Threads, double SamplesPerSecond, double Gflops, int Batch, int Repeats,
                                double SamplesPerCpuSecond, string Impl);

    /// <summary>Runs the chosen cases (all when null) on the given thread counts (1 and all cores when null).</summary>
    public static IReadOnlyList<Result> Run(int? threads, bool json, TextWriter output, IEnumerable<string>? cases = null, int repeats = 5)
    {
        var chosen = (cases ?? Cases).ToArray();
        foreach (var c in chosen)
            if (!Cases.Contains(c)) throw MisgenInputException.Unknown("nn bench case", c, Cases);
        int[] threadCounts = threads is { } t ? [t] : Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
        var results = new List<Result>();
        if (!json) output.WriteLine($"{"case",-12} {"impl",-12} {"threads",7} {"batch",6} {"samples/s",11} {"GFLOP/s",8} {"samples/cpu-s",14}");
        foreach (var name in chosen)
            foreach (int count in threadCounts)
                foreach (var result in MeasureWithPeers(name, count, repeats))
                {
                    results.Add(result);
                    // JSON has no NaN or infinity (a zero CPU-time reading gives one): written as null.
                    static string J(double x) => double.IsFinite(x) ? x.ToString("F1", CultureInfo.InvariantCulture) : "null";
                    if (json)
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{{\"bench\": \"nn\", \"case\": \"{name}\", \"impl\": \"{result.Impl}\", \"threads\": {count}, \"value\": {J(result.SamplesPerSecond)}, \"unit\": \"samples/s\", \"gflops\": {J(result.Gflops)}, \"batch\": {result.Batch}, \"repeats\": {result.Repeats}, \"samples_per_cpu_second\": {J(result.SamplesPerCpuSecond)}}}"));
                    else
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{name,-12} {result.Impl,-12} {count,7} {result.Batch,6} {result.SamplesPerSecond,11:F1} {result.Gflops,8:F1} {result.SamplesPerCpuSecond,14:F1}"));
                }
        return results;
    }

    /// <summary>Misgen's figure for a case, then ONNX Runtime's when the case is a forward pass.</summary>
    public static IEnumerable<Result> MeasureWithPeers(string name, int threads, int repeats, double minSeconds = 0)
    {
        yield return Measure(name, threads, repeats, minSeconds);
        if (name.StartsWith("forward", StringComparison.Ordinal)) yield return Measure(name, threads, repeats, minSeconds, OnnxRuntime);
    }

    /// <summary>
    /// Writes what bench/torch_reference.py --check compares against PyTorch: for 64x64 and 32x32,
    /// a seeded 16/32/32 model (model-S.safetensors), 64 observations (obs-S.bin: bytes, HWC RGB)
    /// and Misgen's outputs on them (out-S.bin: float32 logits, then values).
    /// </summary>
    public static void ExportCrossCheck(string folder, TextWriter output)
    {
        Directory.CreateDirectory(folder);
        foreach (int size in new[] { 64, 32 })
        {
            const int count = 64;
            var model = new ImpalaCnn(new ImpalaConfig(size), 42);
            // Non-zero biases and livelier heads than the initial 0.01 gain, so the check has teeth.
            var rng = new Rng(43);
            foreach (var p in model.Parameters)
            {
                var v = p.Value;
                if (p.Shape.Length == 1) for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
                else if (p.Name == "fc_policy.weight") for (int i = 0; i < v.Length; i++) v[i] *= 100;
            }
            var obs = new byte[count * size * size * 3];
            for (int i = 0; i < obs.Length; i++) obs[i] = (byte)rng.NextInt(256);
            var logits = new float[count * 15];
            var values = new float[count];
            model.Forward(obs, count, logits, values);
            Safetensors.Save(Path.Combine(folder, $"model-{size}.safetensors"), model);
            AtomicFile.WriteAllBytes(Path.Combine(folder, $"obs-{size}.bin"), obs);
            var floats = new byte[(logits.Length + values.Length) * 4];
            for (int i = 0; i < logits.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(floats.AsSpan(4 * i), logits[i]);
            for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(floats.AsSpan(4 * (logits.Length + i)), values[i]);
            AtomicFile.WriteAllBytes(Path.Combine(folder, $"out-{size}.bin"), floats);
        }
        output.WriteLine($"wrote {folder}; compare with: /usr/bin/python3 bench/torch_reference.py --check {folder}");
    }

    /// <summary>`misgen bench nn` (BenchCatalogue): every case on each thread count, repeats filling about options.Seconds.</summary>
    public static void Run(BenchOptions options, Action<BenchResult> report)
    {
        foreach (var name in Cases)
            foreach (int threads in options.Threads)
            {
                Result? misgen = null;
                foreach (var r in MeasureWithPeers(name, threads, repeats: 3, minSeconds: options.Seconds))
                {
                    var extra = new Dictionary<string, object>
                    {
                        ["impl"] = r.Impl,
                        ["gflops"] = Math.Round(r.Gflops, 1),
                        ["batch"] = r.Batch,
                        ["repeats"] = r.Repeats,
                        ["samples_per_cpu_second"] = Math.Round(r.SamplesPerCpuSecond, 1),
                    };
                    if (r.Impl == OnnxRuntime && misgen is not null)
                    {
                        extra["onnxruntime"] = OrtForward.Version;
                        extra["misgen_speedup"] = Math.Round(misgen.SamplesPerSecond / r.SamplesPerSecond, 2);
                    }
                    misgen ??= r;
                    report(new BenchResult("nn", name, threads, r.SamplesPerSecond, "samples/s", extra));
                }
            }
    }

    /// <summary>
    /// Median samples/s of at least <paramref name="repeats"/> timed runs (more while under
    /// <paramref name="minSeconds"/>), on a private pool of <paramref name="threads"/> threads
    /// (for <see cref="OnnxRuntime"/>: on a session with that many intra-op threads).
    /// </summary>
    public static Result Measure(string name, int threads, int repeats, double minSeconds = 0, string impl = Misgen)
    {
        using var pool = new WorkerPool(threads);
        bool train = name.StartsWith("train", StringComparison.Ordinal);
        int size = name.EndsWith("64", StringComparison.Ordinal) ? 64 : 32;
        int batch = train ? 1024 : 256;
        if (impl != Misgen && (impl != OnnxRuntime || train)) throw MisgenInputException.Unknown($"implementation of {name}", impl, train ? [Misgen] : [Misgen, OnnxRuntime]);
        var config = new ImpalaConfig(size);
        var model = new ImpalaCnn(config, 1) { MaxBatch = batch, ThreadPool = pool };
        var rng = new Rng(2);
        var obs = new byte[batch * size * size * 3];
        for (int i = 0; i < obs.Length; i++) obs[i] = (byte)rng.NextInt(256);
        var logits = new float[batch * config.Actions];
        var values = new float[batch];
        var dLogits = new float[logits.Length];
        var dValues = new float[batch];
        for (int i = 0; i < dLogits.Length; i++) dLogits[i] = (float)(rng.NextDouble() - 0.5) / batch;
        for (int i = 0; i < batch; i++) dValues[i] = (float)(rng.NextDouble() - 0.5) / batch;
        var adam = new Adam(model.Parameters, 5e-4f);
        using var ort = impl == OnnxRuntime ? new OrtForward(model, obs, batch, threads) : null;
        void Once()
        {
            if (ort is not null)
            {
                ort.Run();
                return;
            }
            if (!train)
            {
                model.Forward(obs, batch, logits, values);
                return;
            }
            model.ZeroGrad();
            model.ForwardTrain(obs, batch, logits, values);
            model.Backward(dLogits, dValues);
            GradClip.ClipGlobalNorm(model.Parameters, 0.5f);
            adam.Step();
        }
        Once(); // warm-up: workspaces, JIT tiers
        Once();
        var seconds = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        while (seconds.Count < repeats || (clock.Elapsed.TotalSeconds < minSeconds && seconds.Count < 100))
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            Once();
            seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuStart).TotalSeconds);
        }
        seconds.Sort();
        cpu.Sort();
        double median = seconds[seconds.Count / 2];
        double samples = batch / median;
        double flops = config.ForwardFlops * (train ? 3 : 1);
        return new Result(name, threads, samples, samples * flops / 1e9, batch, seconds.Count, batch / cpu[cpu.Count / 2], impl);
    }
}
