using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Misgen.Media;

/// <summary>
/// PNG encoder and decoder for 8-bit images. Encoding writes RGB (colour type 2) with a per-row
/// adaptive filter; decoding reads the 8-bit non-interlaced images tools produce (grey, RGB, grey+alpha,
/// RGBA, palette), which is what observations, screenshots and figures are. Alpha is dropped.
/// </summary>
public static class Png
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Write(string path, ReadOnlySpan<byte> rgb, int width, int height)
    {
        byte[] file = Encode(rgb, width, height);
        AtomicFile.Write(path, s => s.Write(file));
    }

    /// <summary>The largest PNG file read (docs/LIMITS.md); decoded pixels have their own cap.</summary>
    public const long MaxFileBytes = 256L << 20;

    public static PngImage Read(string path) => Decode(InputFile.ReadAllBytes(path, "image file", MaxFileBytes), path);

    public static byte[] Encode(ReadOnlySpan<byte> rgb, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "image must not be empty");
        int stride = width * 3;
        if (rgb.Length != stride * height)
            throw new ArgumentException($"expected {stride * height} RGB bytes for {width}x{height}, got {rgb.Length}", nameof(rgb));

        var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR", header);

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var filtered = new byte[stride + 1];
            var trial = new byte[stride + 1];
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> row = rgb.Slice(y * stride, stride);
                ReadOnlySpan<byte> above = y > 0 ? rgb.Slice((y - 1) * stride, stride) : default;
                ChooseFilter(row, above, filtered, trial);
                zlib.Write(filtered);
            }
        }
        WriteChunk(output, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    public static PngImage Decode(ReadOnlySpan<byte> file, string name = "image")
    {
        if (file.Length < 8 || !file[..8].SequenceEqual(Signature))
            throw new MisgenInputException($"'{name}' is not a PNG file (bad signature)");
        int pos = 8;
        int width = 0, height = 0, colourType = -1;
        byte[]? palette = null;
        var idat = new MemoryStream();
        bool sawEnd = false;
        while (pos < file.Length && !sawEnd)
        {
            if (pos + 12 > file.Length) throw Corrupt(name, "truncated chunk header");
            int length = BinaryPrimitives.ReadInt32BigEndian(file[pos..]);
            if (length < 0 || pos + 12L + length > file.Length) throw Corrupt(name, "chunk runs past the end of the file");
            ReadOnlySpan<byte> typeAndData = file.Slice(pos + 4, 4 + length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file[(pos + 8 + length)..]);
            if (Crc32.Compute(typeAndData) != stored) throw Corrupt(name, $"CRC mismatch in chunk '{Encoding.ASCII.GetString(typeAndData[..4])}'");
            string type = Encoding.ASCII.GetString(typeAndData[..4]);
            ReadOnlySpan<byte> data = typeAndData[4..];
            switch (type)
            {
                case "IHDR":
                    if (data.Length != 13) throw Corrupt(name, "IHDR has the wrong length");
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    int depth = data[8];
                    colourType = data[9];
                    if (width <= 0 || height <= 0 || (long)width * height > 1L << 28) throw Corrupt(name, $"bad size {width}x{height}");
                    if (depth != 8) throw new MisgenInputException($"'{name}': PNG bit depth {depth} is not supported; valid: 8");
                    if (colourType is not (0 or 2 or 3 or 4 or 6))
                        throw new MisgenInputException($"'{name}': PNG colour type {colourType} is not supported; valid: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA");
                    if (data[12] != 0) throw new MisgenInputException($"'{name}': interlaced PNG is not supported; save it without interlacing");
                    break;
                case "PLTE":
                    palette = data.ToArray();
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
            }
            pos += 12 + length;
        }
        if (colourType < 0) throw Corrupt(name, "missing IHDR");
        if (!sawEnd) throw Corrupt(name, "missing IEND (truncated file?)");
        if (colourType == 3 && palette is null) throw Corrupt(name, "palette image without PLTE");

        int channels = colourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int stride = width * channels;
        var raw = new byte[(long)(stride + 1) * height];
        idat.Position = 0;
        try
        {
            using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
            zlib.ReadExactly(raw);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw Corrupt(name, "image data does not decompress to the expected size");
        }

        var pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[(long)y * (stride + 1)];
            ReadOnlySpan<byte> src = raw.AsSpan(y * (stride + 1) + 1, stride);
            Span<byte> row = pixels.AsSpan(y * stride, stride);
            ReadOnlySpan<byte> above = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : default;
            Unfilter(filter, src, above, row, channels, name);
        }

        var rgb = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++)
        {
            switch (colourType)
            {
                case 0:
                case 4:
                    byte g = pixels[i * channels];
                    rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = g;
                    break;
                case 3:
                    int index = pixels[i];
                    if (index * 3 + 2 >= palette!.Length) throw Corrupt(name, "palette index out of range");
                    rgb[i * 3] = palette[index * 3];
                    rgb[i * 3 + 1] = palette[index * 3 + 1];
                    rgb[i * 3 + 2] = palette[index * 3 + 2];
                    break;
                default:
                    rgb[i * 3] = pixels[i * channels];
                    rgb[i * 3 + 1] = pixels[i * channels + 1];
                    rgb[i * 3 + 2] = pixels[i * channels + 2];
                    break;
            }
        }
        return new PngImage(width, height, rgb);
    }

    private static MisgenInputException Corrupt(string name, string why) => new($"'{name}' is not a valid PNG: {why}");

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(typeBytes), data));
        output.Write(word);
    }

    /// <summary>Picks the filter with the smallest sum of absolute residuals (the usual PNG heuristic).</summary>
    private static void ChooseFilter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, Span<byte> best, Span<byte> trial)
    {
        long bestScore = long.MaxValue;
        for (byte filter = 0; filter <= 4; filter++)
        {
            trial[0] = filter;
            long score = 0;
            for (int i = 0; i < row.Length; i++)
            {
                int left = i >= 3 ? row[i - 3] : 0;
                int up = above.IsEmpty ? 0 : above[i];
                int upLeft = i >= 3 && !above.IsEmpty ? above[i - 3] : 0;
                int predicted = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) >> 1,
                    _ => Paeth(left, up, upLeft),
                };
                byte residual = (byte)(row[i] - predicted);
                trial[i + 1] = residual;
                score += residual < 128 ? residual : 256 - residual;
            }
            if (score < bestScore)
            {
                bestScore = score;
                trial.CopyTo(best);
            }
        }
    }

    private static void Unfilter(byte filter, ReadOnlySpan<byte> src, ReadOnlySpan<byte> above, Span<byte> row, int bpp, string name)
    {
        for (int i = 0; i < src.Length; i++)
        {
            int left = i >= bpp ? row[i - bpp] : 0;
            int up = above.IsEmpty ? 0 : above[i];
            int upLeft = i >= bpp && !above.IsEmpty ? above[i - bpp] : 0;
            int predicted = filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) >> 1,
                4 => Paeth(left, up, upLeft),
                _ => throw Corrupt(name, $"unknown row filter {filter}"),
            };
            row[i] = (byte)(src[i] + predicted);
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
