using System.Collections.Concurrent;
using Misgen.Envs.Procgen;

namespace Misgen.Envs.Maze;

/// <summary>
/// Draws maze games at one observation size without antialiasing, the procgen way: the world's cells
/// map to pixels by pixel centre (cell = Size / WorldSize px, e.g. 12.8 at 64x64 for a 5x5 world), sprites are
/// sampled nearest-neighbour into their cells, y = 0 is the bottom row. Everything that depends only on the
/// size (stretched textures, the wall layer, object and mouse pixels per cell) is computed once here, so
/// drawing a level is a few copies and drawing a step is one copy plus the mouse.
/// </summary>
public sealed class MazeRenderer : GameRenderer<MazeGame>
{
    private const double ObjectMargin = 0.02; // objects fill their cell with a 0.02-cell margin

    private static readonly ConcurrentDictionary<(int, int), Lazy<MazeRenderer>> Cache = new();

    private readonly int[] pixelStart;         // first pixel column (and row, counted from the top) of screen cell k; [W] = Size
    private readonly byte[] wallLayer;         // the whole frame as wall, Size*Size*3
    private readonly Lazy<byte[][]> textureLayers;
    private readonly int[][] lineOffsets, gemOffsets;    // per world cell: byte offsets of the sprite's pixels
    private readonly int[][] mouseOffsets;             // per world cell * 2 (+1 facing right)
    private readonly byte[][] mouseColours;            // RGB per mouse pixel

    private MazeRenderer(int worldSize, int size)
    {
        WorldSize = worldSize;
        Size = size;
        FrameBytes = size * size * 3;
        pixelStart = new int[worldSize + 1];
        for (int k = 0, p = 0; k <= worldSize; k++)
        {
            while (p < size && CellOfPixel(p) < k) p++;
            pixelStart[k] = p;
        }
        wallLayer = new byte[FrameBytes];
        for (int py = 0; py < size; py++)
            for (int px = 0; px < size; px++)
            {
                int sx = SpriteIndex(px, CellOfPixel(px) * CellPixels, CellPixels);
                int sy = SpriteIndex(py, CellOfPixel(py) * CellPixels, CellPixels);
                Sprites.Wall.AsSpan((sy * Sprites.Size + sx) * 3, 3).CopyTo(wallLayer.AsSpan((py * size + px) * 3));
            }
        textureLayers = new Lazy<byte[][]>(() => Enumerable.Range(0, Textures.Count).Select(StretchTexture).ToArray());

        int cells = worldSize * worldSize;
        lineOffsets = new int[cells][];
        gemOffsets = new int[cells][];
        mouseOffsets = new int[cells * 2][];
        mouseColours = new byte[cells * 2][];
        for (int cell = 0; cell < cells; cell++)
        {
            lineOffsets[cell] = MaskOffsets(cell, ObjectSprites.Line);
            gemOffsets[cell] = MaskOffsets(cell, ObjectSprites.Gem);
            for (int facing = 0; facing < 2; facing++)
                (mouseOffsets[cell * 2 + facing], mouseColours[cell * 2 + facing]) = MouseOffsets(cell, facing == 1);
        }
    }

    /// <summary>The renderer for a world size and an observation size (built once, then shared).</summary>
    public static MazeRenderer For(int worldSize, int size)
    {
        if (worldSize < 3 || worldSize > 25 || worldSize % 2 == 0)
            throw new MisgenInputException($"maze size must be odd and within 3..25, got {worldSize}");
        if (size < worldSize || size > 4096)
            throw new MisgenInputException($"observation size {size} is invalid; valid: {worldSize}..4096 pixels (64 is procgen's)");
        return Cache.GetOrAdd((worldSize, size), k => new Lazy<MazeRenderer>(() => new MazeRenderer(k.Item1, k.Item2))).Value;
    }

    public int WorldSize { get; }
    public int Size { get; }
    public int FrameBytes { get; }
    public override ObservationShape Shape => new(Size, 3);
    private double CellPixels => (double)Size / WorldSize;

    /// <summary>Screen cell (0 = left column, or top row) that pixel <paramref name="p"/>'s centre falls in.</summary>
    private int CellOfPixel(int p) => Math.Min(WorldSize - 1, (int)((p + 0.5) * WorldSize / Size));

    /// <summary>Nearest 128-px sprite index for pixel p drawn into [origin, origin + extent).</summary>
    private static int SpriteIndex(int p, double origin, double extent) =>
        Math.Clamp((int)((p + 0.5 - origin) / extent * Sprites.Size), 0, Sprites.Size - 1);

    /// <summary>Pixels of sprite <paramref name="mask"/> drawn into world cell <paramref name="cell"/> with the object margin.</summary>
    private int[] MaskOffsets(int cell, bool[] mask)
    {
        int x = cell % WorldSize, row = WorldSize - 1 - cell / WorldSize;
        double c = CellPixels, margin = ObjectMargin * c;
        double x0 = x * c + margin, y0 = row * c + margin, extent = c - 2 * margin;
        var offsets = new List<int>();
        for (int py = pixelStart[row]; py < pixelStart[row + 1]; py++)
            for (int px = pixelStart[x]; px < pixelStart[x + 1]; px++)
            {
                if (px + 0.5 < x0 || px + 0.5 >= x0 + extent || py + 0.5 < y0 || py + 0.5 >= y0 + extent) continue;
                if (mask[SpriteIndex(py, y0, extent) * Sprites.Size + SpriteIndex(px, x0, extent)])
                    offsets.Add((py * Size + px) * 3);
            }
        return [.. offsets];
    }

