namespace Misgen.Envs;

/// <summary>What occupies one cell of a maze.</summary>
public enum Cell : byte { Wall = 0, Space = 1, Obj1 = 2, Obj2 = 3 }

/// <summary>
/// One maze level: procgen's Kruskal maze with the "no dead ends" pass, its background draw and
/// its objects, generated from a level seed with procgen's exact draw order so that every seed gives
/// the layout the original C++ gave. Buffers are reused across <see cref="Generate"/> calls (no allocation).
/// </summary>
/// <remarks>
/// Draw order (shared/data/README.md): rand01 (background x offset), randn(9) (background index),
/// Kruskal (randn(#walls left) per wall), the dead-end pass (randn(#adjacent walls) per dead end, in
/// index order over the padded grid), then each object: randn(#Kruskal cells) until the slot is unused
/// and is not cell 0. Cells opened by the dead-end pass never hold objects.
/// Coordinates: cell (x, y), y = 0 is the bottom row; index y * WorldSize + x.
/// </remarks>
public sealed class MazeLevel
{
    private const int Invalid = -1, PadWall = 51, PadSpace = 100;

    private readonly Mt19937 rng = new();
    private readonly int padded;            // WorldSize + 2: a one-cell border that get_obj reports as invalid
    private readonly int[] grid;            // padded grid, procgen's values
    private readonly int[] setOf;           // Kruskal: set label of each room cell
    private readonly int[] wallX1, wallY1, wallX2, wallY2;
    private readonly int[] freeCells;       // procgen's free_cells: cells opened by Kruskal, in opening order
    private readonly bool[] isFree;
    private readonly int[] slots;           // free_cells copy used while placing objects (-1 = taken)
    private readonly Cell[] cells;
    private readonly int[] neighbours = new int[4];

    public MazeLevel(int worldSize)
    {
        if (worldSize < 3 || worldSize > 25 || worldSize % 2 == 0)
            throw new MisgenInputException($"maze size must be odd and within 3..25, got {worldSize}");
        WorldSize = worldSize;
        padded = worldSize + 2;
        grid = new int[padded * padded];
        int n = worldSize * worldSize;
        setOf = new int[n];
        int maxWalls = worldSize * worldSize;
        wallX1 = new int[maxWalls]; wallY1 = new int[maxWalls]; wallX2 = new int[maxWalls]; wallY2 = new int[maxWalls];
        freeCells = new int[n];
        isFree = new bool[n];
        slots = new int[n];
        cells = new Cell[n];
    }

    public int WorldSize { get; }
    public int LevelSeed { get; private set; }
    public bool IsDuel { get; private set; }

    /// <summary>Index into the nine textures (0 floortiles, 1..8 detailed1..8); drawn even when unused.</summary>
    public int BackgroundIndex { get; private set; }

    /// <summary>procgen's background x offset draw (rand01); our square textures have no horizontal slack.</summary>
    public double BackgroundOffset { get; private set; }

    /// <summary>Row-major from the bottom row: index y * WorldSize + x.</summary>
    public ReadOnlySpan<Cell> Cells => cells;

    public Cell this[int x, int y] => cells[y * WorldSize + x];

    /// <summary>Cells opened by Kruskal (the ones objects may occupy), in procgen's free_cells order.</summary>
    public ReadOnlySpan<int> KruskalCells => freeCells.AsSpan(0, KruskalCellCount);
    public int KruskalCellCount { get; private set; }

    public int Obj1Cell { get; private set; } = -1;
    /// <summary>-1 in the training game.</summary>
    public int Obj2Cell { get; private set; } = -1;

    /// <summary>mt19937 outputs the whole reset consumed.</summary>
    public long RngDraws => rng.Draws;

    /// <summary>The agent took the object in <paramref name="cell"/> (procgen turns it into space).</summary>
    internal void Take(int cell) => cells[cell] = Cell.Space;

