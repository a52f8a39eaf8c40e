namespace Misgen.Envs.Procgen;

/// <summary>
/// The nine background textures, generated procedurally (no image files): 0 floortiles, 1 grass,
/// 2 cobblestones, 3 sand, 4 water, 5 dirt, 6 wooden planks, 7 bricks, 8 yellow sand dunes.
/// Each starts as a structure field (tiles, blades, waves...) and is then shifted and scaled per channel
/// to the mean and standard deviation of the original image (docs/ORIGINS.md §2), because those
/// statistics are what the colour-channel result depends on. Deterministic: fixed seeds.
/// </summary>
public static class Textures
{
    public const int Count = 9;
    public const int Size = 256;

    public static IReadOnlyList<string> Names { get; } =
        ["floortiles", "grass", "cobblestones", "sand", "water", "dirt", "planks", "bricks", "sand-yellow"];

    /// <summary>Per-channel mean (R, G, B) and std (R, G, B) of the originals, 0..255.</summary>
    public static IReadOnlyList<(double[] Mean, double[] Std)> Targets { get; } =
    [
        ([90.4, 92.6, 92.3], [14.0, 13.9, 14.1]),
        ([118.1, 148.0, 90.9], [14.8, 14.4, 15.7]),
        ([104.5, 104.3, 95.3], [23.2, 23.9, 22.1]),
        ([183.1, 176.3, 129.7], [9.5, 9.6, 11.4]),
        ([34.4, 96.9, 152.0], [4.4, 7.1, 10.9]),
        ([78.1, 59.4, 31.1], [9.9, 9.1, 7.2]),
        ([113.6, 58.4, 10.4], [25.7, 15.3, 4.2]),
        ([101.3, 51.3, 9.4], [12.7, 9.0, 3.1]),
        ([206.0, 174.5, 89.0], [11.8, 11.3, 11.3]),
    ];

    private static readonly Lazy<byte[][]> Images = new(() => Enumerable.Range(0, Count).Select(Make).ToArray());

    /// <summary>Texture <paramref name="index"/> as Size x Size RGB24, top row first.</summary>
    public static ReadOnlySpan<byte> Get(int index) => Images.Value[index];

    private static byte[] Make(int index)
    {
        var rng = Rng.ForStream((ulong)index, "texture");
        float[] shared = index switch
        {
            0 => FloorTiles(rng),
            1 => Grass(rng),
            2 => Cobblestones(rng),
            3 => Sand(rng),
            4 => Water(rng),
            5 => Dirt(rng),
            6 => Planks(rng),
            7 => Bricks(rng),
            _ => Dunes(rng),
        };
        var (mean, std) = Targets[index];
        var image = new byte[Size * Size * 3];
        float sharedStd = Std(shared);
        for (int c = 0; c < 3; c++)
        {
            // Channels share the structure; a little independent noise keeps the colour from being flat.
            float[] own = Fbm(rng, 32, 2, 0.5);
            float weight = 0.15f * sharedStd / Math.Max(1e-6f, Std(own));
            var field = new float[Size * Size];
            for (int i = 0; i < field.Length; i++) field[i] = shared[i] + weight * own[i];
            Calibrate(field, mean[c], std[c], image, c);
        }
        return image;
    }

    private static float Std(float[] f)
    {
        double m = 0, s = 0;
        foreach (float v in f) m += v;
        m /= f.Length;
        foreach (float v in f) s += (v - m) * (v - m);
        return (float)Math.Sqrt(s / f.Length);
    }

    /// <summary>Maps the field affinely to the target mean/std, rounding and clamping to bytes; a few
    /// correction rounds absorb what the rounding and clamping shifted.</summary>
    private static void Calibrate(float[] field, double targetMean, double targetStd, byte[] image, int channel)
    {
        double m = 0, s = 0;
        foreach (float v in field) m += v;
        m /= field.Length;
        foreach (float v in field) s += (v - m) * (v - m);
        s = Math.Sqrt(s / field.Length);
        double wantMean = targetMean, wantStd = targetStd;
        for (int round = 0; round < 6; round++)
        {
            double sum = 0, sum2 = 0;
            for (int i = 0; i < field.Length; i++)
            {
                double v = Math.Clamp(Math.Round(wantMean + wantStd * (field[i] - m) / s), 0, 255);
                image[i * 3 + channel] = (byte)v;
                sum += v;
                sum2 += v * v;
            }
            double gotMean = sum / field.Length;
            double gotStd = Math.Sqrt(Math.Max(0, sum2 / field.Length - gotMean * gotMean));
            if (Math.Abs(gotMean - targetMean) < 0.2 && Math.Abs(gotStd - targetStd) < 0.2) return;
            wantMean += targetMean - gotMean;
            wantStd *= targetStd / Math.Max(1e-6, gotStd);
        }
    }

