using System.Collections.Concurrent;
using Misgen.Envs.Procgen;

namespace Misgen.Envs.Cheese;

/// <summary>
/// Draws cheese mazes at one observation size, procgen's look without antialiasing: the whole world is the frame
/// (a tile is Size / World px, 2.56 at 64x64 for world 25), the level's texture stretched behind it, sandy wall
/// tiles, the cheese and the mouse. Pixels belong to the tile their centre falls in. Sprites are sampled by
/// coverage: a pixel shows the sprite when at least half of its footprint is sprite, in the footprint's most
/// common colour, and a sprite whose tile would show none of it gets its best-covered pixel, because with tiles
/// of 2-3 px nearest sampling loses the mouse on some tiles. Everything depending only on the size is computed
/// once per (world, size) and shared.
/// </summary>
public sealed class CheeseRenderer : GameRenderer<CheeseGame>
{
    private static readonly ConcurrentDictionary<(int, int), Lazy<CheeseRenderer>> Cache = new();

    private readonly int[] pixelStart;          // first pixel column (and row, from the top) of tile k; [World] = Size
    private readonly byte[] wallLayer;          // the whole frame as wall
    private readonly Lazy<byte[][]> textureLayers;
    private readonly Lazy<(int[] Offsets, byte[] Colours)[]> cheese;  // per world cell
    private readonly Lazy<(int[] Offsets, byte[] Colours)[]> mouse;   // per world cell * 2 (+1 facing right)

    private CheeseRenderer(int world, int size)
    {
        World = world;
        Size = size;
        FrameBytes = size * size * 3;
        pixelStart = new int[world + 1];
        for (int k = 0, p = 0; k <= world; k++)
        {
            while (p < size && TileOfPixel(p) < k) p++;
            pixelStart[k] = p;
        }
        wallLayer = new byte[FrameBytes];
        double c = TilePixels;
        for (int py = 0; py < size; py++)
            for (int px = 0; px < size; px++)
            {
                int sx = Math.Clamp((int)((px + 0.5 - TileOfPixel(px) * c) / c * Sprites.Size), 0, Sprites.Size - 1);
                int sy = Math.Clamp((int)((py + 0.5 - TileOfPixel(py) * c) / c * Sprites.Size), 0, Sprites.Size - 1);
                Sprites.Wall.AsSpan((sy * Sprites.Size + sx) * 3, 3).CopyTo(wallLayer.AsSpan((py * size + px) * 3));
            }
        textureLayers = new(() => Enumerable.Range(0, Textures.Count).Select(StretchTexture).ToArray());
        cheese = new(() => Enumerable.Range(0, world * world).Select(cell => Sample(cell, CheeseSprite.Pixels, CheeseSprite.Colours, false)).ToArray());
        (byte, byte, byte)[] mouseColours = [(0, 0, 0), Palette.Mouse, Palette.MouseEar, Palette.MouseEye, Palette.MouseTail];
        mouse = new(() => Enumerable.Range(0, world * world * 2).Select(i => Sample(i / 2, Sprites.Mouse, mouseColours, i % 2 == 1)).ToArray());
    }

    /// <summary>The renderer for a world side and an observation size (built once, then shared).</summary>
    public static CheeseRenderer For(int world, int size)
    {
        if (world < 3 || world > 63 || world % 2 == 0)
            throw new MisgenInputException($"world side must be odd and within 3..63, got {world}");
        if (size < world || size > 4096)
            throw new MisgenInputException($"observation size {size} is invalid for a {world}x{world} world; valid: {world}..4096 pixels (64 is procgen's)");
        return Cache.GetOrAdd((world, size), k => new Lazy<CheeseRenderer>(() => new CheeseRenderer(k.Item1, k.Item2))).Value;
    }

    public int World { get; }
    public int Size { get; }
    public int FrameBytes { get; }
    public override ObservationShape Shape => new(Size, 3);
    private double TilePixels => (double)Size / World;

    private int TileOfPixel(int p) => Math.Min(World - 1, (int)((p + 0.5) * World / Size));

