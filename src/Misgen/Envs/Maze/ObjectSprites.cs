namespace Misgen.Envs.Maze;

/// <summary>
/// The colour-versus-shape objects as 128x128 masks that the renderer samples into cells (procgen draws its
/// 128-px item images scaled to the cell without antialiasing), drawn procedurally to the shapes and sizes of
/// the originals (docs/ORIGINS.md §2). Row 0 is the top row.
/// </summary>
public static class ObjectSprites
{
    public const int Size = Procgen.Sprites.Size;

    /// <summary>The diagonal line: a thick "\" band, about 29 px wide per row, from near top-left to near bottom-right.</summary>
    public static bool[] Line { get; } = MakeLine();

    /// <summary>The gem: flat top at y 40, widest at y 58..64, point at y 87; x 29..98.</summary>
    public static bool[] Gem { get; } = MakeGem();

    private static bool[] MakeLine()
    {
        var mask = new bool[Size * Size];
        // 29 px per row around the diagonal x = y, clipped to the 2..125 box: 3,386 px (the original has 3,411).
        for (int y = 2; y <= 125; y++)
            for (int x = 2; x <= 125; x++)
                if (Math.Abs(x - y) <= 14)
                    mask[y * Size + x] = true;
        return mask;
    }

    private static bool[] MakeGem()
    {
        var mask = new bool[Size * Size];
        for (int y = 40; y <= 87; y++)
        {
            double half; // half-width around the centre x = 63.5
            if (y < 58) half = 26 + (35 - 26) * (y - 40) / 18.0;   // facetted crown widening from the flat top
            else if (y <= 64) half = 35;                            // girdle, the widest rows
            else half = 35 * (87.5 - y) / 23.5;                      // pavilion narrowing to the point
            for (int x = 29; x <= 98; x++)
                if (Math.Abs(x + 0.5 - 64) <= half) mask[y * Size + x] = true;
        }
        return mask;
    }
}
