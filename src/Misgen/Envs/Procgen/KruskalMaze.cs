namespace Misgen.Envs.Procgen;

/// <summary>
/// procgen's maze generator (its MazeGen) with procgen's exact draw order, shared by every procgen game
/// built on a maze (the colour-versus-shape maze, the cheese maze, keys and chests): a randomised Kruskal
/// over the rooms at (even, even), then objects on random cells that Kruskal opened. The grid is padded by
/// a one-cell border and holds procgen's values (<see cref="Wall"/>, <see cref="Space"/>, object codes);
/// buffers are reused across <see cref="Generate"/> calls, so a reset allocates nothing.
/// </summary>
/// <remarks>
/// Kruskal: candidate walls between neighbouring rooms, horizontal pairs first, then vertical; repeatedly
/// one is drawn with randn(#walls left) and erased from the list keeping the others' order (vector::erase),
/// and it is opened when its two rooms are in different sets. The first room is marked 0 (not
/// <see cref="Space"/>) until a wall next to it opens, which matters to games that test for space.
/// Coordinates: maze cell (x, y), y = 0 is the bottom row; padded index (y + 1) * Padded + x + 1.
/// </remarks>
public sealed class KruskalMaze
{
    public const int Wall = 51;
    public const int Space = 100;
    /// <summary>What a padded-border cell reports (procgen's INVALID_OBJ).</summary>
    public const int Invalid = -1;

    private readonly int[] grid;
    private readonly int[] setOf;
    private readonly int[] wallX1, wallY1, wallX2, wallY2;
    private readonly int[] freeCells;       // procgen's free_cells: cells opened by Kruskal, in opening order
    private readonly bool[] isFree;
    private readonly int[] slots;           // free_cells copy used while placing objects (-1 = taken)

    /// <param name="maxSize">The largest maze side this instance will generate (odd, 3..63).</param>
    public KruskalMaze(int maxSize)
    {
        if (maxSize < 3 || maxSize > 63 || maxSize % 2 == 0)
            throw new MisgenInputException($"maze size must be odd and within 3..63, got {maxSize}");
        MaxSize = maxSize;
        int padded = maxSize + 2, n = maxSize * maxSize;
        grid = new int[padded * padded];
        setOf = new int[n];
        wallX1 = new int[n]; wallY1 = new int[n]; wallX2 = new int[n]; wallY2 = new int[n];
        freeCells = new int[n];
        isFree = new bool[n];
        slots = new int[n];
    }

    public int MaxSize { get; }

    /// <summary>Side of the maze last generated.</summary>
    public int Size { get; private set; }

    /// <summary>Side of the padded grid: <see cref="Size"/> + 2.</summary>
    public int Padded => Size + 2;

    /// <summary>The padded grid of the last maze: (Size + 2)^2 values, row-major from the bottom border row.</summary>
    public Span<int> Grid => grid.AsSpan(0, Padded * Padded);

    /// <summary>The value of maze cell (x, y), 0-based inside the border.</summary>
    public int this[int x, int y] => grid[(y + 1) * Padded + x + 1];

    /// <summary>Cells opened by Kruskal (index y * Size + x), in procgen's free_cells order.</summary>
    public ReadOnlySpan<int> FreeCells => freeCells.AsSpan(0, FreeCellCount);
    public int FreeCellCount { get; private set; }

    /// <summary>Padded-grid value at padded index <paramref name="index"/>, <see cref="Invalid"/> on the border.</summary>
    public int PaddedValue(int index)
    {
        int p = Padded, x = index % p, y = index / p;
        if (x <= 0 || x >= p - 1 || y <= 0 || y >= p - 1) return Invalid;
        return grid[index];
    }

    /// <summary>Generates a <paramref name="size"/> x <paramref name="size"/> maze (procgen's generate_maze).</summary>
    public void Generate(Mt19937 rng, int size)
    {
        if (size < 3 || size > MaxSize || size % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"odd, 3..{MaxSize}");
        Size = size;
        int d = size, padded = Padded;
        var g = Grid;
        g.Fill(Wall);
        g[padded + 1] = 0;
        FreeCellCount = 0;
        Array.Clear(isFree, 0, d * d);
        for (int i = 0; i < d * d; i++) setOf[i] = i;

        int walls = 0;
        for (int i = 1; i < d - 1; i += 2)
            for (int j = 0; j < d; j += 2)
                (wallX1[walls], wallY1[walls], wallX2[walls], wallY2[walls], walls) = (i - 1, j, i + 1, j, walls + 1);
        for (int i = 0; i < d; i += 2)
            for (int j = 1; j < d - 1; j += 2)
                (wallX1[walls], wallY1[walls], wallX2[walls], wallY2[walls], walls) = (i, j - 1, i, j + 1, walls + 1);

        while (walls > 0)
        {
            int n = rng.Randn(walls);
            int x1 = wallX1[n], y1 = wallY1[n], x2 = wallX2[n], y2 = wallY2[n];
            int set0 = setOf[d * y1 + x1], set1 = setOf[d * y2 + x2];
            int x0 = (x1 + x2) / 2, y0 = (y1 + y2) / 2;
            if (g[(y0 + 1) * padded + x0 + 1] == Wall && set0 != set1)
            {
                Open(x1, y1);
                Open(x0, y0);
                Open(x2, y2);
                for (int i = 0; i < d * d; i++)
                    if (setOf[i] == set0) setOf[i] = set1;
                setOf[d * y0 + x0] = set1;
            }
            int tail = walls - n - 1;
            Array.Copy(wallX1, n + 1, wallX1, n, tail);
            Array.Copy(wallY1, n + 1, wallY1, n, tail);
            Array.Copy(wallX2, n + 1, wallX2, n, tail);
            Array.Copy(wallY2, n + 1, wallY2, n, tail);
            walls--;
        }
        FreeCells.CopyTo(slots);
    }

    private void Open(int x, int y)
    {
        grid[(y + 1) * Padded + x + 1] = Space;
        int cell = Size * y + x;
        if (!isFree[cell])
        {
            isFree[cell] = true;
            freeCells[FreeCellCount++] = cell;
        }
    }

    /// <summary>
    /// Places one object (procgen's place_objects, one at a time): randn(#free cells) until the drawn slot is
    /// still unused and is not cell 0; writes <paramref name="value"/> into the grid and returns the cell.
    /// </summary>
    public int PlaceObject(Mt19937 rng, int value)
    {
        int m = rng.Randn(FreeCellCount);
        while (slots[m] == -1 || slots[m] == 0) m = rng.Randn(FreeCellCount);
        int cell = slots[m];
        slots[m] = -1;
        grid[(cell / Size + 1) * Padded + cell % Size + 1] = value;
        return cell;
    }
}
