namespace Misgen.Tests.Media;

/// <summary>
/// A minimal GIF89a decoder written from the specification for the tests (independent of the
/// encoder): global palette, graphic control delays, NETSCAPE loop count, LZW image data.
/// </summary>
internal sealed class GifTestDecoder
{
    public int Width, Height, LoopCount = -1;
    public byte[] Palette = [];
    public readonly List<byte[]> FrameIndices = [];
    public readonly List<int> DelaysCs = [];
    public int MaxCodeSizeSeen, ClearCodesSeen;

    public static GifTestDecoder Decode(byte[] file)
    {
        var d = new GifTestDecoder();
        Assert.Equal("GIF89a", System.Text.Encoding.ASCII.GetString(file, 0, 6));
        d.Width = file[6] | file[7] << 8;
        d.Height = file[8] | file[9] << 8;
        int packed = file[10];
        Assert.True((packed & 0x80) != 0, "global colour table expected");
        int tableSize = 1 << ((packed & 7) + 1);
        int p = 13;
        d.Palette = file[p..(p + 3 * tableSize)];
        p += 3 * tableSize;
        while (true)
        {
            byte introducer = file[p++];
            if (introducer == 0x3B) break;
            if (introducer == 0x21)
            {
                byte label = file[p++];
                var data = ReadSubBlocks(file, ref p);
                if (label == 0xF9) d.DelaysCs.Add(data[1] | data[2] << 8);
                if (label == 0xFF && System.Text.Encoding.ASCII.GetString(data, 0, 11) == "NETSCAPE2.0")
                    d.LoopCount = data[12] | data[13] << 8; // sub-block [1, lo, hi] after the 11-byte id
                continue;
            }
            Assert.Equal(0x2C, introducer);
            int w = file[p + 4] | file[p + 5] << 8, h = file[p + 6] | file[p + 7] << 8;
            Assert.Equal(0, file[p + 8] & 0x80); // no local table
            p += 9;
            int minCodeSize = file[p++];
            var lzw = ReadSubBlocks(file, ref p);
            d.FrameIndices.Add(d.DecodeLzw(lzw, minCodeSize, w * h));
        }
        Assert.Equal(file.Length, p);
        return d;
    }

    private static byte[] ReadSubBlocks(byte[] file, ref int p)
    {
        var bytes = new List<byte>();
        while (true)
        {
            int n = file[p++];
            if (n == 0) return bytes.ToArray();
            bytes.AddRange(file.AsSpan(p, n).ToArray());
            p += n;
        }
    }

    private byte[] DecodeLzw(byte[] data, int minCodeSize, int pixels)
    {
        int clear = 1 << minCodeSize, end = clear + 1;
        var table = new List<byte[]>();
        void ResetTable()
        {
            table.Clear();
            for (int i = 0; i < clear; i++) table.Add([(byte)i]);
            table.Add([]);
            table.Add([]);
        }
        ResetTable();
        int codeSize = minCodeSize + 1, bitPos = 0;
        byte[]? previous = null;
        var output = new List<byte>(pixels);
        while (true)
        {
            int code = 0;
            for (int b = 0; b < codeSize; b++, bitPos++)
                if ((data[bitPos >> 3] >> (bitPos & 7) & 1) != 0) code |= 1 << b;
            MaxCodeSizeSeen = Math.Max(MaxCodeSizeSeen, codeSize);
            if (code == clear)
            {
                ClearCodesSeen++;
                ResetTable();
                codeSize = minCodeSize + 1;
                previous = null;
                continue;
            }
            if (code == end) break;
            byte[] entry;
            if (code < table.Count) entry = table[code];
            else
            {
                Assert.Equal(table.Count, code); // the only legal unknown code: KwKwK
                entry = [.. previous!, previous![0]];
            }
            output.AddRange(entry);
            if (previous is not null && table.Count < 4096) table.Add([.. previous, entry[0]]);
            previous = entry;
            if (table.Count == 1 << codeSize && codeSize < 12) codeSize++;
        }
        Assert.Equal(pixels, output.Count);
        return output.ToArray();
    }

    public byte[] FrameRgb(int frame)
    {
        var indices = FrameIndices[frame];
        var rgb = new byte[indices.Length * 3];
        for (int i = 0; i < indices.Length; i++)
        {
            rgb[i * 3] = Palette[indices[i] * 3];
            rgb[i * 3 + 1] = Palette[indices[i] * 3 + 1];
            rgb[i * 3 + 2] = Palette[indices[i] * 3 + 2];
        }
        return rgb;
    }
}
