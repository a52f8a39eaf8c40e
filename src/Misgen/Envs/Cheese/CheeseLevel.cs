using Misgen.Envs.Procgen;

namespace Misgen.Envs.Cheese;

/// <summary>
/// One cheese-maze level: a world of <see cref="World"/> x <see cref="World"/> tiles, walls everywhere but a
/// centred Kruskal maze, the cheese on one of its cells. Generated from a level seed with procgen's draw order so
/// that every seed gives the layout the original C++ gave (docs/ORIGINS.md §6), or built from a text grid.
/// Buffers are reused across <see cref="Generate"/> calls (no allocation).
/// </summary>
/// <remarks>
/// Draw order: rand01 (background x offset), randn(9) (background), randn((World - 1) / 2) (maze side), Kruskal,
/// then the cheese. Anywhere: randn(#free cells) until the slot is not the start cell. In a region: one
/// randn(#free cells) that is not used, then up to side * 100 draws until one lands in the region on a cell other than the start (none: no cheese).
/// Unlike the colour-versus-shape maze there is no dead-end pass. Cells: (x, y) in world tiles, y = 0 the bottom
/// row, index y * World + x.
/// </remarks>
public sealed class CheeseLevel
{
    private readonly Mt19937 rng = new();
    private readonly KruskalMaze maze;
    private readonly bool[] walls;

    public CheeseLevel(int world)
    {
        World = world;
        maze = new KruskalMaze(world);
        walls = new bool[world * world];
    }

    public int World { get; }
    public int LevelSeed { get; private set; } = -1;

    /// <summary>Index into the nine textures (0 floortiles, 1..8 detailed1..8).</summary>
    public int BackgroundIndex { get; private set; }

    /// <summary>procgen's background x offset draw (rand01); our square textures have no horizontal slack.</summary>
    public double BackgroundOffset { get; private set; }

    /// <summary>Side of the maze inside the world.</summary>
    public int MazeSize { get; private set; }

    /// <summary>Left (and bottom) wall margin: the maze's bottom-left cell is (Margin, Margin).</summary>
    public int Margin { get; private set; }

    /// <summary>The maze's top-right cell (what "the corner" means).</summary>
    public int CornerX => Margin + MazeSize - 1;

    public int CornerY => Margin + MazeSize - 1;

    /// <summary>The cheese's cell index, or -1 (taken, or a region placement that found no cell).</summary>
    public int CheeseCell { get; private set; } = -1;

    /// <summary>mt19937 outputs the last <see cref="Generate"/> consumed.</summary>
    public long RngDraws => rng.Draws;

    public bool IsWall(int x, int y) => (uint)x >= (uint)World || (uint)y >= (uint)World || walls[y * World + x];

    /// <summary>True when (x, y) lies in the maze's top-right <paramref name="region"/> x <paramref name="region"/>.</summary>
    public bool InRegion(int x, int y, int region) => x > CornerX - region && y > CornerY - region && x <= CornerX && y <= CornerY;

    public void Generate(int levelSeed, CheeseConfig config)
    {
        LevelSeed = levelSeed;
        rng.Seed(unchecked((uint)levelSeed));
        BackgroundOffset = rng.Rand01();
        BackgroundIndex = rng.Randn(Textures.Count);
        int drawn = rng.Randn((World - 1) / 2) * 2 + 3;
        // A fixed side keeps the draw so that everything after it is the stream of the random-side game.
        int d = MazeSize = config.MazeSize != 0 ? config.MazeSize : drawn;
        Margin = (World - d) / 2;
        maze.Generate(rng, d);
        int cheese = config.Region switch
        {
            < 0 => maze.PlaceObject(rng, 2),
            0 => d * d - 1,
            _ => PlaceInRegion(d, config.Region),
        };
        Array.Fill(walls, true);
        for (int y = 0; y < d; y++)
            for (int x = 0; x < d; x++)
                walls[(y + Margin) * World + x + Margin] = maze[x, y] == KruskalMaze.Wall;
        CheeseCell = cheese < 0 ? -1 : (cheese / d + Margin) * World + cheese % d + Margin;
    }

    private int PlaceInRegion(int d, int region)
    {
        var free = maze.FreeCells;
        rng.Randn(free.Length);
        for (int tries = 0; tries < d * 100; tries++)
        {
            int cell = free[rng.Randn(free.Length)];
            if (cell != 0 && cell % d >= d - region && cell / d >= d - region) return cell;
        }
        return -1;
    }

    /// <summary>
    /// A level from a text grid (top row first; '#' wall, anything else open), with the cheese cell or -1; the
    /// maze is the bounding box of the open cells, so the corner is its top-right cell.
    /// </summary>
    internal void Build(IReadOnlyList<string> grid, int cheeseCell)
    {
        int minX = World, minY = World, maxX = -1, maxY = -1;
        for (int row = 0; row < World; row++)
            for (int x = 0; x < World; x++)
            {
                int y = World - 1 - row;
                bool wall = grid[row][x] == '#';
                walls[y * World + x] = wall;
                if (wall) continue;
                (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
            }
        if (maxX < 0) throw new MisgenInputException("the grid has no open cell");
        if (maxX - minX != maxY - minY || minX != minY)
            throw new MisgenInputException($"the grid's open cells span x {minX}..{maxX} and y {minY}..{maxY}; a cheese maze is square with its bottom-left cell on the diagonal (x = y)");
        LevelSeed = -1;
        BackgroundIndex = 0;
        BackgroundOffset = 0;
        Margin = minX;
        MazeSize = maxX - minX + 1;
        CheeseCell = cheeseCell;
    }

    internal void SetWall(int x, int y, bool wall) => walls[y * World + x] = wall;

    internal void SetCheese(int cell) => CheeseCell = cell;

    internal void SetBackground(int index) => BackgroundIndex = index;
}
