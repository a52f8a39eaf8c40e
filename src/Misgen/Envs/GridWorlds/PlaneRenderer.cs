namespace Misgen.Envs.GridWorlds;

/// <summary>
/// The agent's observation of a gridworld: <c>size</c> x <c>size</c> pixels, one byte per plane (0 or 255).
/// Each cell is <c>size / side</c> pixels; when the size is not a multiple of the side the grid sits in the
/// top-left corner and the remaining rows and columns are 0 in every plane (the trainer's observation sizes
/// are multiples of 8, so the 12-cell tree world is observed at 16 with a 4-pixel margin).
/// </summary>
public sealed class PlaneRenderer<TGame> : GameRenderer<TGame> where TGame : class, IPlaneWorld
{
    private readonly int side, cell;

    public PlaneRenderer(string game, int side, int channels, int size)
    {
        if (size < side || size > 4096)
            throw new MisgenInputException($"observation size {size} is too small for the {side}x{side} {game} world; valid: {side}..4096");
        this.side = side;
        cell = size / side;
        Shape = new ObservationShape(size, channels);
    }

    public override ObservationShape Shape { get; }

    public override void DrawLevel(TGame game, Span<byte> layer)
    {
        layer[..Shape.Bytes].Clear();
        game.DrawStatic(new PlaneCanvas(layer, Shape.Size, Shape.Channels, cell, side));
    }

    public override void DrawFrame(TGame game, ReadOnlySpan<byte> layer, Span<byte> frame)
    {
        layer[..Shape.Bytes].CopyTo(frame);
        game.DrawDynamic(new PlaneCanvas(frame, Shape.Size, Shape.Channels, cell, side));
    }
}

/// <summary>
/// How a gridworld's planes look: a colour per plane, painted in <paramref name="PaintOrder"/> (later planes
/// cover earlier ones), black where no plane is lit.
/// </summary>
public sealed record PlanePalette(IReadOnlyList<(byte R, byte G, byte B)> Colours, IReadOnlyList<int> PaintOrder)
{
    public static readonly (byte R, byte G, byte B) Border = (110, 110, 110);

    /// <summary>The colour of pixel <paramref name="pixel"/> of a planes observation; false when no plane is lit.</summary>
    public bool TryColour(ReadOnlySpan<byte> planes, int channels, int pixel, out (byte R, byte G, byte B) colour)
    {
        colour = default;
        bool lit = false;
        foreach (int c in PaintOrder)
        {
            if (planes[pixel * channels + c] == 0) continue;
            colour = Colours[c];
            lit = true;
        }
        return lit;
    }

    /// <summary>An observation of <paramref name="shape"/> as an RGB picture.</summary>
    public byte[] ToRgb(ReadOnlySpan<byte> observation, ObservationShape shape)
    {
        if (shape.Channels != Colours.Count)
            throw new MisgenInputException($"a {shape} observation does not have this world's {Colours.Count} planes");
        int pixels = shape.Size * shape.Size;
        var rgb = new byte[pixels * 3];
        for (int p = 0; p < pixels; p++)
        {
            if (!TryColour(observation, shape.Channels, p, out var colour)) continue;
            (rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]) = colour;
        }
        return rgb;
    }
}

/// <summary>
/// The human view of a gridworld: an RGB picture of any size, each pixel the colour of the cell under its
/// centre (the palette's, the border's grey, or dark floor), with a thin dark line between cells.
/// </summary>
public sealed class PlanePictureRenderer<TGame> : GameRenderer<TGame> where TGame : class, IPlaneWorld
{
    private readonly int side, channels;
    private readonly PlanePalette palette;
    private readonly int[] cellOfPixel;
    private readonly bool[] edgeOfPixel;

    public PlanePictureRenderer(int side, int channels, PlanePalette palette, int size)
    {
        if (size < side || size > 4096) throw new MisgenInputException($"picture size {size} is invalid; valid: {side}..4096");
        this.side = side;
        this.channels = channels;
        this.palette = palette;
        Shape = new ObservationShape(size, 3);
        cellOfPixel = new int[size];
        edgeOfPixel = new bool[size];
        for (int p = 0; p < size; p++)
        {
            cellOfPixel[p] = Math.Min(side - 1, (int)((p + 0.5) * side / size));
            edgeOfPixel[p] = size >= 8 * side && (p == 0 || Math.Min(side - 1, (int)((p - 0.5) * side / size)) != cellOfPixel[p]);
        }
    }

    public override ObservationShape Shape { get; }

    public override void DrawLevel(TGame game, Span<byte> layer) { }

    public override void DrawFrame(TGame game, ReadOnlySpan<byte> layer, Span<byte> frame)
    {
        Span<byte> planes = stackalloc byte[side * side * channels];
        planes.Clear();
        var canvas = new PlaneCanvas(planes, side, channels, 1, side);
        game.DrawStatic(canvas);
        game.DrawDynamic(canvas);
        int size = Shape.Size;
        for (int py = 0; py < size; py++)
        {
            int row = cellOfPixel[py];
            for (int px = 0; px < size; px++)
            {
                int col = cellOfPixel[px];
                var colour = palette.TryColour(planes, channels, row * side + col, out var c) ? c
                    : game.IsBorder(col, side - 1 - row) ? PlanePalette.Border : ((byte)24, (byte)24, (byte)28);
                if (edgeOfPixel[px] || edgeOfPixel[py]) colour = ((byte)(colour.Item1 / 2), (byte)(colour.Item2 / 2), (byte)(colour.Item3 / 2));
                int o = (py * size + px) * 3;
                (frame[o], frame[o + 1], frame[o + 2]) = colour;
            }
        }
    }
}
