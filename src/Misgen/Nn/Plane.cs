namespace Misgen.Nn;

/// <summary>
/// Geometry of one activation of one observation as the kernels store it: NHWC with channels
/// innermost, padded to a multiple of 16 (one zmm register), and a one-pixel zero border so a
/// 3x3 convolution reads its neighbourhood without bounds checks. Pixel (y, x) of the interior is
/// at float offset ((y + 1) * (Width + 2) + x + 1) * Stride.
/// </summary>
internal readonly record struct Plane(int Height, int Width, int Channels, int Stride)
{
    public static Plane Of(int height, int width, int channels) => new(height, width, channels, RoundUp16(channels));

    /// <summary>Floats the plane occupies, including the border and slack that lets kernels read a
    /// full vector past the last pixel; a multiple of 16 so consecutive planes stay aligned.</summary>
    public int Floats => RoundUp16((Height + 2) * (Width + 2) * Stride + 32);

    public int Offset(int y, int x) => ((y + 1) * (Width + 2) + x + 1) * Stride;

    public static int RoundUp16(int n) => (n + 15) & ~15;
}

/// <summary>
/// A rectangle of pixels of a plane: rows <see cref="Y0"/>..<see cref="Y1"/> and columns <see cref="X0"/>..<see cref="X1"/>
/// (ends excluded), for passes that recompute only the part of an activation that changed.
/// </summary>
internal readonly record struct Window(int Y0, int Y1, int X0, int X1)
{
    public static Window All(Plane plane) => new(0, plane.Height, 0, plane.Width);

    public static Window Empty => new(0, 0, 0, 0);

    public bool IsEmpty => Y1 <= Y0 || X1 <= X0;

    /// <summary>The window grown by <paramref name="margin"/> pixels on every side, clipped to the plane.</summary>
    public Window Grow(int margin, Plane plane) => IsEmpty ? this
        : new(Math.Max(0, Y0 - margin), Math.Min(plane.Height, Y1 + margin), Math.Max(0, X0 - margin), Math.Min(plane.Width, X1 + margin));

    /// <summary>The outputs of MaxPool2d(3, stride 2, padding 1) into <paramref name="pooled"/> whose 3x3 windows touch this window.</summary>
    public Window Pooled(Plane pooled) => IsEmpty ? this
        : new(Math.Max(0, Y0 / 2), Math.Min(pooled.Height, Y1 / 2 + 1), Math.Max(0, X0 / 2), Math.Min(pooled.Width, X1 / 2 + 1));
}
