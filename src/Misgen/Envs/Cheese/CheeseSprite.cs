namespace Misgen.Envs.Cheese;

/// <summary>
/// The cheese as a 128x128 sprite, drawn procedurally to the look of procgen's cheese image (a yellow wedge with
/// a lighter top face and darker holes): 0 transparent, else an index into <see cref="Colours"/>. Row 0 is the top.
/// </summary>
public static class CheeseSprite
{
    public const int Size = Procgen.Sprites.Size;

    /// <summary>Colours by sprite value (1 front face, 2 top face, 3 hole).</summary>
    public static readonly (byte R, byte G, byte B)[] Colours = [(0, 0, 0), (247, 196, 56), (255, 230, 120), (206, 146, 30)];

    // Before Pixels: static fields initialise in order.
    private static readonly (double X, double Y, double R)[] Holes = [(36, 78, 9), (72, 72, 7), (98, 90, 8), (56, 96, 6)];

    public static byte[] Pixels { get; } = Make();

    private static byte[] Make()
    {
        var s = new byte[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double px = x + 0.5, py = y + 0.5;
                byte v = 0;
                if (py >= 58 && py <= 104 && px >= 12 && px <= 116) v = 1;                      // front face
                else if (py >= 26 && py < 58 && px <= 116 && px >= 12 + (58 - py) / 32 * 80) v = 2; // sloping top face
                if (v == 1)
                    foreach (var (cx, cy, r) in Holes)
                        if ((px - cx) * (px - cx) + (py - cy) * (py - cy) <= r * r) v = 3;
                s[y * Size + x] = v;
            }
        return s;
    }

}
