namespace Misgen.Envs.Procgen;

/// <summary>
/// The 128x128 sprites every procgen maze game shares (the mouse and the wall tile); renderers sample them
/// into cells the way procgen draws its 128-px images, scaled to the cell without antialiasing. Drawn
/// procedurally to the look of the originals (docs/ORIGINS.md §2). Row 0 is the top row.
/// </summary>
public static class Sprites
{
    public const int Size = 128;

    /// <summary>Mouse facing left, in the lower half: 0 transparent, 1 body, 2 ear/nose, 3 eye, 4 tail.</summary>
    public static byte[] Mouse { get; } = MakeMouse();

    /// <summary>The wall tile: sandy brown (about 201, 152, 105) with a little grain, RGB24.</summary>
    public static byte[] Wall { get; } = MakeWall();

    private static byte[] MakeWall()
    {
        var rng = Rng.ForStream(0, "wall-tile");
        var tile = new byte[Size * Size * 3];
        // Coarse blotches (8 px) plus fine grain, zero-mean so the tile averages to the wall colour.
        var blotch = new double[17 * 17];
        for (int i = 0; i < blotch.Length; i++) blotch[i] = rng.NextDouble() - 0.5;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double b = blotch[(y / 8) * 17 + x / 8];
                double shade = 14 * b + 8 * (rng.NextDouble() - 0.5);
                if (rng.NextDouble() < 0.02) shade -= 25; // dark grains
                int i = (y * Size + x) * 3;
                tile[i] = (byte)Math.Clamp(Math.Round(Palette.Wall.R + shade), 0, 255);
                tile[i + 1] = (byte)Math.Clamp(Math.Round(Palette.Wall.G + shade * 0.85), 0, 255);
                tile[i + 2] = (byte)Math.Clamp(Math.Round(Palette.Wall.B + shade * 0.7), 0, 255);
            }
        return tile;
    }

    private static byte[] MakeMouse()
    {
        var s = new byte[Size * Size];
        static bool InEllipse(double x, double y, double cx, double cy, double rx, double ry) =>
            (x - cx) * (x - cx) / (rx * rx) + (y - cy) * (y - cy) / (ry * ry) <= 1;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double px = x + 0.5, py = y + 0.5;
                byte v = 0;
                // Tail: a thin arc behind the body.
                double tx = px - 104, ty = py - 87;
                double r = Math.Sqrt(tx * tx + ty * ty);
                if (r > 13 && r < 23 && px > 100 && py < 104) v = 4;
                if (InEllipse(px, py, 74, 102, 36, 20)) v = 1;        // body
                if (InEllipse(px, py, 38, 96, 20, 15)) v = 1;         // head
                if (InEllipse(px, py, 46, 76, 12, 12)) v = 2;         // near ear
                if (InEllipse(px, py, 30, 78, 8, 9)) v = 2;           // far ear
                if (InEllipse(px, py, 19, 100, 5, 5)) v = 2;          // nose
                if (InEllipse(px, py, 31, 92, 4, 4)) v = 3;           // eye
                if (py > 118 && py < 124 && (Math.Abs(px - 56) < 6 || Math.Abs(px - 92) < 6)) v = 1; // feet
                s[y * Size + x] = v;
            }
        return s;
    }
}