    private (int[], byte[]) MouseOffsets(int cell, bool facingRight)
    {
        int x = cell % WorldSize, row = WorldSize - 1 - cell / WorldSize;
        double c = CellPixels;
        var offsets = new List<int>();
        var colours = new List<byte>();
        for (int py = pixelStart[row]; py < pixelStart[row + 1]; py++)
            for (int px = pixelStart[x]; px < pixelStart[x + 1]; px++)
            {
                int sx = SpriteIndex(px, x * c, c), sy = SpriteIndex(py, row * c, c);
                if (facingRight) sx = Sprites.Size - 1 - sx; // procgen mirrors the sprite
                var (r, g, b) = Sprites.Mouse[sy * Sprites.Size + sx] switch
                {
                    1 => Palette.Mouse,
                    2 => Palette.MouseEar,
                    3 => Palette.MouseEye,
                    4 => Palette.MouseTail,
                    _ => ((byte)0, (byte)0, (byte)0),
                };
                if (Sprites.Mouse[sy * Sprites.Size + sx] == 0) continue;
                offsets.Add((py * Size + px) * 3);
                colours.AddRange([r, g, b]);
            }
        return ([.. offsets], [.. colours]);
    }

    private byte[] StretchTexture(int index)
    {
        // Stretched over the maze area (the whole frame: these mazes have no margin), nearest sampling.
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

    /// <summary>The texture layer (index 0..8) at this size; for tests and pictures.</summary>
    public ReadOnlySpan<byte> TextureLayer(int index) => textureLayers.Value[index];

    /// <summary>Background, walls and objects of the level (everything but the agent) into <paramref name="layer"/>.</summary>
    public override void DrawLevel(MazeGame game, Span<byte> layer) => DrawLevel(game.Level, game.Config, layer);

    /// <summary>The level layer plus the mouse.</summary>
    public override void DrawFrame(MazeGame game, ReadOnlySpan<byte> layer, Span<byte> frame)
    {
        layer[..FrameBytes].CopyTo(frame);
        DrawAgent(frame, game.AgentX, game.AgentY, game.FacingRight);
    }

    /// <summary>Background, walls and objects of the level (everything but the agent) into <paramref name="frame"/>.</summary>
    public void DrawLevel(MazeLevel level, MazeConfig config, Span<byte> frame)
    {
        if (level.WorldSize != WorldSize) throw new ArgumentException("level and renderer world sizes differ", nameof(level));
        frame = frame[..FrameBytes];
        switch (config.Background)
        {
            case Background.Black: frame.Clear(); break;
            case Background.Grey: frame.Fill(Palette.Grey); break;
            default: textureLayers.Value[level.BackgroundIndex].CopyTo(frame); break;
        }
        var cells = level.Cells;
        int rowBytes = Size * 3;
        for (int cell = 0; cell < cells.Length; cell++)
        {
            var kind = cells[cell];
            if (kind == Cell.Space) continue;
            if (kind == Cell.Wall)
            {
                int x = cell % WorldSize, row = WorldSize - 1 - cell / WorldSize;
                int start = pixelStart[x] * 3, length = (pixelStart[x + 1] - pixelStart[x]) * 3;
                for (int py = pixelStart[row]; py < pixelStart[row + 1]; py++)
                    wallLayer.AsSpan(py * rowBytes + start, length).CopyTo(frame.Slice(py * rowBytes + start, length));
                continue;
            }
            var obj = kind == Cell.Obj1 ? config.Obj1 : config.Obj2!.Value;
            if (!obj.IsVisible) continue;
            var (r, g, b) = obj.Rgb;
            foreach (int o in obj.Shape == ObjectShape.Line ? lineOffsets[cell] : gemOffsets[cell])
            {
                frame[o] = r;
                frame[o + 1] = g;
                frame[o + 2] = b;
            }
        }
    }

    /// <summary>The mouse in cell (x, y), drawn over whatever is there.</summary>
    public void DrawAgent(Span<byte> frame, int x, int y, bool facingRight)
    {
        int index = (y * WorldSize + x) * 2 + (facingRight ? 1 : 0);
        var offsets = mouseOffsets[index];
        var colours = mouseColours[index];
        for (int i = 0; i < offsets.Length; i++)
        {
            int o = offsets[i];
            frame[o] = colours[i * 3];
            frame[o + 1] = colours[i * 3 + 1];
            frame[o + 2] = colours[i * 3 + 2];
        }
    }

    /// <summary>The whole observation of <paramref name="game"/>.</summary>
    public override void Draw(MazeGame game, Span<byte> frame)
    {
        DrawLevel(game.Level, game.Config, frame);
        DrawAgent(frame, game.AgentX, game.AgentY, game.FacingRight);
    }
}
