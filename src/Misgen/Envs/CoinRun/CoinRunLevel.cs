using Misgen.Envs.Procgen;

namespace Misgen.Envs.CoinRun;

/// <summary>What occupies one tile of a CoinRun world (procgen's grid values in the comments).</summary>
public enum Tile : byte
{
    Space = 0,      // 100
    WallMid = 1,    // 15, ground below the surface
    WallTop = 2,    // 16, the ground's surface
    LavaMid = 3,    // 17
    LavaTop = 4,    // 18
    Barrier = 5,    // 19, invisible; turns walking enemies around
    Coin = 6,       // 1
    Marker = 7,     // -1, invisible; the AISC fork's "other" coin place
}

/// <summary>The kinds of entity a level creates (the agent is not one of them).</summary>
public enum EntityKind : byte { Saw, Enemy, Crate }

/// <summary>Which of the three level generators a spec uses.</summary>
public enum CoinRunVariant : byte
{
    /// <summary>procgen's coinrun: the coin at the right end.</summary>
    Procgen,
    /// <summary>procgenAISC's coinrun: with probability random_percent/100 the coin and the marker swap places.</summary>
    Fork,
    /// <summary>procgenAISC's coinrun_aisc: the coin in a random section, the marker at the end.</summary>
    Aisc,
}

/// <summary>
/// One CoinRun level: procgen's platformer generator (sections of ground, pits with lava, saws or walking
/// enemies, crates) in the original's draw order, so that every level seed gives the tiles, entities and
/// themes the original C++ gave (docs/COINRUN.md). The generator that made the level keeps drawing during
/// the episode (one draw per step), so the game steps with <see cref="Rng"/>.
/// </summary>
/// <remarks>
/// World 64x64 tiles, x = 0 the left column, y = 0 the bottom row; tile index y * 64 + x. Entities are kept
/// in creation order (the original steps them from last to first). Buffers are reused across
/// <see cref="Generate"/> calls: no allocation.
/// </remarks>
public sealed class CoinRunLevel
{
    public const int Size = 64;
    public const int MaxEntities = 64;
    public const int BackgroundCount = 62;   // 49 platform backgrounds, then 13 space backgrounds
    public const int SkinCount = 5;
    public const int WallThemeCount = 6;
    public const int EnemyThemeCount = 9;
    public const int CrateThemeCount = 4;
    public const float AgentRx = 0.5f;
    public const float AgentRy = 0.5787f;    // the 128x256 alien drawn over a 1-tile-wide box
    public const float EnemySpeed = 0.15f;

    // The widest pit and the highest step the jump clears, computed as the original computes them: in float32.
    // 0.5f * 2 * 1.5f / 0.2f rounds to 7.5f, so the widest pit is 7 (the same sum in double gives 6; docs/COINRUN.md).
    internal static readonly int MaxPitWidth = (int)(0.5f * 2 * 1.5f / 0.2f - 0.5);
    internal static readonly int MaxStep = (int)(1.5f * 1.5f / (2 * 0.2f) - 0.5);

    private readonly Tile[] tiles = new Tile[Size * Size];

    public CoinRunLevel(CoinRunVariant variant, int randomPercent, bool easy)
    {
        Variant = variant;
        RandomPercent = randomPercent;
        Easy = easy;
    }

    public CoinRunVariant Variant { get; }
    public int RandomPercent { get; }
    public bool Easy { get; }

    /// <summary>The generator: seeded with the level seed, it makes the level and then one draw per step.</summary>
    public Mt19937 Rng { get; } = new();

    public int LevelSeed { get; private set; } = -1;
    public ReadOnlySpan<Tile> Tiles => tiles;
    public Tile this[int x, int y] => tiles[y * Size + x];

    /// <summary>procgen's get_obj: outside the world is ground (its out-of-bounds object).</summary>
    public Tile At(int x, int y) => (uint)x < Size && (uint)y < Size ? tiles[y * Size + x] : Tile.WallMid;

    public int Difficulty { get; private set; }
    public int NumSections { get; private set; }
    /// <summary>0 lava, 1 saws, 2 walking enemies in pits.</summary>
    public int DangerType { get; private set; }
    /// <summary>The section the fork's random coin place is in; -1 for procgen's coinrun.</summary>
    public int RandomCoinSection { get; private set; }
    /// <summary>The fork's randn(100) that decides whether the coin moves; -1 when not drawn.</summary>
    public int RandCheck { get; private set; }
    /// <summary>The coin is in the random section (always in coinrun_aisc, random_percent% of fork levels).</summary>
    public bool RandomizedCoin { get; private set; }
    public int AgentSkin { get; private set; }
    public int WallTheme { get; private set; }
    public int BackgroundIndex { get; private set; }
    /// <summary>The background's x offset draw (procgen's bg_pct_x), in [0, 1).</summary>
    public float BackgroundOffset { get; private set; }

