using Misgen.Envs.Procgen;

namespace Misgen.Envs.Maze;

/// <summary>What occupies one cell of a maze.</summary>
public enum Cell : byte { Wall = 0, Space = 1, Obj1 = 2, Obj2 = 3 }

/// <summary>
/// One colour-versus-shape maze level: procgen's Kruskal maze (<see cref="KruskalMaze"/>) with the study's
/// "no dead ends" pass, its background draw and its objects, generated from a level seed with the original
/// draw order so that every seed gives the layout the original C++ gave. Buffers are reused across
/// <see cref="Generate"/> calls (no allocation).
/// </summary>
/// <remarks>
/// Draw order (docs/ORIGINS.md §2): rand01 (background x offset), randn(9) (background index), Kruskal,
/// the dead-end pass (randn(#adjacent walls) per dead end, in index order over the padded grid), then each
/// object (<see cref="KruskalMaze.PlaceObject"/>). Cells opened by the dead-end pass never hold objects.
/// Coordinates: cell (x, y), y = 0 is the bottom row; index y * WorldSize + x.
/// </remarks>
public sealed class MazeLevel
{
    private readonly Mt19937 rng = new();
    private readonly KruskalMaze maze;
    private readonly Cell[] cells;
    private readonly int[] neighbours = new int[4];

    public MazeLevel(int worldSize)
    {
        if (worldSize < 3 || worldSize > 25 || worldSize % 2 == 0)
            throw new MisgenInputException($"maze size must be odd and within 3..25, got {worldSize}");
        WorldSize = worldSize;
        maze = new KruskalMaze(worldSize);
        cells = new Cell[worldSize * worldSize];
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
    public ReadOnlySpan<int> KruskalCells => maze.FreeCells;
    public int KruskalCellCount => maze.FreeCellCount;

    public int Obj1Cell { get; private set; } = -1;
    /// <summary>-1 in the training game.</summary>
    public int Obj2Cell { get; private set; } = -1;

    /// <summary>mt19937 outputs the whole reset consumed.</summary>
    public long RngDraws => rng.Draws;

    /// <summary>The agent took the object in <paramref name="cell"/> (procgen turns it into space).</summary>
    internal void Take(int cell) => cells[cell] = Cell.Space;

    /// <summary>An edited cell (walls only: objects stay where the seed put them).</summary>
    internal void SetCell(int x, int y, Cell cell) => cells[y * WorldSize + x] = cell;

    /// <summary>
    /// A level laid out by hand (row-major from the bottom row, as <see cref="Cells"/>): no seed (-1), the first
    /// background texture, the objects where the cells say (-1 for none).
    /// </summary>
    internal void Load(ReadOnlySpan<Cell> layout, bool duel)
    {
        if (layout.Length != cells.Length) throw new ArgumentException($"layout has {layout.Length} cells, the {WorldSize}x{WorldSize} maze {cells.Length}");
        LevelSeed = -1;
        IsDuel = duel;
        BackgroundOffset = 0;
        BackgroundIndex = 0;
        layout.CopyTo(cells);
        Obj1Cell = layout.IndexOf(Cell.Obj1);
        Obj2Cell = layout.IndexOf(Cell.Obj2);
    }

    public void Generate(int levelSeed, bool duel)
    {
        LevelSeed = levelSeed;
        IsDuel = duel;
        rng.Seed(unchecked((uint)levelSeed));
        BackgroundOffset = rng.Rand01();
        BackgroundIndex = rng.Randn(9);
        maze.Generate(rng, WorldSize);
        OpenDeadEnds();
        Obj1Cell = maze.PlaceObject(rng, (int)Cell.Obj1);
        Obj2Cell = duel ? maze.PlaceObject(rng, (int)Cell.Obj2) : -1;
        for (int y = 0; y < WorldSize; y++)
            for (int x = 0; x < WorldSize; x++)
            {
                int v = maze[x, y];
                cells[y * WorldSize + x] = v == KruskalMaze.Wall ? Cell.Wall : v == (int)Cell.Obj1 ? Cell.Obj1 : v == (int)Cell.Obj2 ? Cell.Obj2 : Cell.Space;
            }
    }

    // Neighbours in procgen's order: left, down, up, right.
    private int NeighboursOfType(int index, int type)
    {
        int padded = maze.Padded, x = index % padded, y = index / padded, count = 0;
        int left = y * padded + x - 1, down = (y - 1) * padded + x, up = (y + 1) * padded + x, right = y * padded + x + 1;
        if (maze.PaddedValue(left) == type) neighbours[count++] = left;
        if (maze.PaddedValue(down) == type) neighbours[count++] = down;
        if (maze.PaddedValue(up) == type) neighbours[count++] = up;
        if (maze.PaddedValue(right) == type) neighbours[count++] = right;
        return count;
    }

    private void OpenDeadEnds()
    {
        var grid = maze.Grid;
        for (int i = 0; i < grid.Length; i++)
        {
            if (maze.PaddedValue(i) != KruskalMaze.Space || NeighboursOfType(i, KruskalMaze.Space) != 1) continue;
            int walls = NeighboursOfType(i, KruskalMaze.Wall);
            if (walls > 0) grid[neighbours[rng.Randn(walls)]] = KruskalMaze.Space;
        }
    }
}