    // ---- structure fields (any scale; Calibrate normalises) ----

    /// <summary>Smooth periodic value noise with <paramref name="cells"/> lattice cells per side.</summary>
    private static float[] ValueNoise(Rng rng, int cells)
    {
        var lattice = new float[cells * cells];
        for (int i = 0; i < lattice.Length; i++) lattice[i] = rng.NextFloat();
        var f = new float[Size * Size];
        double scale = (double)cells / Size;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double gx = x * scale, gy = y * scale;
                int x0 = (int)gx, y0 = (int)gy;
                double tx = Smooth(gx - x0), ty = Smooth(gy - y0);
                int x1 = (x0 + 1) % cells, y1 = (y0 + 1) % cells;
                double a = lattice[y0 * cells + x0], b = lattice[y0 * cells + x1];
                double c = lattice[y1 * cells + x0], d = lattice[y1 * cells + x1];
                f[y * Size + x] = (float)((a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty);
            }
        return f;
    }

    private static double Smooth(double t) => t * t * (3 - 2 * t);

    private static float[] Fbm(Rng rng, int cells, int octaves, double gain)
    {
        var f = new float[Size * Size];
        double amplitude = 1;
        for (int o = 0; o < octaves && cells <= Size; o++, cells *= 2, amplitude *= gain)
        {
            var n = ValueNoise(rng, cells);
            for (int i = 0; i < f.Length; i++) f[i] += (float)(amplitude * n[i]);
        }
        return f;
    }

    private static float[] FloorTiles(Rng rng)
    {
        const int tile = 32, grout = 3;
        var fine = Fbm(rng, 64, 2, 0.5);
        var shade = new float[(Size / tile) * (Size / tile)];
        for (int i = 0; i < shade.Length; i++) shade[i] = rng.NextFloat() * 0.5f;
        var f = new float[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                int tx = x % tile, ty = y % tile;
                float v = 1.2f + shade[(y / tile) * (Size / tile) + x / tile] + 0.5f * fine[y * Size + x];
                if (tx < grout || ty < grout) v = 0.2f + 0.3f * fine[y * Size + x];          // grout
                else if (tx < grout + 2 || ty < grout + 2) v += 0.35f;                          // lit bevel
                else if (tx >= tile - 2 || ty >= tile - 2) v -= 0.35f;                          // shaded bevel
                f[y * Size + x] = v;
            }
        return f;
    }

    private static float[] Grass(Rng rng)
    {
        var f = Fbm(rng, 8, 3, 0.5);
        for (int i = 0; i < f.Length; i++) f[i] *= 1.2f;
        for (int blade = 0; blade < 5000; blade++)
        {
            double x = rng.NextDouble() * Size, y = rng.NextDouble() * Size;
            double slant = (rng.NextDouble() - 0.5) * 0.8;
            int length = 5 + rng.NextInt(9);
            float light = rng.NextFloat() < 0.6f ? 0.45f : -0.35f;
            for (int k = 0; k < length; k++)
            {
                int px = ((int)(x + slant * k) % Size + Size) % Size, py = ((int)(y - k) % Size + Size) % Size;
                float shade = light * (1 - k / (float)length * 0.5f);
                f[py * Size + px] += shade;                       // blades two pixels wide
                f[py * Size + (px + 1) % Size] += shade * 0.8f;
            }
        }
        return f;
    }

    private static float[] Cobblestones(Rng rng)
    {
        const int grid = 8; // stones per side, jittered Voronoi
        int cell = Size / grid;
        var px = new double[grid * grid];
        var py = new double[grid * grid];
        var shade = new float[grid * grid];
        for (int i = 0; i < px.Length; i++)
        {
            px[i] = (i % grid + 0.2 + 0.6 * rng.NextDouble()) * cell;
            py[i] = (i / grid + 0.2 + 0.6 * rng.NextDouble()) * cell;
            shade[i] = rng.NextFloat();
        }
        var fine = Fbm(rng, 32, 3, 0.5);
        var f = new float[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double d1 = double.MaxValue, d2 = double.MaxValue;
                int nearest = 0;
                int gx = x / cell, gy = y / cell;
                for (int oy = -1; oy <= 1; oy++)
                    for (int ox = -1; ox <= 1; ox++)
                    {
                        int cx = (gx + ox + grid) % grid, cy = (gy + oy + grid) % grid;
                        int i = cy * grid + cx;
                        double dx = px[i] + (gx + ox - cx) * cell - x - 0.5, dy = py[i] + (gy + oy - cy) * cell - y - 0.5;
                        double d = Math.Sqrt(dx * dx + dy * dy);
                        if (d < d1) { d2 = d1; d1 = d; nearest = i; }
                        else if (d < d2) d2 = d;
                    }
                double edge = d2 - d1;
                float v = edge < 2.5 ? 0.1f : (float)(0.9 + 0.6 * shade[nearest] + 0.25 * Math.Min(1, (edge - 2.5) / 8));
                f[y * Size + x] = v + 0.35f * fine[y * Size + x];
            }
        return f;
    }

