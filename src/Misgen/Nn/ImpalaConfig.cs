namespace Misgen.Nn;

/// <summary>
/// Shape of an IMPALA-CNN policy (docs/ORIGINS.md §3): three blocks of widths
/// <see cref="Width1"/>..<see cref="Width3"/>, a hidden layer of <see cref="Hidden"/> units and
/// <see cref="Actions"/> logits, for square observations of <see cref="InputSize"/> pixels with
/// <see cref="Channels"/> bytes each (3 for RGB; one-hot gridworlds have one per plane).
/// </summary>
public sealed record ImpalaConfig(int InputSize = 64, int Width1 = 16, int Width2 = 32, int Width3 = 32, int Actions = 15, int Hidden = 256, int Channels = 3)
{
    /// <summary>Spatial size after the three max-pools (64 -> 8, 32 -> 4, 48 -> 6).</summary>
    public int FinalSize => Pooled(Pooled(Pooled(InputSize)));

    /// <summary>Length of the flattened embedding fed to embedder.fc (2048 for the default).</summary>
    public int Flat => Width3 * FinalSize * FinalSize;

    /// <summary>MaxPool2d(3, stride 2, padding 1) output size.</summary>
    public static int Pooled(int size) => (size - 1) / 2 + 1;

    public void Validate()
    {
        if (InputSize < 1 || InputSize > 4096) throw new MisgenInputException($"input size must be in 1..4096, got {InputSize}");
        if (Channels < 1 || Channels > 64) throw new MisgenInputException($"input channels must be in 1..64, got {Channels}");
        foreach (var (name, value) in new[] { ("width1", Width1), ("width2", Width2), ("width3", Width3), ("actions", Actions), ("hidden", Hidden) })
            if (value < 1 || value > 4096) throw new MisgenInputException($"{name} must be in 1..4096, got {value}");
    }

    /// <summary>Multiply-adds x2 of one forward pass for one observation.</summary>
    public double ForwardFlops
    {
        get
        {
            double flops = 0;
            int size = InputSize, cin = Channels;
            foreach (int width in new[] { Width1, Width2, Width3 })
            {
                flops += 2.0 * size * size * width * cin * 9;
                size = Pooled(size);
                flops += 4 * 2.0 * size * size * width * width * 9;
                cin = width;
            }
            flops += 2.0 * Flat * Hidden + 2.0 * Hidden * (Actions + 1);
            return flops;
        }
    }
}
