namespace Misgen.Media;

/// <summary>
/// The one 256-colour palette of an animated GIF. The eight pure object colours (every 0/255
/// combination: black, blue, green, cyan, red, purple, yellow, white) and the grey background
/// (127 and 128 grey) are always in it exactly, because the study is about exactly those colours.
/// When the frames use at most 256 colours, every colour is kept exactly; otherwise the rest of the
/// palette is a weighted median cut of the frames' colours and each pixel maps to its nearest entry.
/// </summary>
public sealed class GifPalette
{
    public const int Size = 256;

    private static readonly (byte R, byte G, byte B)[] Reserved =
    [
        (0, 0, 0), (0, 0, 255), (0, 255, 0), (0, 255, 255), (255, 0, 0), (255, 0, 255), (255, 255, 0), (255, 255, 255),
        (127, 127, 127), (128, 128, 128),
    ];

    private readonly byte[] colours = new byte[Size * 3];
    private readonly Dictionary<int, byte> exact = [];
    private int[]? nearest; // 15-bit colour -> palette index, filled lazily
    private readonly int count;

    private GifPalette(List<int> packed)
    {
        count = packed.Count;
        for (int i = 0; i < packed.Count; i++)
        {
            int c = packed[i];
            colours[i * 3] = (byte)(c >> 16);
            colours[i * 3 + 1] = (byte)(c >> 8);
            colours[i * 3 + 2] = (byte)c;
            exact.TryAdd(c, (byte)i);
        }
        AllExact = false;
    }

    /// <summary>RGB triples, 256 of them (unused entries black).</summary>
    public ReadOnlySpan<byte> Colours => colours;

    /// <summary>True when every colour of the frames it was built from is in the palette exactly.</summary>
    public bool AllExact { get; private init; }

    /// <summary>Builds the palette for a set of RGB24 frames.</summary>
    public static GifPalette Build(IEnumerable<byte[]> frames)
    {
        var histogram = new Dictionary<int, int>();
        foreach (byte[] frame in frames)
            for (int i = 0; i + 2 < frame.Length; i += 3)
            {
                int c = frame[i] << 16 | frame[i + 1] << 8 | frame[i + 2];
                histogram[c] = histogram.GetValueOrDefault(c) + 1;
            }
        var packed = Reserved.Select(r => r.R << 16 | r.G << 8 | r.B).ToList();
        var reservedSet = packed.ToHashSet();
        var others = histogram.Where(kv => !reservedSet.Contains(kv.Key)).ToList();
        if (others.Count <= Size - packed.Count)
        {
            packed.AddRange(others.Select(kv => kv.Key).Order());
            return new GifPalette(packed) { AllExact = true };
        }
        packed.AddRange(MedianCut(others, Size - packed.Count));
        return new GifPalette(packed);
    }

    /// <summary>The palette index for a colour: exact when the colour is in the palette, else the nearest entry.</summary>
    public byte Index(byte r, byte g, byte b)
    {
        if (exact.TryGetValue(r << 16 | g << 8 | b, out byte index)) return index;
        nearest ??= new int[1 << 15];
        int key = (r >> 3) << 10 | (g >> 3) << 5 | (b >> 3);
        int cached = nearest[key];
        if (cached != 0) return (byte)(cached - 1);
        // The centre of the 15-bit cell stands for every colour in it.
        int cr = (r & ~7) + 4, cg = (g & ~7) + 4, cb = (b & ~7) + 4, best = 0, bestDistance = int.MaxValue;
        for (int i = 0; i < count; i++)
        {
            int dr = colours[i * 3] - cr, dg = colours[i * 3 + 1] - cg, db = colours[i * 3 + 2] - cb;
            int d = 2 * dr * dr + 4 * dg * dg + 3 * db * db; // rough perceptual weights
            if (d < bestDistance) (bestDistance, best) = (d, i);
        }
        nearest[key] = best + 1;
        return (byte)best;
    }

    private static IEnumerable<int> MedianCut(List<KeyValuePair<int, int>> colourCounts, int boxes)
    {
        var all = colourCounts.Select(kv => (R: kv.Key >> 16, G: (kv.Key >> 8) & 255, B: kv.Key & 255, W: (long)kv.Value)).ToArray();
        var queue = new List<(int R, int G, int B, long W)[]> { all };
        while (queue.Count < boxes)
        {
            // Split the box with the largest weighted spread along its widest channel.
            int pick = -1;
            long pickScore = -1;
            for (int i = 0; i < queue.Count; i++)
            {
                if (queue[i].Length < 2) continue;
                long score = Widest(queue[i]).Range * queue[i].Sum(c => c.W);
                if (score > pickScore) (pickScore, pick) = (score, i);
            }
            if (pick < 0) break;
            var box = queue[pick];
            int channel = Widest(box).Channel;
            var sorted = box.OrderBy(c => channel == 0 ? c.R : channel == 1 ? c.G : c.B).ThenBy(c => c.R << 16 | c.G << 8 | c.B).ToArray();
            long half = sorted.Sum(c => c.W) / 2, seen = 0;
            int cut = 1;
            for (; cut < sorted.Length - 1; cut++)
            {
                seen += sorted[cut - 1].W;
                if (seen >= half) break;
            }
            queue[pick] = sorted[..cut];
            queue.Add(sorted[cut..]);
        }
        return queue.Select(box =>
        {
            long w = box.Sum(c => c.W);
            int r = (int)Math.Round((double)box.Sum(c => c.R * c.W) / w);
            int g = (int)Math.Round((double)box.Sum(c => c.G * c.W) / w);
            int b = (int)Math.Round((double)box.Sum(c => c.B * c.W) / w);
            return r << 16 | g << 8 | b;
        });
    }

    private static (int Channel, int Range) Widest((int R, int G, int B, long W)[] box)
    {
        int rr = box.Max(c => c.R) - box.Min(c => c.R), gr = box.Max(c => c.G) - box.Min(c => c.G), br = box.Max(c => c.B) - box.Min(c => c.B);
        return rr >= gr && rr >= br ? (0, rr) : gr >= br ? (1, gr) : (2, br);
    }
}
