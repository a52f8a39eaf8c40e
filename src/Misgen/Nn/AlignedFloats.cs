using System.Runtime.InteropServices;

namespace Misgen.Nn;

/// <summary>
/// Zeroed native memory aligned to 64 bytes (one zmm register), so kernels use full-vector loads
/// that never split cache lines, and buffers may exceed 2^31 floats (a large training minibatch).
/// Freed by the finalizer when its owner is collected; the GC is told about the size.
/// </summary>
internal sealed unsafe class AlignedFloats
{
    private readonly long bytes;

    public AlignedFloats(long length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
        Length = length;
        bytes = (length + 16) * sizeof(float); // slack: kernels may read one vector past the end
        Pointer = (float*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        NativeMemory.Clear(Pointer, (nuint)bytes);
        GC.AddMemoryPressure(bytes);
    }

    ~AlignedFloats()
    {
        NativeMemory.AlignedFree(Pointer);
        GC.RemoveMemoryPressure(bytes);
    }

    public long Length { get; }
    public float* Pointer { get; }
    public Span<float> Span => new(Pointer, checked((int)Length));

    public void Clear() => NativeMemory.Clear(Pointer, (nuint)(Length * sizeof(float)));
}