    public void Generate(int levelSeed, bool duel)
    {
        LevelSeed = levelSeed;
        IsDuel = duel;
        rng.Seed(unchecked((uint)levelSeed));
        BackgroundOffset = rng.Rand01();
        BackgroundIndex = rng.Randn(9);
        Kruskal();
        OpenDeadEnds();
        KruskalCells.CopyTo(slots);
        Obj1Cell = PlaceObject(Cell.Obj1);
        Obj2Cell = duel ? PlaceObject(Cell.Obj2) : -1;
        for (int y = 0; y < WorldSize; y++)
            for (int x = 0; x < WorldSize; x++)
            {
                int v = grid[(y + 1) * padded + x + 1];
                cells[y * WorldSize + x] = v == PadWall ? Cell.Wall : v == (int)Cell.Obj1 ? Cell.Obj1 : v == (int)Cell.Obj2 ? Cell.Obj2 : Cell.Space;
            }
    }

    private void Kruskal()
    {
        int d = WorldSize;
        Array.Fill(grid, PadWall);
        grid[padded + 1] = 0; // procgen marks the first room with 0 (not SPACE) until a wall next to it opens
        KruskalCellCount = 0;
        Array.Clear(isFree);
        for (int i = 0; i < d * d; i++) setOf[i] = i;

        // Candidate walls between rooms at (even, even): horizontal pairs first, then vertical, procgen's order.
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
            if (grid[(y0 + 1) * padded + x0 + 1] == PadWall && set0 != set1)
            {
                OpenKruskalCell(x1, y1);
                OpenKruskalCell(x0, y0);
                OpenKruskalCell(x2, y2);
                for (int i = 0; i < setOf.Length; i++)
                    if (setOf[i] == set0) setOf[i] = set1;
                setOf[d * y0 + x0] = set1;
            }
            // vector::erase keeps the order of the remaining walls, which the next draws index into.
            int tail = walls - n - 1;
            Array.Copy(wallX1, n + 1, wallX1, n, tail);
            Array.Copy(wallY1, n + 1, wallY1, n, tail);
            Array.Copy(wallX2, n + 1, wallX2, n, tail);
            Array.Copy(wallY2, n + 1, wallY2, n, tail);
            walls--;
        }
    }

    private void OpenKruskalCell(int x, int y)
    {
        grid[(y + 1) * padded + x + 1] = PadSpace;
        int cell = WorldSize * y + x;
        if (!isFree[cell])
        {
            isFree[cell] = true;
            freeCells[KruskalCellCount++] = cell;
        }
    }

    private int PaddedObj(int index)
    {
        int x = index % padded, y = index / padded;
        if (x <= 0 || x >= padded - 1 || y <= 0 || y >= padded - 1) return Invalid;
        return grid[index];
    }

    // Neighbours in procgen's order: left, down, up, right.
    private int NeighboursOfType(int index, int type)
    {
        int x = index % padded, y = index / padded, count = 0;
        int left = y * padded + x - 1, down = (y - 1) * padded + x, up = (y + 1) * padded + x, right = y * padded + x + 1;
        if (PaddedObj(left) == type) neighbours[count++] = left;
        if (PaddedObj(down) == type) neighbours[count++] = down;
        if (PaddedObj(up) == type) neighbours[count++] = up;
        if (PaddedObj(right) == type) neighbours[count++] = right;
        return count;
    }

    private void OpenDeadEnds()
    {
        for (int i = 0; i < grid.Length; i++)
        {
            if (PaddedObj(i) != PadSpace || NeighboursOfType(i, PadSpace) != 1) continue;
            int walls = NeighboursOfType(i, PadWall);
            if (walls > 0) grid[neighbours[rng.Randn(walls)]] = PadSpace;
        }
    }

    private int PlaceObject(Cell kind)
    {
        int m = rng.Randn(KruskalCellCount);
        while (slots[m] == -1 || slots[m] == 0) m = rng.Randn(KruskalCellCount);
        int cell = slots[m];
        slots[m] = -1;
        grid[(cell / WorldSize + 1) * padded + cell % WorldSize + 1] = (int)kind;
        return cell;
    }
}