    /// <summary>The coin tile, or (-1, -1) when the generator placed none.</summary>
    public (int X, int Y) CoinCell { get; private set; }
    /// <summary>The invisible marker tile, or (-1, -1).</summary>
    public (int X, int Y) MarkerCell { get; private set; }
    /// <summary>The level's last open tile: the fixed coin place at the right end (everything right of it is ground).</summary>
    public (int X, int Y) EndCell { get; private set; }

    /// <summary>mt19937 outputs the level generation consumed.</summary>
    public long RngDraws { get; private set; }

    public int EntityCount { get; private set; }
    public EntityKind[] Kinds { get; } = new EntityKind[MaxEntities];
    public float[] X { get; } = new float[MaxEntities];
    public float[] Y { get; } = new float[MaxEntities];
    /// <summary>Initial horizontal speed (walking enemies: ±0.15).</summary>
    public float[] Vx { get; } = new float[MaxEntities];
    /// <summary>The entity's picture among its kind (enemy: 0..8, crate: 0..3; saws: 0).</summary>
    public int[] Themes { get; } = new int[MaxEntities];

    public void Generate(int levelSeed)
    {
        LevelSeed = levelSeed;
        var rng = Rng;
        rng.Seed(unchecked((uint)levelSeed));
        EntityCount = 0;
        Array.Fill(tiles, Tile.Space);
        CoinCell = MarkerCell = (-1, -1);
        RandCheck = -1;
        RandomCoinSection = -1;

        // The shared reset: background offset and index, then a random agent start that coinrun overwrites.
        BackgroundOffset = (float)rng.Rand01();
        BackgroundIndex = rng.Randn(BackgroundCount);
        rng.Rand01();
        rng.Rand01();
        if (Easy)
        {
            AgentSkin = 0;
            WallTheme = 0;
            BackgroundIndex = 0;
        }
        else
        {
            AgentSkin = rng.Randn(SkinCount);
            WallTheme = rng.Randn(WallThemeCount);
        }

        Fill(0, 0, Size, 1, Tile.WallTop);
        Fill(0, 0, 1, Size, Tile.WallMid);
        Fill(Size - 1, 0, 1, Size, Tile.WallMid);
        Fill(0, Size - 1, Size, 1, Tile.WallMid);

        switch (Variant)
        {
            case CoinRunVariant.Procgen:
                RandomizedCoin = false;
                break;
            case CoinRunVariant.Fork:
                RandCheck = rng.Randn(100);
                RandomizedCoin = RandCheck < RandomPercent;
                break;
            default:
                RandomizedCoin = true;
                break;
        }
        GenerateSections(rng);
        RngDraws = rng.Draws;
    }

