namespace Misgen.Nn;

/// <summary>
/// One learnable tensor, under its PyTorch state-dict name and in its PyTorch layout
/// ([out, in, kh, kw] for convolutions, [out, in] for linear layers), with its gradient.
/// </summary>
public sealed class Parameter
{
    internal readonly float[] Data;
    internal readonly float[] GradData;

    public Parameter(string name, int[] shape)
    {
        Name = name;
        Shape = shape;
        int count = 1;
        foreach (int d in shape) count *= d;
        Data = GC.AllocateArray<float>(count, pinned: true); // kernels read some weights in place
        GradData = new float[count];
    }

    public string Name { get; }
    public int[] Shape { get; }
    public int Count => Data.Length;
    public Span<float> Value => Data;
    public Span<float> Grad => GradData;

    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
