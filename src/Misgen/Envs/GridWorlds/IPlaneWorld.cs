namespace Misgen.Envs.GridWorlds;

/// <summary>
/// A gridworld observed as one-hot planes: a square of <see cref="Side"/> cells (its border included), one
/// byte plane per kind of thing. The game says which cells of which plane are lit; <see cref="PlaneRenderer{TGame}"/>
/// turns that into observations and <see cref="PlanePictureRenderer{TGame}"/> into the human view.
/// </summary>
public interface IPlaneWorld : IGame
{
    /// <summary>Cells per side of the observed square, border included.</summary>
    int Side { get; }

    /// <summary>Lights what changes only with <see cref="IGame.LevelVersion"/> (walls).</summary>
    void DrawStatic(PlaneCanvas canvas);

    /// <summary>Lights everything else (the agent, monsters, items, trees, the inventory).</summary>
    void DrawDynamic(PlaneCanvas canvas);

    /// <summary>True for the cells of the surrounding wall (drawn grey in the human view when no plane lights them).</summary>
    bool IsBorder(int x, int y);
}

/// <summary>
/// A frame being drawn: <see cref="Set"/> lights cell (x, y) (x from the left, y from the bottom) in one plane.
/// Cells are <c>cell</c> pixels wide; the square sits in the top-left corner and the rest of a larger frame stays 0.
/// </summary>
public readonly ref struct PlaneCanvas
{
    private readonly Span<byte> frame;
    private readonly int size, channels, cell, side;

    public PlaneCanvas(Span<byte> frame, int size, int channels, int cell, int side)
    {
        this.frame = frame;
        this.size = size;
        this.channels = channels;
        this.cell = cell;
        this.side = side;
    }

    public void Set(int x, int y, int channel)
    {
        int top = (side - 1 - y) * cell, left = x * cell;
        for (int py = top; py < top + cell; py++)
        {
            int o = (py * size + left) * channels + channel;
            for (int px = 0; px < cell; px++, o += channels) frame[o] = 255;
        }
    }
}
