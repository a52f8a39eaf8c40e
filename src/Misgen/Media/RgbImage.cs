namespace Misgen.Media;

/// <summary>An RGB24 image: row-major, top row first, 3 bytes per pixel.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Rgb)
{
    public static void Check(ReadOnlySpan<byte> rgb, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "image must not be empty");
        if (rgb.Length != width * height * 3)
            throw new ArgumentException($"expected {width * height * 3} RGB bytes for {width}x{height}, got {rgb.Length}", nameof(rgb));
    }
}