    private static float[] Sand(Rng rng)
    {
        var warp = Fbm(rng, 4, 2, 0.5);
        var grain = ValueNoise(rng, 128);
        var f = new float[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                int i = y * Size + x;
                double ripple = Math.Sin((x * 0.6 + y) * 2 * Math.PI / 21 + 6 * warp[i]);
                f[i] = (float)(0.6 * ripple + 0.5 * grain[i]);
            }
        return f;
    }

    private static float[] Water(Rng rng)
    {
        var warp = Fbm(rng, 4, 3, 0.5);
        var f = new float[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                int i = y * Size + x;
                double a = Math.Sin(2 * Math.PI * (y / 18.0 + 1.5 * warp[i] + 0.15 * Math.Sin(2 * Math.PI * x / 64.0)));
                double b = Math.Sin(2 * Math.PI * (x / 40.0 + y / 70.0 + 2 * warp[i]));
                f[i] = (float)(Math.Pow(Math.Abs(a), 6) * 1.2 + 0.3 * b);   // thin bright crests over slow swell
            }
        return f;
    }

    private static float[] Dirt(Rng rng)
    {
        var f = Fbm(rng, 16, 4, 0.55);
        for (int pebble = 0; pebble < 120; pebble++)
        {
            double cx = rng.NextDouble() * Size, cy = rng.NextDouble() * Size, r = 1.5 + rng.NextDouble() * 3.5;
            float light = rng.NextFloat() < 0.5f ? 0.5f : -0.4f;
            for (int y = (int)(cy - r); y <= (int)(cy + r); y++)
                for (int x = (int)(cx - r); x <= (int)(cx + r); x++)
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
                        f[((y % Size + Size) % Size) * Size + (x % Size + Size) % Size] += light;
        }
        return f;
    }

    private static float[] Planks(Rng rng)
    {
        const int plank = 32;
        var grainWarp = Fbm(rng, 8, 2, 0.5);
        var shade = new float[Size / plank];
        var offset = new int[Size / plank];
        for (int i = 0; i < shade.Length; i++) { shade[i] = rng.NextFloat(); offset[i] = rng.NextInt(Size); }
        var f = new float[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                int row = y / plank, i = y * Size + x;
                double grain = Math.Sin(2 * Math.PI * (y / 5.0 + 3 * grainWarp[i]));
                float v = (float)(0.8 + 0.7 * shade[row] + 0.35 * grain);
                bool seam = y % plank < 2 || (x + offset[row]) % 128 < 2;
                f[i] = seam ? -0.6f : v;
            }
        return f;
    }

    private static float[] Bricks(Rng rng)
    {
        const int h = 32, w = 64, mortar = 4;
        var fine = Fbm(rng, 64, 2, 0.5);
        var shade = new float[(Size / h) * (Size / w + 1)];
        for (int i = 0; i < shade.Length; i++) shade[i] = rng.NextFloat();
        var f = new float[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                int row = y / h, shift = row % 2 * (w / 2), bx = (x + shift) / w, i = y * Size + x;
                bool isMortar = y % h < mortar || (x + shift) % w < mortar;
                f[i] = isMortar ? 0.1f + 0.2f * fine[i] : 1.0f + 0.5f * shade[row * (Size / w + 1) + bx] + 0.3f * fine[i];
            }
        return f;
    }

    private static float[] Dunes(Rng rng)
    {
        var warp = Fbm(rng, 2, 3, 0.5);
        var grain = ValueNoise(rng, 256);
        var f = new float[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                int i = y * Size + x;
                double phase = (y + 0.3 * x) / 64.0 + 1.5 * warp[i];
                double dune = phase - Math.Floor(phase);           // sawtooth: long lit slope, short shaded face
                dune = dune < 0.8 ? dune / 0.8 : (1 - dune) / 0.2;
                f[i] = (float)(dune + 0.35 * grain[i]);
            }
        return f;
    }
}