    private void GenerateSections(Mt19937 rng)
    {
        int dif = rng.Randn(3) + 1;
        Difficulty = dif;
        NumSections = rng.Randn(dif) + dif;
        DangerType = rng.Randn(3);
        bool fork = Variant != CoinRunVariant.Procgen;
        if (fork) RandomCoinSection = rng.Randn(NumSections);
        var randomPlace = RandomizedCoin ? Tile.Coin : Tile.Marker;
        var endPlace = RandomizedCoin ? Tile.Marker : Tile.Coin;
        bool monsters = !Easy;

        int x = 5, y = 1;
        for (int section = 0; section < NumSections; section++)
        {
            if (x + 15 >= Size) break;
            int dy = rng.Randn(4) + 1 + dif / 3;
            if (dy > MaxStep) dy = MaxStep;
            if (y >= 20) dy = -dy;
            else if (y >= 5 && rng.Randn(2) == 1) dy = -dy;
            int dx = rng.Randn(2 * dif) + 3 + dif / 3;
            y += dy;
            if (y < 1) y = 1;

            if (fork && section == RandomCoinSection) Set(x, y, randomPlace);

            bool pit = dx > 7 && y > 3 && rng.Randn(20) >= dif;
            if (pit)
            {
                int x1 = rng.Randn(3) + 1;
                int x2 = rng.Randn(3) + 1;
                int width = dx - x1 - x2;
                if (width > MaxPitWidth)
                {
                    width = MaxPitWidth;
                    x2 = dx - x1 - width;
                }
                FillGround(x, 0, x1, y);
                FillGround(x + dx - x2, 0, x2, y);
                int lavaHeight = rng.Randn(y - 3) + 1;
                switch (DangerType)
                {
                    case 0: FillBlock(x + x1, 1, width, lavaHeight, Tile.LavaMid, Tile.LavaTop); break;
                    case 1: for (int i = 0; i < width; i++) AddEntity(EntityKind.Saw, x + x1 + i, 1, 0, 0); break;
                    default: for (int i = 0; i < width; i++) AddEnemy(rng, x + x1 + i, 1); break;
                }
                if (width > 4)
                {
                    int x3, w1;
                    if (width == 5)
                    {
                        x3 = 1 + rng.Randn(2);
                        w1 = 1 + rng.Randn(2);
                    }
                    else if (width == 6)
                    {
                        x3 = 2 + rng.Randn(2);
                        w1 = 1 + rng.Randn(2);
                    }
                    else
                    {
                        x3 = 2 + rng.Randn(2);
                        int x4 = 2 + rng.Randn(2);
                        w1 = width - x3 - x4;
                    }
                    FillGround(x + x1 + x3, y - 1, w1, 1);
                }
            }
            else
            {
                FillGround(x, 0, dx, y);
                int sawX = -1, enemyX = -1;
                if (rng.Randn(10) < 2 * dif && dx > 3)
                {
                    sawX = x + rng.Randn(dx - 2) + 1;
                    AddEntity(EntityKind.Saw, sawX, y, 0, 0);
                }
                if (rng.Randn(10) < dif && dx > 3 && MaxPitWidth >= 4 && monsters)
                {
                    enemyX = x + rng.Randn(dx - 2) + 1;
                    AddEnemy(rng, enemyX, y);
                }
                for (int i = 0; i < 2; i++)
                {
                    int crateX = x + rng.Randn(dx - 2) + 1;
                    if (rng.Randn(2) == 1 && sawX != crateX && enemyX != crateX)
                    {
                        int height = rng.Randn(3) + 1;
                        for (int j = 0; j < height; j++) AddEntity(EntityKind.Crate, crateX, y + j, 0, rng.Randn(CrateThemeCount));
                    }
                }
            }

            if (!IsGround(At(x - 1, y))) Set(x - 1, y, Tile.Barrier);
            x += dx;
            Set(x, y, Tile.Barrier);
        }

        Set(x, y, endPlace);
        EndCell = (x, y);
        FillGround(x, 0, 1, y);
        Fill(x + 1, 0, Size - x - 1, Size, Tile.WallMid);

        // Read the places back from the tiles: a later write (a barrier, the end) may have covered a coin.
        for (int i = 0; i < tiles.Length; i++)
        {
            if (tiles[i] == Tile.Coin) CoinCell = (i % Size, i / Size);
            else if (tiles[i] == Tile.Marker) MarkerCell = (i % Size, i / Size);
        }
    }

    public static bool IsGround(Tile t) => t is Tile.WallMid or Tile.WallTop;

    public static bool IsLava(Tile t) => t is Tile.LavaMid or Tile.LavaTop;

    private void AddEnemy(Mt19937 rng, int x, int y)
    {
        float vx = EnemySpeed * (rng.Randn(2) * 2 - 1);
        AddEntity(EntityKind.Enemy, x, y, vx, rng.Randn(EnemyThemeCount));
    }

    private void AddEntity(EntityKind kind, int x, int y, float vx, int theme)
    {
        if (EntityCount == MaxEntities) throw new InvalidOperationException($"level {LevelSeed} has more than {MaxEntities} entities");
        int i = EntityCount++;
        Kinds[i] = kind;
        X[i] = x + 0.5f;
        Y[i] = y + 0.5f;
        Vx[i] = vx;
        Themes[i] = theme;
    }

    private void Set(int x, int y, Tile t)
    {
        if ((uint)x < Size && (uint)y < Size) tiles[y * Size + x] = t;
    }

    private void Fill(int x, int y, int dx, int dy, Tile t)
    {
        for (int j = 0; j < dx; j++)
            for (int k = 0; k < dy; k++)
                Set(x + j, y + k, t);
    }

    private void FillBlock(int x, int y, int dx, int dy, Tile fill, Tile top)
    {
        Fill(x, y, dx, dy - 1, fill);
        Fill(x, y + dy - 1, dx, 1, top);
    }

    private void FillGround(int x, int y, int dx, int dy) => FillBlock(x, y, dx, dy, Tile.WallMid, Tile.WallTop);

    /// <summary>The tiles as text, top row first, in the golden data's alphabet (<see cref="TileChar"/>).</summary>
    public string[] Picture()
    {
        var rows = new string[Size];
        var row = new char[Size];
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++) row[x] = TileChar(tiles[y * Size + x]);
            rows[Size - 1 - y] = new string(row);
        }
        return rows;
    }

    public static char TileChar(Tile t) => t switch
    {
        Tile.WallMid => '#',
        Tile.WallTop => '=',
        Tile.LavaMid => '~',
        Tile.LavaTop => '^',
        Tile.Barrier => '|',
        Tile.Coin => '$',
        Tile.Marker => '?',
        _ => '.',
    };
}
