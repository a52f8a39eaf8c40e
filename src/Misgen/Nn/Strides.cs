namespace Misgen.Nn;

/// <summary>A channel stride known to the JIT when the kernel is specialised for it.</summary>
internal interface IStride
{
    static abstract int Value { get; }
}

internal readonly struct Stride3 : IStride { public static int Value => 3; }

/// <summary>Any other stride, read once per kernel call (per thread, as parts run on several threads).</summary>
internal readonly struct AnyStride : IStride
{
    [ThreadStatic] public static int Current;
    public static int Value => Current;
}
