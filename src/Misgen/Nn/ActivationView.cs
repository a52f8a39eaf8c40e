namespace Misgen.Nn;

/// <summary>
/// One observation's activation at one hook point, as the kernels store it (channels innermost, padded,
/// with a zero border), seen in PyTorch's (channel, y, x) coordinates. Vectors (embedder.fc, the heads) are
/// C x 1 x 1. Indices are checked, so an edit can never touch the padding or the border the kernels rely on.
/// Valid only during the <see cref="ActivationEdit.Apply"/> call that received it.
/// </summary>
public readonly unsafe ref struct ActivationView
{
    private readonly float* origin;    // channel 0 of pixel (0, 0)
    private readonly int pixelStride;  // floats from one pixel to the next in a row
    private readonly int rowStride;    // floats from one row to the next

    internal ActivationView(float* origin, int channels, int height, int width, int pixelStride, int rowStride)
    {
        this.origin = origin;
        Channels = channels;
        Height = height;
        Width = width;
        this.pixelStride = pixelStride;
        this.rowStride = rowStride;
    }

    internal static ActivationView Of(float* plane, Plane geometry) =>
        new(plane + geometry.Offset(0, 0), geometry.Channels, geometry.Height, geometry.Width, geometry.Stride, (geometry.Width + 2) * geometry.Stride);

    internal static ActivationView OfVector(float* row, int features) => new(row, features, 1, 1, 0, 0);

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Values of one observation: Channels x Height x Width.</summary>
    public int Count => Channels * Height * Width;

    public ref float this[int channel, int y, int x]
    {
        get
        {
            if ((uint)channel >= (uint)Channels || (uint)y >= (uint)Height || (uint)x >= (uint)Width)
                throw new IndexOutOfRangeException($"({channel}, {y}, {x}) is outside {Channels}x{Height}x{Width}");
            return ref origin[y * rowStride + x * pixelStride + channel];
        }
    }

    /// <summary>The whole activation in CHW order into <paramref name="chw"/> (<see cref="Count"/> values).</summary>
    public void CopyTo(Span<float> chw)
    {
        CheckLength(chw.Length);
        int area = Height * Width;
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                float* p = origin + y * rowStride + x * pixelStride;
                int at = y * Width + x;
                for (int c = 0; c < Channels; c++) chw[c * area + at] = p[c];
            }
    }

    /// <summary>Replaces the whole activation by <paramref name="chw"/> (CHW order).</summary>
    public void CopyFrom(ReadOnlySpan<float> chw)
    {
        CheckLength(chw.Length);
        int area = Height * Width;
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                float* p = origin + y * rowStride + x * pixelStride;
                int at = y * Width + x;
                for (int c = 0; c < Channels; c++) p[c] = chw[c * area + at];
            }
    }

    /// <summary>activation += scale * chw (CHW order).</summary>
    public void AddScaled(ReadOnlySpan<float> chw, float scale)
    {
        CheckLength(chw.Length);
        int area = Height * Width;
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                float* p = origin + y * rowStride + x * pixelStride;
                int at = y * Width + x;
                for (int c = 0; c < Channels; c++) p[c] += scale * chw[c * area + at];
            }
    }

    /// <summary>Sum of one channel over all positions.</summary>
    public float ChannelSum(int channel)
    {
        CheckChannel(channel);
        float sum = 0;
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++) sum += origin[y * rowStride + x * pixelStride + channel];
        return sum;
    }

    /// <summary>Every position of one channel set to <paramref name="value"/>.</summary>
    public void FillChannel(int channel, float value)
    {
        CheckChannel(channel);
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++) origin[y * rowStride + x * pixelStride + channel] = value;
    }

    /// <summary>Every position of one channel multiplied by <paramref name="factor"/>.</summary>
    public void ScaleChannel(int channel, float factor)
    {
        CheckChannel(channel);
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++) origin[y * rowStride + x * pixelStride + channel] *= factor;
    }

    /// <summary>One channel replaced by <paramref name="hw"/> (Height x Width, row-major).</summary>
    public void CopyChannelFrom(int channel, ReadOnlySpan<float> hw)
    {
        CheckChannel(channel);
        if (hw.Length != Height * Width) throw new ArgumentException($"a channel has {Height * Width} values, got {hw.Length}");
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++) origin[y * rowStride + x * pixelStride + channel] = hw[y * Width + x];
    }

    private void CheckChannel(int channel)
    {
        if ((uint)channel >= (uint)Channels) throw new ArgumentOutOfRangeException(nameof(channel), channel, $"valid: 0..{Channels - 1}");
    }

    private void CheckLength(int length)
    {
        if (length != Count) throw new ArgumentException($"the activation has {Count} values ({Channels}x{Height}x{Width}), got {length}");
    }
}
