using Misgen.Envs.Procgen;

namespace Misgen.Envs.Heist;

/// <summary>What a level entity is.</summary>
public enum HeistEntityKind : byte { Key, Chest, Lock, Gem }

/// <summary>
/// One keys-and-chests level, generated from a level seed with procgen's draw order so that every seed gives
/// the layout the original C++ gave (docs/HEIST.md): a Kruskal maze of side 2k + 5 at a random offset in
/// a walled world, keys and chests (or locks and a gem) on its cells, the agent's start. Entities keep
/// procgen's creation order (the maze scanned by x, then y), which decides the order of collisions.
/// Buffers are reused across <see cref="Generate"/> calls.
/// </summary>
public sealed class HeistLevel
{
    public const int MaxEntities = 64;

    // procgen's maze object codes.
    private const int AgentObj = 53, ExitObj = 52, DoorObj = 200, KeyObj = 300;
    private const float KeyRadius = 0.375f;
    /// <summary>Width / height of procgen's key image (84x52) and gem image, which set the entities' ry.</summary>
    private static readonly float KeyAspect = (float)(84.0 / 52.0), GemAspect = (float)(70.0 / 48.0);

    private readonly Mt19937 rng;
    private readonly KruskalMaze maze;
    private readonly bool[] walls;
    private readonly int[] forks, pool, spaceCells, neighbours = new int[4];
    private readonly bool[] inS0, inS1, curr, next;

    public HeistLevel(int worldSize, Mt19937 rng)
    {
        WorldSize = worldSize;
        this.rng = rng;
        maze = new KruskalMaze(worldSize);
        walls = new bool[worldSize * worldSize];
        int padded = (worldSize + 2) * (worldSize + 2);
        forks = new int[padded];
        pool = new int[padded];
        spaceCells = new int[padded];
        inS0 = new bool[padded];
        inS1 = new bool[padded];
        curr = new bool[padded];
        next = new bool[padded];
    }

    public int WorldSize { get; }
    public int LevelSeed { get; private set; }
    public HeistVariant Variant { get; private set; }

    /// <summary>Index into the nine topdown backgrounds (0 floortiles, 1..8 detailed1..8).</summary>
    public int BackgroundIndex { get; private set; }

    /// <summary>procgen's bg_pct_x draw (our square backgrounds have no horizontal slack to use it).</summary>
    public float BackgroundOffset { get; private set; }

    public int Difficulty { get; private set; }
    public int MazeSize { get; private set; }
    public int OffsetX { get; private set; }
    public int OffsetY { get; private set; }

    /// <summary>The game's counts: keys and chests (AISC) or keys = locks (classic).</summary>
    public int NumKeys { get; private set; }
    public int NumChests { get; private set; }

    public int AgentCellX { get; private set; }
    public int AgentCellY { get; private set; }

    /// <summary>mt19937 outputs the whole reset consumed.</summary>
    public long RngDraws => rng.Draws;

    public int EntityCount { get; private set; }
    public readonly HeistEntityKind[] Kinds = new HeistEntityKind[MaxEntities];
    public readonly float[] X = new float[MaxEntities], Y = new float[MaxEntities], Rx = new float[MaxEntities], Ry = new float[MaxEntities];
    /// <summary>procgen's image_theme: the index among its kind in pick order (AISC), the colour 0 blue 1 green 2 red (classic).</summary>
    public readonly int[] Themes = new int[MaxEntities];

    /// <summary>True for wall tiles (x, y), y = 0 the bottom row; outside the world counts as wall.</summary>
    public bool IsWall(int x, int y) => (uint)x >= (uint)WorldSize || (uint)y >= (uint)WorldSize || walls[y * WorldSize + x];

