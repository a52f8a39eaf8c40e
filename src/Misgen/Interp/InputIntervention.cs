namespace Misgen.Interp;

/// <summary>
/// A change to what an RGB agent sees, made at evaluation time: one colour channel zeroed (<c>zero-r</c>,
/// <c>zero-g</c>, <c>zero-b</c>), two channels swapped (<c>swap-rg</c>, <c>swap-rb</c>, <c>swap-gb</c>), or the
/// picture in grey (<c>grey</c>: every channel set to the luma 0.299 R + 0.587 G + 0.114 B, ITU-R BT.601, rounded).
/// The colour-channel test: which channel does an agent find its goal through?
/// </summary>
public sealed record InputIntervention(string Name)
{
    public static IReadOnlyList<string> Names { get; } = ["zero-r", "zero-g", "zero-b", "swap-rg", "swap-rb", "swap-gb", "grey"];

    public static InputIntervention Parse(string text)
    {
        string name = text.Trim().ToLowerInvariant();
        if (name is "gray" or "greyscale" or "grayscale") name = "grey";
        return Names.Contains(name) ? new InputIntervention(name) : throw MisgenInputException.Unknown("input intervention", text.Trim(), Names);
    }

    /// <summary>Applies the intervention to HWC RGB pixels in place.</summary>
    public void Apply(Span<byte> rgb)
    {
        if (rgb.Length % 3 != 0) throw new ArgumentException("RGB pixels come in threes", nameof(rgb));
        switch (Name)
        {
            case "zero-r": Zero(rgb, 0); break;
            case "zero-g": Zero(rgb, 1); break;
            case "zero-b": Zero(rgb, 2); break;
            case "swap-rg": Swap(rgb, 0, 1); break;
            case "swap-rb": Swap(rgb, 0, 2); break;
            case "swap-gb": Swap(rgb, 1, 2); break;
            default: Grey(rgb); break;
        }
    }

    private static void Zero(Span<byte> rgb, int channel)
    {
        for (int i = channel; i < rgb.Length; i += 3) rgb[i] = 0;
    }

    private static void Swap(Span<byte> rgb, int a, int b)
    {
        for (int i = 0; i < rgb.Length; i += 3) (rgb[i + a], rgb[i + b]) = (rgb[i + b], rgb[i + a]);
    }

    private static void Grey(Span<byte> rgb)
    {
        for (int i = 0; i < rgb.Length; i += 3)
        {
            // Integer weights (x1000) keep the rounding exact and independent of floating point.
            byte y = (byte)((299 * rgb[i] + 587 * rgb[i + 1] + 114 * rgb[i + 2] + 500) / 1000);
            rgb[i] = rgb[i + 1] = rgb[i + 2] = y;
        }
    }

    public override string ToString() => Name;
}
