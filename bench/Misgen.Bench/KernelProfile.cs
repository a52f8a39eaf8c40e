using System.Globalization;
using System.Runtime.InteropServices;
using Misgen.Nn;

namespace Misgen.Bench;

/// <summary>
/// Per-kernel GFLOP/s at the IMPALA shapes, timed in thread CPU time (robust on a shared machine):
/// which kernel to tune next. `misgen bench-nn --kernels`.
/// </summary>
public static unsafe partial class KernelProfile
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    /// <summary>CPU seconds consumed by the calling thread (falls back to wall time off Linux).</summary>
    public static double ThreadCpuSeconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(3, out var t) == 0) return t.Seconds + t.Nanoseconds * 1e-9;
        return System.Diagnostics.Stopwatch.GetTimestamp() / (double)System.Diagnostics.Stopwatch.Frequency;
    }

    private static double Time(Action action, int repeats)
    {
        action();
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            double start = ThreadCpuSeconds();
            action();
            times[r] = ThreadCpuSeconds() - start;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }

    public static void Run(TextWriter output)
    {
        (string Name, int Size, int Cin, int CinStride, int Cout)[] shapes =
        [
            ("b1.conv 64 3->16", 64, 3, 3, 16),
            ("b1.res 32 16->16", 32, 16, 16, 16),
            ("b2.conv 32 16->32", 32, 16, 16, 32),
            ("b2.res 16 32->32", 16, 32, 32, 32),
            ("b3.conv 16 32->32", 16, 32, 32, 32),
            ("b3.res 8 32->32", 8, 32, 32, 32),
            ("b3.res 4 32->32", 4, 32, 32, 32),
        ];
        output.WriteLine($"{"shape",-20} {"fwd GF/s",9} {"wgrad GF/s",11}");
        foreach (var (name, size, cin, stride, cout) in shapes)
        {
            var inPlane = new Plane(size, size, cin, stride);
            var outPlane = Plane.Of(size, size, cout);
            int count = 64;
            var input = new AlignedFloats((long)count * inPlane.Floats);
            var output2 = new AlignedFloats((long)count * outPlane.Floats);
            var weights = new AlignedFloats(9 * stride * outPlane.Stride);
            var bias = new AlignedFloats(outPlane.Stride);
            var rng = new Rng(1);
            for (long i = 0; i < input.Length; i++) input.Pointer[i] = (float)rng.NextDouble();
            for (long i = 0; i < output2.Length; i++) output2.Pointer[i] = (float)rng.NextDouble();
            for (long i = 0; i < weights.Length; i++) weights.Pointer[i] = (float)rng.NextDouble();
            double flops = 2.0 * size * size * cin * cout * 9 * count;
            double forward = Time(() =>
            {
                for (int n = 0; n < count; n++)
                    ConvKernels.Forward(input.Pointer + (long)n * inPlane.Floats, inPlane, weights.Pointer, bias.Pointer, output2.Pointer + (long)n * outPlane.Floats, outPlane, null);
            }, 5);
            var dw = new AlignedFloats(weights.Length);
            double wgrad = Time(() =>
            {
                for (int n = 0; n < count; n++)
                    ConvKernels.WeightGrad(input.Pointer + (long)n * inPlane.Floats, inPlane, output2.Pointer + (long)n * outPlane.Floats, outPlane, dw.Pointer, bias.Pointer);
            }, 5);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-20} {flops / forward / 1e9,9:F1} {flops / wgrad / 1e9,11:F1}"));
        }
    }
}