    /// <summary>The pixels and colours of a sprite in world cell <paramref name="cell"/> (see the class remarks).</summary>
    private (int[], byte[]) Sample(int cell, byte[] sprite, (byte R, byte G, byte B)[] colours, bool mirror)
    {
        int x = cell % World, row = World - 1 - cell / World;
        double c = TilePixels, scale = Sprites.Size / c;
        var offsets = new List<int>();
        var rgb = new List<byte>();
        var counts = new int[colours.Length];
        int bestOffset = -1, bestValue = 0;
        double bestCoverage = 0;
        for (int py = pixelStart[row]; py < pixelStart[row + 1]; py++)
            for (int px = pixelStart[x]; px < pixelStart[x + 1]; px++)
            {
                int sx0 = Math.Clamp((int)Math.Round((px - x * c) * scale), 0, Sprites.Size), sx1 = Math.Clamp((int)Math.Round((px + 1 - x * c) * scale), 0, Sprites.Size);
                int sy0 = Math.Clamp((int)Math.Round((py - row * c) * scale), 0, Sprites.Size), sy1 = Math.Clamp((int)Math.Round((py + 1 - row * c) * scale), 0, Sprites.Size);
                if (sx1 <= sx0 || sy1 <= sy0) continue;
                Array.Clear(counts);
                for (int sy = sy0; sy < sy1; sy++)
                    for (int sx = sx0; sx < sx1; sx++)
                        counts[sprite[sy * Sprites.Size + (mirror ? Sprites.Size - 1 - sx : sx)]]++;
                int total = (sx1 - sx0) * (sy1 - sy0), value = 1;
                for (int v = 2; v < counts.Length; v++)
                    if (counts[v] > counts[value]) value = v;
                double coverage = (double)(total - counts[0]) / total;
                int offset = (py * Size + px) * 3;
                if (coverage > bestCoverage) (bestCoverage, bestOffset, bestValue) = (coverage, offset, value);
                if (coverage < 0.5) continue;
                offsets.Add(offset);
                rgb.AddRange([colours[value].R, colours[value].G, colours[value].B]);
            }
        if (offsets.Count == 0 && bestOffset >= 0)
        {
            offsets.Add(bestOffset);
            rgb.AddRange([colours[bestValue].R, colours[bestValue].G, colours[bestValue].B]);
        }
        return ([.. offsets], [.. rgb]);
    }

    private byte[] StretchTexture(int index)
    {
        var source = Textures.Get(index);
        var layer = new byte[FrameBytes];
        for (int py = 0; py < Size; py++)
            for (int px = 0; px < Size; px++)
            {
                int sx = (int)((px + 0.5) * Textures.Size / Size), sy = (int)((py + 0.5) * Textures.Size / Size);
                source.Slice((sy * Textures.Size + sx) * 3, 3).CopyTo(layer.AsSpan((py * Size + px) * 3));
            }
        return layer;
    }

    /// <summary>Pixels the mouse covers in cell (x, y) (for tests: every tile and facing shows the mouse).</summary>
    public int MousePixels(int x, int y, bool facingRight) => mouse.Value[(y * World + x) * 2 + (facingRight ? 1 : 0)].Offsets.Length;

    /// <summary>Pixels the cheese covers in cell (x, y).</summary>
    public int CheesePixels(int x, int y) => cheese.Value[y * World + x].Offsets.Length;

    public override void DrawLevel(CheeseGame game, Span<byte> layer) => DrawLevel(game.Level, layer);

    /// <summary>Background, walls and the cheese (everything but the mouse).</summary>
    public void DrawLevel(CheeseLevel level, Span<byte> frame)
    {
        if (level.World != World) throw new ArgumentException("level and renderer world sides differ", nameof(level));
        frame = frame[..FrameBytes];
        textureLayers.Value[level.BackgroundIndex].CopyTo(frame);
        int rowBytes = Size * 3;
        for (int y = 0; y < World; y++)
        {
            int row = World - 1 - y;
            for (int x = 0; x < World; x++)
            {
                if (!level.IsWall(x, y)) continue;
                int start = pixelStart[x] * 3, length = (pixelStart[x + 1] - pixelStart[x]) * 3;
                for (int py = pixelStart[row]; py < pixelStart[row + 1]; py++)
                    wallLayer.AsSpan(py * rowBytes + start, length).CopyTo(frame.Slice(py * rowBytes + start, length));
            }
        }
        if (level.CheeseCell >= 0) Paint(frame, cheese.Value[level.CheeseCell]);
    }

    public override void DrawFrame(CheeseGame game, ReadOnlySpan<byte> layer, Span<byte> frame)
    {
        layer[..FrameBytes].CopyTo(frame);
        Paint(frame, mouse.Value[(game.AgentY * World + game.AgentX) * 2 + (game.FacingRight ? 1 : 0)]);
    }

    private static void Paint(Span<byte> frame, (int[] Offsets, byte[] Colours) sprite)
    {
        var (offsets, colours) = sprite;
        for (int i = 0; i < offsets.Length; i++)
        {
            int o = offsets[i];
            frame[o] = colours[i * 3];
            frame[o + 1] = colours[i * 3 + 1];
            frame[o + 2] = colours[i * 3 + 2];
        }
    }
}
