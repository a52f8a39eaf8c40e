namespace Misgen.Media;

/// <summary>An 8-bit RGB image, row-major, top row first, 3 bytes per pixel.</summary>
public sealed record PngImage(int Width, int Height, byte[] Rgb);
