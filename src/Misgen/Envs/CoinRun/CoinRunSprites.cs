namespace Misgen.Envs.CoinRun;

/// <summary>
/// CoinRun's pictures, drawn procedurally to the look of procgen's Kenney assets (which are not available):
/// ground tiles per wall theme, lava, the coin, saws, walking enemies, crates, the alien in five skins and the
/// 62 backgrounds. Colours of the ground, grass, sand and skins were read from first observations of the
/// original (docs/COINRUN.md); the rest follows the assets' descriptions. RGBA, row 0 at the top, built once.
/// </summary>
public static class CoinRunSprites
{
    public const int Tile = 32;                 // tile sprites are Tile x Tile
    public const int AgentWidth = 32;           // the alien is 32 x 64, as the 128 x 256 original
    public const int AgentHeight = 64;
    public const int BackgroundWidth = 192;
    public const int BackgroundHeight = 128;

    public static IReadOnlyList<string> SkinNames { get; } = ["Beige", "Blue", "Green", "Pink", "Yellow"];
    public static IReadOnlyList<string> WallThemeNames { get; } = ["Dirt", "Grass", "Planet", "Sand", "Snow", "Stone"];
    public static IReadOnlyList<string> EnemyNames { get; } =
        ["slimeBlock", "slimePurple", "slimeBlue", "slimeGreen", "mouse", "snail", "ladybug", "wormGreen", "wormPink"];
    public static IReadOnlyList<string> CrateNames { get; } = ["boxCrate", "boxCrate_double", "boxCrate_single", "boxCrate_warning"];

    // Three shades of the ground's body per wall theme, and the colour of its surface.
    private static readonly (int R, int G, int B)[][] GroundShades =
    [
        [(177, 192, 193), (187, 203, 204), (197, 209, 210)],   // Dirt (grey-blue in the originals' frames)
        [(189, 137, 88), (197, 143, 92), (201, 152, 105)],     // Grass
        [(172, 192, 193), (186, 200, 201), (196, 208, 209)],   // Planet
        [(189, 137, 88), (197, 143, 92), (201, 152, 105)],     // Sand
        [(196, 214, 226), (206, 222, 232), (216, 230, 238)],   // Snow
        [(128, 128, 128), (140, 140, 140), (152, 152, 152)],   // Stone
    ];

    private static readonly (int R, int G, int B)[] Surfaces =
        [(145, 199, 219), (95, 211, 95), (201, 238, 255), (231, 223, 194), (250, 252, 255), (170, 170, 175)];

    private static readonly (int R, int G, int B)[] Skins =
        [(230, 205, 160), (120, 175, 235), (130, 210, 140), (245, 186, 204), (250, 222, 90)];

    private static readonly (int R, int G, int B)[] EnemyColours =
    [
        (120, 140, 160), (170, 95, 200), (80, 150, 230), (110, 200, 90), (150, 150, 155),
        (210, 170, 90), (220, 50, 50), (110, 200, 90), (240, 140, 170),
    ];

    /// <summary>Ground body (WALL_MID) per wall theme.</summary>
    public static byte[][] GroundMid { get; } = [.. Enumerable.Range(0, 6).Select(t => Ground(t, surface: false))];

    /// <summary>Ground surface (WALL_TOP) per wall theme.</summary>
    public static byte[][] GroundTop { get; } = [.. Enumerable.Range(0, 6).Select(t => Ground(t, surface: true))];

    public static byte[] LavaMid { get; } = Lava(top: false);
    public static byte[] LavaTop { get; } = Lava(top: true);
    public static byte[] Coin { get; } = MakeCoin();

    /// <summary>The half saw, two frames (the teeth turn).</summary>
    public static byte[][] Saw { get; } = [MakeSaw(0), MakeSaw(1)];

    /// <summary>Enemies by theme, two frames each: index theme * 2 + frame. They face left, as the originals.</summary>
    public static byte[][] Enemies { get; } = [.. Enumerable.Range(0, 18).Select(i => MakeEnemy(i / 2, i % 2))];

