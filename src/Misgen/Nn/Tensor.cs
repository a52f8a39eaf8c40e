namespace Misgen.Nn;

/// <summary>A dense float32 tensor in PyTorch layout (NCHW for images, [N, F] for vectors), used at hook points.</summary>
public sealed class Tensor
{
    public Tensor(int[] shape, float[]? data = null)
    {
        Shape = shape;
        int count = 1;
        foreach (int d in shape) count *= d;
        Data = data ?? new float[count];
        if (Data.Length != count) throw new ArgumentException($"data has {Data.Length} values, shape needs {count}");
    }

    public int[] Shape { get; }
    public float[] Data { get; }
    public int Count => Data.Length;

    /// <summary>Element at NCHW index (n, c, y, x) of a rank-4 tensor.</summary>
    public ref float this[int n, int c, int y, int x] => ref Data[((n * Shape[1] + c) * Shape[2] + y) * Shape[3] + x];

    /// <summary>Element at (n, f) of a rank-2 tensor.</summary>
    public ref float this[int n, int f] => ref Data[n * Shape[1] + f];

    public Tensor Clone() => new((int[])Shape.Clone(), (float[])Data.Clone());

    public override string ToString() => $"Tensor[{string.Join(", ", Shape)}]";
}