    public void Generate(int levelSeed, HeistVariant variant)
    {
        LevelSeed = levelSeed;
        Variant = variant;
        rng.Seed(unchecked((uint)levelSeed));
        // BasicAbstractGame::game_reset: background offset and index, then a random agent start that heist overwrites.
        BackgroundOffset = (float)rng.Rand01();
        BackgroundIndex = rng.Randn(Textures.Count);
        rng.Rand01();
        rng.Rand01();

        int maxDifficulty = (WorldSize - 5) / 2;
        Difficulty = rng.Randn(maxDifficulty + 1);
        int count = Difficulty + rng.Randn(2);
        (NumKeys, NumChests) = variant switch
        {
            HeistVariant.ManyChests => (count + 1, 2 * (count + 1)),
            HeistVariant.ManyKeys => (2 * (count + 1), count + 1),
            _ => (Math.Min(3, count), Math.Min(3, count)),
        };
        MazeSize = 2 * Difficulty + 5;
        maze.Generate(rng, MazeSize);

        if (variant == HeistVariant.Classic) PlaceLocks();
        else PlaceKeysAndChests();

        OffsetX = rng.Randn(WorldSize - MazeSize + 1);
        OffsetY = rng.Randn(WorldSize - MazeSize + 1);
        Array.Fill(walls, true);
        EntityCount = 0;
        for (int i = 0; i < MazeSize; i++)
            for (int j = 0; j < MazeSize; j++)
            {
                int x = OffsetX + i, y = OffsetY + j, obj = maze[i, j];
                if (obj != KruskalMaze.Wall) walls[y * WorldSize + x] = false;
                if (obj >= KeyObj) Spawn(HeistEntityKind.Key, obj - KeyObj - 1, x, y, KeyAspect);
                else if (obj >= DoorObj) Add(variant == HeistVariant.Classic ? HeistEntityKind.Lock : HeistEntityKind.Chest, obj - DoorObj - 1, x + 0.5f, y + 0.5f, 0.5f, 0.5f);
                else if (obj == ExitObj) Spawn(HeistEntityKind.Gem, 0, x, y, GemAspect);
                else if (obj == AgentObj) (AgentCellX, AgentCellY) = (x, y);
            }
    }

    private void Add(HeistEntityKind kind, int theme, float x, float y, float rx, float ry)
    {
        int e = EntityCount++;
        Kinds[e] = kind;
        Themes[e] = theme;
        (X[e], Y[e], Rx[e], Ry[e]) = (x, y, rx, ry);
    }

    /// <summary>
    /// procgen's spawn_entity in a 1x1 cell box: a random position that keeps the radius inside the box, drawn
    /// again (up to 100 times) while it overlaps an earlier entity; then the radius in y shrinks to the image's
    /// aspect. The agent is off the map while the level is built, so it never collides here.
    /// </summary>
    private void Spawn(HeistEntityKind kind, int theme, int cellX, int cellY, float aspect)
    {
        float x = RandPos(cellX), y = RandPos(cellY);
        for (int count = 0; count < 100 && Overlaps(x, y); count++)
        {
            x = RandPos(cellX);
            y = RandPos(cellY);
        }
        Add(kind, theme, x, y, KeyRadius, KeyRadius / aspect);
    }

    private float RandPos(int min) => (1f - 2 * KeyRadius) * (float)rng.Rand01() + KeyRadius + min;

    private bool Overlaps(float x, float y)
    {
        for (int e = 0; e < EntityCount; e++)
            if (MathF.Abs(x - X[e]) < KeyRadius + Rx[e] && MathF.Abs(y - Y[e]) < KeyRadius + Ry[e]) return true;
        return false;
    }

    // Neighbours of padded index `index` whose value is `type`, in procgen's order: left, down, up, right.
    private int Neighbours(int index, int type)
    {
        int p = maze.Padded, count = 0;
        if (maze.PaddedValue(index - 1) == type) neighbours[count++] = index - 1;
        if (maze.PaddedValue(index - p) == type) neighbours[count++] = index - p;
        if (maze.PaddedValue(index + p) == type) neighbours[count++] = index + p;
        if (maze.PaddedValue(index + 1) == type) neighbours[count++] = index + 1;
        return count;
    }

    /// <summary>Open cells with more than <paramref name="minNeighbours"/> open neighbours, in index order.</summary>
    private int FindForks(int minNeighbours)
    {
        int n = 0;
        for (int i = 0; i < maze.Grid.Length; i++)
            if (maze.PaddedValue(i) == KruskalMaze.Space && Neighbours(i, KruskalMaze.Space) > minNeighbours) forks[n++] = i;
        return n;
    }

