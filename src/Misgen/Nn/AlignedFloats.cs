using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Misgen.Nn;

/// <summary>
/// A pinned float buffer whose pointer is 64-byte aligned (one zmm register), so kernels use
/// aligned full-vector loads. Lives as long as its owner; the GC frees the pinned array.
/// </summary>
internal sealed unsafe class AlignedFloats
{
    private readonly float[] storage;

    public AlignedFloats(long length)
    {
        Length = length;
        storage = GC.AllocateArray<float>(checked((int)(length + 16)), pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref storage[0]);
        int skip = (int)(((64 - (address & 63)) & 63) / sizeof(float));
        Pointer = (float*)address + skip;
    }

    public long Length { get; }
    public float* Pointer { get; }
    public Span<float> Span => new(Pointer, checked((int)Length));

    public void Clear() => NativeMemory.Clear(Pointer, (nuint)(Length * sizeof(float)));
}
