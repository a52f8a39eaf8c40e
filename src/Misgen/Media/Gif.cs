using System.Buffers.Binary;

namespace Misgen.Media;

/// <summary>
/// Animated GIF89a encoder: one global 256-colour palette (<see cref="GifPalette"/>, pure object
/// colours exact), LZW with variable code size (9..12 bits) and clear codes, the NETSCAPE2.0
/// extension so the animation loops, and a fixed delay per frame (200 ms, the study's 5 fps).
/// </summary>
public static class Gif
{
    public const int DefaultDelayMs = 200;

    public static void Write(string path, IReadOnlyList<byte[]> frames, int width, int height, int delayMs = DefaultDelayMs)
    {
        byte[] file = Encode(frames, width, height, delayMs);
        AtomicFile.Write(path, s => s.Write(file));
    }

    /// <summary>Encodes RGB24 frames (row-major, top row first) of one size as a looping animation.</summary>
    public static byte[] Encode(IReadOnlyList<byte[]> frames, int width, int height, int delayMs = DefaultDelayMs)
    {
        if (frames.Count == 0) throw new ArgumentException("a GIF needs at least one frame", nameof(frames));
        if (width > ushort.MaxValue || height > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(width), "GIF sides are at most 65535");
        foreach (byte[] frame in frames) RgbImage.Check(frame, width, height);
        var palette = GifPalette.Build(frames);
        var output = new MemoryStream();
        output.Write("GIF89a"u8);
        Span<byte> screen = stackalloc byte[7];
        BinaryPrimitives.WriteUInt16LittleEndian(screen, (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(screen[2..], (ushort)height);
        screen[4] = 0xF7; // global colour table, 8-bit colour resolution, 2^(7+1) = 256 entries
        screen[5] = 0;    // background colour index
        screen[6] = 0;    // square pixels
        output.Write(screen);
        output.Write(palette.Colours);
        // NETSCAPE2.0 application extension: loop forever (count 0).
        output.Write([0x21, 0xFF, 0x0B]);
        output.Write("NETSCAPE2.0"u8);
        output.Write([0x03, 0x01, 0x00, 0x00, 0x00]);

        int delay = Math.Clamp((delayMs + 5) / 10, 0, ushort.MaxValue); // centiseconds
        var indices = new byte[width * height];
        var lzw = new LzwEncoder();
        Span<byte> descriptor = stackalloc byte[10];
        foreach (byte[] frame in frames)
        {
            // Graphic control extension: disposal "leave in place", no transparency, the delay.
            output.Write([0x21, 0xF9, 0x04, 0x04, (byte)delay, (byte)(delay >> 8), 0x00, 0x00]);
            descriptor[0] = 0x2C;
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[1..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[3..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[5..], (ushort)width);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[7..], (ushort)height);
            descriptor[9] = 0; // no local colour table, not interlaced
            output.Write(descriptor);
            for (int i = 0; i < indices.Length; i++) indices[i] = palette.Index(frame[i * 3], frame[i * 3 + 1], frame[i * 3 + 2]);
            output.WriteByte(LzwEncoder.MinimumCodeSize);
            lzw.Encode(indices, output);
        }
        output.WriteByte(0x3B);
        return output.ToArray();
    }
}

/// <summary>
/// GIF's LZW: codes start at 9 bits for 8-bit pixels and grow to 12; when the table is full a
/// clear code starts a new one. Codes are packed least significant bit first into sub-blocks of
/// at most 255 bytes.
/// </summary>
internal sealed class LzwEncoder
{
    public const byte MinimumCodeSize = 8;
    private const int ClearCode = 1 << MinimumCodeSize, EndCode = ClearCode + 1, MaxCodes = 4096;
    private const int HashSize = 8191; // prime, about twice the table

    private readonly int[] hashKeys = new int[HashSize];
    private readonly short[] hashCodes = new short[HashSize];
    private readonly byte[] block = new byte[255];
    private int blockLength;
    private uint bitBuffer;
    private int bitCount;
    private Stream output = Stream.Null;

    public void Encode(ReadOnlySpan<byte> indices, Stream stream)
    {
        output = stream;
        blockLength = 0;
        bitBuffer = 0;
        bitCount = 0;
        int codeSize = MinimumCodeSize + 1, next = EndCode + 1;
        Reset();
        Emit(ClearCode, codeSize);
        int prefix = indices[0];
        for (int i = 1; i < indices.Length; i++)
        {
            byte pixel = indices[i];
            int key = prefix << 8 | pixel;
            int slot = Find(key);
            if (hashKeys[slot] == key + 1)
            {
                prefix = hashCodes[slot];
                continue;
            }
            Emit(prefix, codeSize);
            if (next < MaxCodes - 1)
            {
                hashKeys[slot] = key + 1;
                hashCodes[slot] = (short)next;
                // The decoder learns this entry one code later, so it widens when its table reaches
                // 2^size; widening after adding code 2^size keeps both sides in step.
                if (next == 1 << codeSize && codeSize < 12) codeSize++;
                next++;
            }
            else
            {
                Emit(ClearCode, codeSize);
                Reset();
                codeSize = MinimumCodeSize + 1;
                next = EndCode + 1;
            }
            prefix = pixel;
        }
        Emit(prefix, codeSize);
        Emit(EndCode, codeSize);
        if (bitCount > 0) PutByte((byte)bitBuffer);
        if (blockLength > 0) FlushBlock();
        output.WriteByte(0); // block terminator
    }

    private void Reset() => Array.Clear(hashKeys);

    private int Find(int key)
    {
        int slot = (int)((uint)(key * 2654435761u) % HashSize);
        while (hashKeys[slot] != 0 && hashKeys[slot] != key + 1)
            if (++slot == HashSize) slot = 0;
        return slot;
    }

    private void Emit(int code, int size)
    {
        bitBuffer |= (uint)code << bitCount;
        bitCount += size;
        while (bitCount >= 8)
        {
            PutByte((byte)bitBuffer);
            bitBuffer >>= 8;
            bitCount -= 8;
        }
    }

    private void PutByte(byte value)
    {
        block[blockLength++] = value;
        if (blockLength == block.Length) FlushBlock();
    }

    private void FlushBlock()
    {
        output.WriteByte((byte)blockLength);
        output.Write(block, 0, blockLength);
        blockLength = 0;
    }
}
