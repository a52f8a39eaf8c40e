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