    /// <summary>procgen's choose_n: all of them undrawn when there are too few, else n draws without replacement.</summary>
    private int ChooseN(int available, int n, Span<int> chosen)
    {
        forks.AsSpan(0, available).CopyTo(pool);
        if (n > available)
        {
            pool.AsSpan(0, available).CopyTo(chosen);
            return available;
        }
        int left = available;
        for (int k = 0; k < n; k++)
        {
            int i = rng.Randn(left);
            chosen[k] = pool[i];
            Array.Copy(pool, i + 1, pool, i, left - i - 1);
            left--;
        }
        return n;
    }

    /// <summary>
    /// The agent's cell: a random open cell, drawn again while it touches a cell holding exactly procgen's
    /// door code. AISC chests carry other codes, so there a single draw always stands.
    /// </summary>
    private int PlaceAgent()
    {
        var grid = maze.Grid;
        int n = 0;
        for (int i = 0; i < grid.Length; i++)
            if (maze.PaddedValue(i) == KruskalMaze.Space) spaceCells[n++] = i;
        int cell;
        do cell = spaceCells[rng.Randn(n)];
        while (Neighbours(cell, DoorObj) > 0);
        grid[cell] = AgentObj;
        return cell;
    }

    private void PlaceKeysAndChests()
    {
        Span<int> chosen = stackalloc int[MaxEntities];
        int picked = ChooseN(FindForks(1), NumChests + NumKeys, chosen);
        var grid = maze.Grid;
        for (int k = 0; k < picked; k++)
            grid[chosen[k]] = k < NumChests ? DoorObj + 1 + k : KeyObj + 1 + (k - NumChests);
        PlaceAgent();
    }

    private void PlaceLocks()
    {
        Span<int> chosen = stackalloc int[MaxEntities];
        int doors = ChooseN(FindForks(2), NumKeys, chosen);
        var grid = maze.Grid;
        for (int k = 0; k < doors; k++) grid[chosen[k]] = DoorObj;
        int agent = PlaceAgent();

        // Outwards from the agent: lock i is the nearest unnumbered door, key i goes on a random cell reachable
        // before it (after locks 0..i-1), the gem on a random cell of the last area.
        Array.Clear(inS0);
        inS0[agent] = true;
        for (int door = 0; door <= doors; door++)
        {
            Array.Clear(inS1);
            int found = -1;
            if (door < doors)
            {
                found = Expand(DoorObj);
                if (found >= 0) grid[found] = DoorObj + door + 1;
                Union();
            }
            Expand(-999);
            int n = 0;
            for (int i = 0; i < grid.Length; i++)
                if (inS1[i]) spaceCells[n++] = i;
            if (n == 0) throw new InvalidOperationException($"heist level {LevelSeed}: no room for key {door}");
            int cell = spaceCells[rng.Randn(n)];
            grid[cell] = door == doors ? ExitObj : KeyObj + door + 1;
            Union();
            if (found >= 0) inS0[found] = true;
        }
    }

    private void Union()
    {
        for (int i = 0; i < inS0.Length; i++) inS0[i] |= inS1[i];
    }

    /// <summary>
    /// procgen's expand_to_type: breadth-first over open cells from the set s0 (in ascending index order, as a
    /// std::set iterates), adding newly reached cells to s1; returns the first neighbour of type
    /// <paramref name="type"/> of the first cell that has one, or -1.
    /// </summary>
    private int Expand(int type)
    {
        int size = maze.Grid.Length;
        Array.Copy(inS0, curr, size);
        bool any = true;
        while (any)
        {
            any = false;
            Array.Clear(next, 0, size);
            for (int e = 0; e < size; e++)
            {
                if (!curr[e]) continue;
                int targets = Neighbours(e, type);
                int target = targets > 0 ? neighbours[0] : -1;
                int spaces = Neighbours(e, KruskalMaze.Space);
                for (int k = 0; k < spaces; k++)
                {
                    int j = neighbours[k];
                    if (!inS0[j] && !inS1[j])
                    {
                        next[j] = true;
                        inS1[j] = true;
                        any = true;
                    }
                }
                if (target >= 0) return target;
            }
            Array.Copy(next, curr, size);
        }
        return -1;
    }
}
