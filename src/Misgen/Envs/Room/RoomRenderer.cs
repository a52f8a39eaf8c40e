namespace Misgen.Envs.Room;

/// <summary>Grey floor, a green goal square, a white agent square; cells map to pixels by pixel centre.</summary>
public sealed class RoomRenderer : GameRenderer<RoomGame>
{
    private readonly int cells;
    private readonly int[] cellOfPixel;

    public RoomRenderer(int cells, int size)
    {
        if (size < cells || size > 4096)
            throw new MisgenInputException($"observation size {size} is invalid for a {cells}-cell room; valid: {cells}..4096");
        this.cells = cells;
        Shape = new ObservationShape(size, 3);
        cellOfPixel = new int[size];
        for (int p = 0; p < size; p++) cellOfPixel[p] = Math.Min(cells - 1, (int)((p + 0.5) * cells / size));
    }

    public override ObservationShape Shape { get; }

    public override void DrawLevel(RoomGame game, Span<byte> layer)
    {
        layer[..Shape.Bytes].Fill(96);
        Paint(layer, game.GoalX, game.GoalY, 40, 200, 60);
    }

    public override void DrawFrame(RoomGame game, ReadOnlySpan<byte> layer, Span<byte> frame)
    {
        layer[..Shape.Bytes].CopyTo(frame);
        Paint(frame, game.AgentX, game.AgentY, 240, 240, 240);
    }

    private void Paint(Span<byte> frame, int cellX, int cellY, byte r, byte g, byte b)
    {
        int size = Shape.Size, row = cells - 1 - cellY;
        for (int py = 0; py < size; py++)
        {
            if (cellOfPixel[py] != row) continue;
            for (int px = 0; px < size; px++)
            {
                if (cellOfPixel[px] != cellX) continue;
                int o = (py * size + px) * 3;
                frame[o] = r;
                frame[o + 1] = g;
                frame[o + 2] = b;
            }
        }
    }
}