    public static byte[][] Crates { get; } = [.. Enumerable.Range(0, 4).Select(MakeCrate)];

    /// <summary>The alien by skin and pose: index skin * 3 + pose (0 stand, 1 walk 1, 2 walk 2), facing right.</summary>
    public static byte[][] Agents { get; } = [.. Enumerable.Range(0, 15).Select(i => MakeAgent(i / 3, i % 3))];

    private static readonly Lazy<byte[]>[] Backgrounds =
        [.. Enumerable.Range(0, CoinRunLevel.BackgroundCount).Select(i => new Lazy<byte[]>(() => MakeBackground(i)))];

    /// <summary>Background <paramref name="index"/> (0..48 landscapes, 49..61 space), RGB, <see cref="BackgroundWidth"/> x <see cref="BackgroundHeight"/>.</summary>
    public static byte[] Background(int index) => Backgrounds[index].Value;

    private static byte B(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private static void Put(byte[] s, int w, int x, int y, (int R, int G, int B) c, double shade = 0, byte a = 255)
    {
        int i = (y * w + x) * 4;
        s[i] = B(c.R + shade);
        s[i + 1] = B(c.G + shade);
        s[i + 2] = B(c.B + shade);
        s[i + 3] = a;
    }

    private static uint Hash(int a, int b, int c)
    {
        uint h = (uint)(a * 73856093) ^ (uint)(b * 19349663) ^ (uint)(c * 83492791);
        h ^= h >> 13;
        h *= 0x5bd1e995;
        h ^= h >> 15;
        return h;
    }

    private static byte[] Ground(int theme, bool surface)
    {
        var s = new byte[Tile * Tile * 4];
        var shades = GroundShades[theme];
        for (int y = 0; y < Tile; y++)
            for (int x = 0; x < Tile; x++)
            {
                // Offset bricks of 16 x 8 px, each one of three shades, with darker mortar lines.
                int row = y / 8, bx = (x + (row % 2) * 8) / 16;
                var c = shades[Hash(bx, row, theme) % 3];
                bool mortar = y % 8 == 7 || (x + (row % 2) * 8) % 16 == 15;
                Put(s, Tile, x, y, c, mortar ? -12 : 0);
            }
        if (surface)
        {
            var top = Surfaces[theme];
            for (int x = 0; x < Tile; x++)
            {
                int depth = 7 + (int)(Hash(x / 3, 1, theme) % 3);
                for (int y = 0; y < depth; y++) Put(s, Tile, x, y, top, y >= depth - 2 ? -26 : 0);
            }
        }
        return s;
    }

    private static byte[] Lava(bool top)
    {
        var s = new byte[Tile * Tile * 4];
        for (int y = 0; y < Tile; y++)
            for (int x = 0; x < Tile; x++)
            {
                double wave = 14 + 2.5 * Math.Sin(x * Math.PI / 8);
                if (top && y < wave) continue;   // transparent above the surface
                bool bubble = Hash(x / 4, y / 4, 7) % 9 == 0;
                double glow = top && y < wave + 3 ? 30 : 0;
                Put(s, Tile, x, y, (242, 98, 28), (bubble ? 25 : 0) + glow);
            }
        return s;
    }

    private static byte[] MakeCoin()
    {
        var s = new byte[Tile * Tile * 4];
        for (int y = 0; y < Tile; y++)
            for (int x = 0; x < Tile; x++)
            {
                double dx = x + 0.5 - 16, dy = y + 0.5 - 16, r = Math.Sqrt(dx * dx + dy * dy);
                if (r > 12) continue;
                var c = r > 10 ? (214, 154, 0) : (252, 208, 24);
                bool star = Math.Abs(dx) + Math.Abs(dy) < 5 || (Math.Abs(dx) < 1.5 && Math.Abs(dy) < 7) || (Math.Abs(dy) < 1.5 && Math.Abs(dx) < 7);
                Put(s, Tile, x, y, star ? (255, 240, 150) : c);
            }
        return s;
    }

    private static byte[] MakeSaw(int frame)
    {
        var s = new byte[Tile * Tile * 4];
        for (int y = 0; y < Tile; y++)
            for (int x = 0; x < Tile; x++)
            {
                double dx = x + 0.5 - 16, dy = y + 0.5 - 32, r = Math.Sqrt(dx * dx + dy * dy);
                double angle = Math.Atan2(dy, dx) + frame * Math.PI / 8;
                double teeth = 13 + 3 * (Math.Abs(((angle / (Math.PI / 4)) % 1 + 1) % 1 - 0.5) * 2);
                if (r > teeth) continue;
                Put(s, Tile, x, y, r < 5 ? (90, 90, 100) : (190, 192, 200), r > 13 ? -30 : 0);
            }
        return s;
    }

    private static byte[] MakeEnemy(int theme, int frame)
    {
        var s = new byte[Tile * Tile * 4];
        var c = EnemyColours[theme];
        bool worm = theme is 7 or 8, snail = theme == 5, ladybug = theme == 6, mouse = theme == 4;
        double squash = frame == 1 ? 1.5 : 0;
        for (int y = 0; y < Tile; y++)
            for (int x = 0; x < Tile; x++)
            {
                double px = x + 0.5, py = y + 0.5;
                double cx = 16, cy = worm ? 26 : 22 + squash, rx = worm ? 14 : 13 + squash, ry = worm ? 5 : 9 - squash;
                double e = (px - cx) * (px - cx) / (rx * rx) + (py - cy) * (py - cy) / (ry * ry);
                bool body = e <= 1 && py <= 31;
                if (theme == 0) body = px > 3 && px < 29 && py > 10 + squash && py < 31;   // the slime block
                bool shell = snail && (px - 20) * (px - 20) + (py - 17) * (py - 17) <= 64;
                if (!body && !shell) continue;
                var colour = shell ? (150, 95, 45) : c;
                double shade = shell && (int)Math.Sqrt((px - 20) * (px - 20) + (py - 17) * (py - 17)) % 3 == 0 ? -30 : 0;
                if (ladybug && body && py < 20 && Hash(x / 4, y / 4, 3) % 4 == 0) colour = (25, 25, 25);
                if (mouse && (px - 10) * (px - 10) + (py - 12) * (py - 12) <= 12) colour = (230, 160, 170);
                bool eye = (px - 8) * (px - 8) + (py - (worm ? 24 : 18)) * (py - (worm ? 24 : 18)) <= 5;
                Put(s, Tile, x, y, eye ? (20, 20, 30) : colour, eye ? 0 : shade + (py > 27 ? -25 : 0));
            }
        return s;
    }

    private static byte[] MakeCrate(int theme)
    {
        var s = new byte[Tile * Tile * 4];
        for (int y = 0; y < Tile; y++)
            for (int x = 0; x < Tile; x++)
            {
                bool frame = x < 3 || x > 28 || y < 3 || y > 28;
                bool brace = theme switch
                {
                    0 => Math.Abs(x - y) < 3 || Math.Abs(x + y - 31) < 3,
                    1 => Math.Abs(y - 15.5) < 2,
                    2 => Math.Abs(x - y) < 3,
                    _ => false,
                };
                (int, int, int) c = frame || brace ? (150, 95, 45) : (203, 150, 80);
                if (theme == 3 && !frame) c = (x + y) / 5 % 2 == 0 ? (240, 200, 40) : (40, 40, 40);
                Put(s, Tile, x, y, c, (y * 7 + x) % 11 == 0 ? -10 : 0);
            }
        return s;
    }

    private static byte[] MakeAgent(int skin, int pose)
    {
        // The alien fills the lower part of its tall image (its box is the lower 57%): a round head with a visor,
        // a body and two legs that swing apart in the walking poses.
        var s = new byte[AgentWidth * AgentHeight * 4];
        var c = Skins[skin];
        for (int y = 0; y < AgentHeight; y++)
            for (int x = 0; x < AgentWidth; x++)
            {
                double px = x + 0.5, py = y + 0.5;
                bool head = (px - 16) * (px - 16) + (py - 40) * (py - 40) <= 160;
                bool visor = (px - 20) * (px - 20) / 50 + (py - 39) * (py - 39) / 22 <= 1;
                bool body = px > 4 && px < 28 && py > 46 && py < 58;
                bool antenna = false;
                double legShift = pose == 1 ? 3 : pose == 2 ? -3 : 0;
                bool legs = py >= 58 && (Math.Abs(px - 10 - legShift) < 4 || Math.Abs(px - 22 + legShift) < 4);
                if (!(head || body || antenna || legs)) continue;
                if (visor) Put(s, AgentWidth, x, y, (60, 70, 90), py < 38 ? 60 : 0);
                else Put(s, AgentWidth, x, y, c, legs ? -35 : body ? -15 : 0);
            }
        return s;
    }

    private static byte[] MakeBackground(int index)
    {
        var s = new byte[BackgroundWidth * BackgroundHeight * 3 + 1];   // +1: the renderer reads pixels 4 bytes at a time
        bool space = index >= 49;
        var rng = Rng.ForStream((ulong)index, "coinrun-background");
        double hue = rng.NextDouble();
        (double R, double G, double B) Hsv(double h, double sat, double val)
        {
            h = (h % 1 + 1) % 1 * 6;
            int i = (int)h;
            double f = h - i, p = val * (1 - sat), q = val * (1 - sat * f), t = val * (1 - sat * (1 - f));
            return i switch { 0 => (val, t, p), 1 => (q, val, p), 2 => (p, val, t), 3 => (p, q, val), 4 => (t, p, val), _ => (val, p, q) };
        }
        var skyTop = space ? Hsv(hue, 0.6, 0.08) : Hsv(0.55 + 0.1 * (hue - 0.5), 0.45, 0.95);
        var skyBottom = space ? Hsv(hue + 0.1, 0.7, 0.2) : Hsv(0.5 + 0.2 * hue, 0.25, 1.0);
        var hill1 = Hsv(space ? hue : 0.2 + 0.2 * hue, 0.6, space ? 0.3 : 0.85);
        var hill2 = Hsv(space ? hue + 0.3 : 0.25 + 0.15 * hue, 0.65, space ? 0.2 : 0.7);
        double p1 = rng.NextDouble() * 6.28, p2 = rng.NextDouble() * 6.28;
        for (int y = 0; y < BackgroundHeight; y++)
            for (int x = 0; x < BackgroundWidth; x++)
            {
                double t = y / (double)(BackgroundHeight - 1);
                var c = (skyTop.R + (skyBottom.R - skyTop.R) * t, skyTop.G + (skyBottom.G - skyTop.G) * t, skyTop.B + (skyBottom.B - skyTop.B) * t);
                double u = x / (double)BackgroundWidth * 2 * Math.PI;
                double h1 = 0.62 + 0.08 * Math.Sin(2 * u + p1) + 0.04 * Math.Sin(5 * u + p2);
                double h2 = 0.78 + 0.06 * Math.Sin(3 * u + p2) + 0.03 * Math.Sin(7 * u + p1);
                if (t > h1) c = hill1;
                if (t > h2) c = hill2;
                if (space && Hash(x, y, index) % 97 == 0) c = (0.9, 0.9, 1.0);
                int i = (y * BackgroundWidth + x) * 3;
                s[i] = B(c.Item1 * 255);
                s[i + 1] = B(c.Item2 * 255);
                s[i + 2] = B(c.Item3 * 255);
            }
        return s;
    }
}
