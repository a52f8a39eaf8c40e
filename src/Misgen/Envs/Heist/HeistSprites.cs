namespace Misgen.Envs.Heist;

/// <summary>
/// The keys-and-chests images as 128x128 RGBA sprites (alpha 0 or 255), drawn procedurally to the look of
/// procgen's heist assets, whose files are not available (docs/HEIST.md): the light blue-grey wall tile, the
/// locks (chests) with their keyhole, the keys (84x52 images, here stretched to the entity's box), the
/// yellow gem and the top-down astronaut facing right. Colours are the ones the original frames show.
/// Row 0 is the top row.
/// </summary>
public static class HeistSprites
{
    public const int Size = 128;

    /// <summary>Key and lock colours by theme: 0 blue, 1 green, 2 red (the AISC keys are green, its chests blue).</summary>
    public static readonly (byte R, byte G, byte B)[] ThemeColours = [(30, 167, 225), (115, 205, 75), (232, 106, 23)];

    public static byte[] Wall { get; } = MakeWall();
    public static byte[] Astronaut { get; } = MakeAstronaut();
    public static byte[] Gem { get; } = MakeGem();
    public static IReadOnlyList<byte[]> Keys { get; } = [.. ThemeColours.Select(MakeKey)];
    public static IReadOnlyList<byte[]> Locks { get; } = [.. ThemeColours.Select(MakeLock)];

    private static void Set(byte[] s, int x, int y, (byte R, byte G, byte B) c)
    {
        int i = (y * Size + x) * 4;
        (s[i], s[i + 1], s[i + 2], s[i + 3]) = (c.R, c.G, c.B, 255);
    }

    private static (byte, byte, byte) Shade((byte R, byte G, byte B) c, double f) =>
        ((byte)Math.Clamp(c.R * f, 0, 255), (byte)Math.Clamp(c.G * f, 0, 255), (byte)Math.Clamp(c.B * f, 0, 255));

    private static (byte, byte, byte) Tint((byte R, byte G, byte B) c, double t) =>
        ((byte)(c.R + (255 - c.R) * t), (byte)(c.G + (255 - c.G) * t), (byte)(c.B + (255 - c.B) * t));

    /// <summary>Four stones per tile in three shades: lit top-left rims, shaded bottom-right rims and joints.</summary>
    private static byte[] MakeWall()
    {
        (byte, byte, byte) light = (197, 209, 210), mid = (187, 203, 204), dark = (177, 192, 193);
        var s = new byte[Size * Size * 4];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                int sx = (x + (y / 64 == 1 ? 32 : 0)) % 64, sy = y % 64;
                var c = sx >= 58 || sy >= 58 ? dark : sx < 12 || sy < 12 ? light : mid;
                if (sx < 4 || sy < 4) c = dark; // joints
                Set(s, x, y, c);
            }
        return s;
    }

    /// <summary>A rounded block in the theme colour with a darker rim and a dark keyhole (procgen's lock_*.png).</summary>
    private static byte[] MakeLock((byte R, byte G, byte B) colour)
    {
        var s = new byte[Size * Size * 4];
        var rim = Shade(colour, 0.82);
        (byte, byte, byte) hole = (51, 51, 51);
        for (int y = 2; y < Size - 2; y++)
            for (int x = 2; x < Size - 2; x++)
            {
                double cx = Math.Max(0, Math.Abs(x + 0.5 - 64) - 46), cy = Math.Max(0, Math.Abs(y + 0.5 - 64) - 46);
                double corner = Math.Sqrt(cx * cx + cy * cy);
                if (corner > 16) continue;
                var c = corner > 9 || x < 10 || y < 10 || x >= 118 || y >= 118 ? rim : colour;
                double hx = x + 0.5 - 64, hy = y + 0.5 - 52;
                if (hx * hx + hy * hy <= 14 * 14 || (y >= 52 && y < 92 && Math.Abs(hx) <= 6 + (y - 52) * 0.12)) c = hole;
                Set(s, x, y, c);
            }
        return s;
    }

    /// <summary>A key lying left to right: a ring with a hole on the left, the shaft and two teeth to the right.</summary>
    private static byte[] MakeKey((byte R, byte G, byte B) colour)
    {
        var s = new byte[Size * Size * 4];
        var light = Tint(colour, 0.45);
        var dark = Shade(colour, 0.88);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double px = x + 0.5, py = y + 0.5;
                double rx = (px - 30) / 28, ry = (py - 64) / 56;
                double ring = rx * rx + ry * ry;
                double hx = (px - 30) / 11, hy = (py - 64) / 22;
                bool inRing = ring <= 1 && hx * hx + hy * hy > 1;
                bool inShaft = px >= 52 && px < 126 && py >= 50 && py < 78;
                bool inTeeth = py >= 78 && py < 108 && ((px >= 92 && px < 104) || (px >= 110 && px < 122));
                if (!inRing && !inShaft && !inTeeth) continue;
                var c = inRing && py < 40 ? light : inShaft && py < 56 ? light : py >= 72 ? dark : colour;
                Set(s, x, y, c);
            }
        return s;
    }

    /// <summary>A cut gem filling its box: flat top, widest a third of the way down, a point at the bottom.</summary>
    private static byte[] MakeGem()
    {
        var s = new byte[Size * Size * 4];
        (byte, byte, byte) gold = (255, 204, 0), light = (254, 228, 129), deep = (255, 216, 60);
        for (int y = 2; y < Size - 2; y++)
        {
            double t = (y + 0.5) / Size;
            double half = t < 0.35 ? 0.32 + 0.18 * t / 0.35 : 0.5 * (1 - t) / 0.65;
            for (int x = 0; x < Size; x++)
            {
                double u = (x + 0.5) / Size - 0.5;
                if (Math.Abs(u) > half) continue;
                Set(s, x, y, t < 0.35 ? (u < 0 ? light : deep) : (u < 0 ? gold : deep));
            }
        }
        return s;
    }

    /// <summary>The astronaut from above, facing right: white suit, orange visor ahead, grey pack behind.</summary>
    private static byte[] MakeAstronaut()
    {
        var s = new byte[Size * Size * 4];
        (byte, byte, byte) white = (255, 255, 255), shade = (224, 224, 224), grey = (102, 104, 106), visor = (255, 153, 0), visorDark = (229, 137, 0);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double px = x + 0.5 - 64, py = y + 0.5 - 64;
                double body = px * px + py * py;
                bool pack = px >= -58 && px < -30 && Math.Abs(py) < 34;
                if (body > 50 * 50 && !pack) continue;
                var c = pack && body > 40 * 40 ? grey : py > 24 ? shade : white;
                double vx = (px - 26) / 20, vy = py / 30;
                if (vx * vx + vy * vy <= 1) c = py > 8 ? visorDark : visor;
                Set(s, x, y, c);
            }
        return s;
    }
}
