using System.Buffers.Binary;
using Misgen.Envs.GridWorlds;

namespace Misgen.Envs.Monster;

/// <summary>
/// The Monster gridworld's rules. Cells are numbered y * side + x over the observed square (x from the left,
/// y from the bottom, the wall at 0 and side - 1). A step is, as in the documented replica: the agent moves
/// (into a wall: it stays; into a monster: a hit, see below), collects the apple or shield on its cell, then
/// every monster moves once in a random order, and with chance double_move all move a second time.
/// A hit - the agent stepping onto a monster or a monster stepping onto the agent - with a shield held
/// destroys the monster and uses the shield (reward 0, the agent enters the cell); without one it costs -1 and
/// nobody moves. Episodes end only by the timeout. The level seed drives every random draw.
/// </summary>
public sealed class MonsterGame : IPlaneWorld
{
    private const byte Empty = 0, MonsterCell = 1, ShieldCell = 2, AppleCell = 3;
    private const ulong Salt = 0x4D4F4E5354455231UL; // "MONSTER1": this game's stream, apart from other games of the same seed

    private readonly Rng rng = new(0);   // reseeded per level (Reset)
    private readonly int side;
    private readonly byte[] cells;      // what lies on each cell besides the agent
    private readonly int[] monsters;    // cells of the live monsters, [0, MonsterCount)
    private readonly int[] freeCells;   // scratch for the layout draw
    private readonly int[] openCells;   // every cell inside the wall, in order
    private readonly int[] cellX, cellY;
    private readonly bool[] border;
    private readonly int[] neighbour;   // cell offsets of the four moves: left, down, up, right

    public MonsterGame(EnvSpec spec)
    {
        Spec = spec;
        Config = spec.ConfigAs<MonsterConfig>();
        side = Config.Side;
        cells = new byte[side * side];
        monsters = new int[Config.Monsters];
        freeCells = new int[Config.Size * Config.Size];
        // Tables instead of divisions and bounds checks in the monster loop (the hot path of a step).
        openCells = new int[Config.Size * Config.Size];
        cellX = new int[side * side];
        cellY = new int[side * side];
        border = new bool[side * side];
        for (int c = 0, k = 0; c < side * side; c++)
        {
            (cellX[c], cellY[c]) = (c % side, c / side);
            border[c] = IsBorder(cellX[c], cellY[c]);
            if (!border[c]) openCells[k++] = c;
        }
        neighbour = [-1, -side, side, 1];
    }

    public EnvSpec Spec { get; }
    public MonsterConfig Config { get; }
    public int Side => side;
    public int LevelSeed { get; private set; } = -1;
    public int Steps { get; private set; }
    public float Return { get; private set; }
    public byte Outcome { get; private set; }
    public int LevelVersion { get; private set; }
    public int AgentX { get; private set; }
    public int AgentY { get; private set; }
    public int Inventory { get; private set; }
    public int MonsterCount { get; private set; }
    public int ApplesCollected { get; private set; }
    public int ShieldsCollected { get; private set; }
    public int Hits { get; private set; }
    public int Kills { get; private set; }

    /// <summary>The step in which the last monster died (0 when there were none), or -1 while any lives.</summary>
    public int ClearStep { get; private set; }

    public int ApplesAfterClear { get; private set; }
    public int ShieldsAfterClear { get; private set; }

    public bool IsBorder(int x, int y) => x <= 0 || y <= 0 || x >= side - 1 || y >= side - 1;

    /// <summary>What lies on cell (x, y): 'M', 'S', 'a', '#' or '.' (the agent is not included).</summary>
    public char ThingAt(int x, int y) =>
        IsBorder(x, y) ? '#' : cells[y * side + x] switch { MonsterCell => 'M', ShieldCell => 'S', AppleCell => 'a', _ => '.' };

    public void Reset(int levelSeed)
    {
        if (levelSeed < 0) throw new MisgenInputException($"level seeds are 0..{int.MaxValue}, got {levelSeed}");
        LevelSeed = levelSeed;
        rng.Reseed(levelSeed, Salt);
        Array.Clear(cells);
        // The agent, the monsters, the shields and the apples on distinct open cells, in that order (a partial Fisher-Yates draw).
        int open = openCells.Length;
        openCells.CopyTo(freeCells, 0);
        int drawn = 0;
        int Draw()
        {
            int j = drawn + rng.NextInt(open - drawn);
            (freeCells[drawn], freeCells[j]) = (freeCells[j], freeCells[drawn]);
            return freeCells[drawn++];
        }
        int agent = Draw();
        (AgentX, AgentY) = (agent % side, agent / side);
        for (int m = 0; m < Config.Monsters; m++) cells[monsters[m] = Draw()] = MonsterCell;
        for (int s = 0; s < Config.Shields; s++) cells[Draw()] = ShieldCell;
        for (int a = 0; a < Config.Apples; a++) cells[Draw()] = AppleCell;
        MonsterCount = Config.Monsters;
        Inventory = ApplesCollected = ShieldsCollected = Hits = Kills = ApplesAfterClear = ShieldsAfterClear = 0;
        ClearStep = MonsterCount == 0 ? 0 : -1;
        Steps = 0;
        Return = 0;
        Outcome = 0;
        LevelVersion++;
    }

    public StepResult Step(int action)
    {
        if (Outcome != 0) throw new InvalidOperationException("the episode is over; call Reset first");
        if (LevelSeed < 0) throw new InvalidOperationException("call Reset before Step");
        var (dx, dy) = GridMoves.Delta(action);
        float reward = 0;
        int tx = AgentX + dx, ty = AgentY + dy;
        if (!IsBorder(tx, ty))
        {
            int target = ty * side + tx;
            bool enters = true;
            if (cells[target] == MonsterCell)
            {
                int index = Array.IndexOf(monsters, target, 0, MonsterCount);
                enters = Hit(index, ref reward);
                if (enters) CompactMonsters();
            }
            if (enters)
            {
                (AgentX, AgentY) = (tx, ty);
                reward += Collect(target);
            }
        }
        MoveMonsters(ref reward);
        if (MonsterCount > 0 && rng.NextDouble() < Config.DoubleMove) MoveMonsters(ref reward);
        Steps++;
        if (MonsterCount == 0 && ClearStep < 0) ClearStep = Steps;
        Return += reward;
        bool truncated = Steps >= Config.Timeout;
        Outcome = truncated ? MonsterDefinition.Timeout : (byte)0;
        return new StepResult(reward, false, truncated, Outcome, Steps);
    }

    // A monster and the agent meet. With a shield the monster dies (its slot is marked -1 until CompactMonsters)
    // and the agent may take its cell; without one the hit costs -1 and both stay where they were.
    private bool Hit(int monster, ref float reward)
    {
        if (Inventory == 0)
        {
            reward -= 1;
            Hits++;
            return false;
        }
        Inventory--;
        Kills++;
        cells[monsters[monster]] = Empty;
        monsters[monster] = -1;
        return true;
    }

    private void CompactMonsters()
    {
        int kept = 0;
        for (int i = 0; i < MonsterCount; i++)
            if (monsters[i] >= 0) monsters[kept++] = monsters[i];
        MonsterCount = kept;
        // The step counter has not advanced yet: the monster died in step Steps + 1.
        if (MonsterCount == 0 && ClearStep < 0) ClearStep = Steps + 1;
    }

    private float Collect(int cell)
    {
        bool cleared = MonsterCount == 0;
        switch (cells[cell])
        {
            case AppleCell:
                cells[cell] = Empty;
                ApplesCollected++;
                if (cleared) ApplesAfterClear++;
                if (Config.Respawn) Spawn(AppleCell);
                return 1;
            case ShieldCell:
                cells[cell] = Empty;
                ShieldsCollected++;
                if (cleared) ShieldsAfterClear++;
                Inventory = Math.Min(Config.InventoryCap, Inventory + 1);
                if (Config.Respawn) Spawn(ShieldCell);
                return 0;
            default:
                return 0;
        }
    }

    // A new item on a uniformly drawn empty open cell (not the agent's); nothing when the grid is full.
    private void Spawn(byte thing)
    {
        int agent = AgentY * side + AgentX, empty = 0;
        for (int y = 1; y < side - 1; y++)
            for (int x = 1; x < side - 1; x++)
                if (cells[y * side + x] == Empty && y * side + x != agent) empty++;
        if (empty == 0) return;
        int k = rng.NextInt(empty);
        for (int y = 1; y < side - 1; y++)
            for (int x = 1; x < side - 1; x++)
                if (cells[y * side + x] == Empty && y * side + x != agent && k-- == 0)
                {
                    cells[y * side + x] = thing;
                    return;
                }
    }

    // One monster phase: a random order, then each monster steps to the free neighbour (or the agent's cell)
    // nearest the agent in Manhattan distance, ties drawn uniformly; with no free neighbour it stays.
    private void MoveMonsters(ref float reward)
    {
        for (int i = MonsterCount - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (monsters[i], monsters[j]) = (monsters[j], monsters[i]);
        }
        int agent = AgentY * side + AgentX;
        Span<int> candidates = stackalloc int[4];
        bool died = false;
        for (int i = 0; i < MonsterCount; i++)
        {
            int from = monsters[i], count = 0, best = int.MaxValue;
            for (int a = 0; a < GridMoves.Count; a++)
            {
                int cell = from + neighbour[a];
                if (border[cell] || (cell != agent && cells[cell] != Empty)) continue;
                int distance = Math.Abs(cellX[cell] - AgentX) + Math.Abs(cellY[cell] - AgentY);
                if (distance < best) (best, count) = (distance, 0);
                if (distance == best) candidates[count++] = cell;
            }
            if (count == 0) continue;
            int to = count == 1 ? candidates[0] : candidates[rng.NextInt(count)];
            if (to == agent)
            {
                died |= Hit(i, ref reward);
                continue;
            }
            cells[from] = Empty;
            cells[to] = MonsterCell;
            monsters[i] = to;
        }
        if (died) CompactMonsters();
    }

    /// <summary>apples, shields, hits, kills, clear_step, apples_after_clear, shields_after_clear.</summary>
    public void WriteFacts(Span<float> facts)
    {
        facts[0] = ApplesCollected;
        facts[1] = ShieldsCollected;
        facts[2] = Hits;
        facts[3] = Kills;
        facts[4] = ClearStep;
        facts[5] = ApplesAfterClear;
        facts[6] = ShieldsAfterClear;
    }

    public void DrawStatic(PlaneCanvas canvas)
    {
        for (int i = 0; i < side; i++)
        {
            canvas.Set(i, 0, MonsterDefinition.WallPlane);
            canvas.Set(i, side - 1, MonsterDefinition.WallPlane);
            if (i == 0 || i == side - 1) continue;
            canvas.Set(0, i, MonsterDefinition.WallPlane);
            canvas.Set(side - 1, i, MonsterDefinition.WallPlane);
        }
    }

    public void DrawDynamic(PlaneCanvas canvas)
    {
        for (int y = 1; y < side - 1; y++)
            for (int x = 1; x < side - 1; x++)
                switch (cells[y * side + x])
                {
                    case MonsterCell: canvas.Set(x, y, MonsterDefinition.MonsterPlane); break;
                    case ShieldCell: canvas.Set(x, y, MonsterDefinition.ShieldPlane); break;
                    case AppleCell: canvas.Set(x, y, MonsterDefinition.ApplePlane); break;
                }
        canvas.Set(AgentX, AgentY, MonsterDefinition.AgentPlane);
        for (int k = 0; k < Inventory; k++) canvas.Set(k, side - 1, MonsterDefinition.InventoryPlane);
    }

    // ---- state: the counters, the random stream, the cells and the monsters' order ----

    private const int HeaderInts = 16;

    public int StateSize => HeaderInts * 4 + Rng.StateBytes + cells.Length + monsters.Length * 4;

    public void WriteState(Span<byte> state)
    {
        Span<int> header =
        [
            LevelSeed, Steps, BitConverter.SingleToInt32Bits(Return), AgentX, AgentY, Inventory, MonsterCount, ApplesCollected,
            ShieldsCollected, Hits, Kills, ClearStep, ApplesAfterClear, ShieldsAfterClear, side, monsters.Length,
        ];
        for (int i = 0; i < HeaderInts; i++) BinaryPrimitives.WriteInt32LittleEndian(state[(4 * i)..], header[i]);
        int o = HeaderInts * 4;
        rng.WriteState(state[o..]);
        o += Rng.StateBytes;
        cells.CopyTo(state[o..]);
        o += cells.Length;
        for (int i = 0; i < monsters.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(state[(o + 4 * i)..], i < MonsterCount ? monsters[i] : -1);
    }

    public void ReadState(ReadOnlySpan<byte> state)
    {
        if (state.Length < StateSize) throw new MisgenInputException("monster state is truncated");
        Span<int> h = stackalloc int[HeaderInts];
        for (int i = 0; i < HeaderInts; i++) h[i] = BinaryPrimitives.ReadInt32LittleEndian(state[(4 * i)..]);
        var corrupt = new MisgenInputException("monster state is corrupt or belongs to another spec");
        if (h[14] != side || h[15] != monsters.Length || h[0] < 0 || h[1] < 0 || h[1] > Config.Timeout || IsBorder(h[3], h[4])
            || h[5] < 0 || h[5] > Config.InventoryCap || h[6] < 0 || h[6] > monsters.Length)
            throw corrupt;
        int o = HeaderInts * 4;
        var cellBytes = state.Slice(o + Rng.StateBytes, cells.Length);
        int monsterCells = 0;
        for (int c = 0; c < cells.Length; c++)
        {
            if (cellBytes[c] > AppleCell || (cellBytes[c] != Empty && IsBorder(c % side, c / side))) throw corrupt;
            if (cellBytes[c] == MonsterCell) monsterCells++;
        }
        if (monsterCells != h[6] || cellBytes[h[4] * side + h[3]] != Empty) throw corrupt;
        Reset(h[0]);
        if (!rng.ReadState(state[o..])) throw corrupt;
        cellBytes.CopyTo(cells);
        o += Rng.StateBytes + cells.Length;
        for (int i = 0; i < h[6]; i++)
        {
            monsters[i] = BinaryPrimitives.ReadInt32LittleEndian(state[(o + 4 * i)..]);
            if ((uint)monsters[i] >= cells.Length || cells[monsters[i]] != MonsterCell) throw corrupt;
        }
        (Steps, Return, AgentX, AgentY, Inventory, MonsterCount) = (h[1], BitConverter.Int32BitsToSingle(h[2]), h[3], h[4], h[5], h[6]);
        (ApplesCollected, ShieldsCollected, Hits, Kills, ClearStep, ApplesAfterClear, ShieldsAfterClear) = (h[7], h[8], h[9], h[10], h[11], h[12], h[13]);
        Outcome = Steps >= Config.Timeout ? MonsterDefinition.Timeout : (byte)0;
    }

    public LevelDescription Describe()
    {
        var grid = new string[side];
        var entities = new List<LevelEntity>();
        for (int y = side - 1; y >= 0; y--)
        {
            var row = new char[side];
            for (int x = 0; x < side; x++)
            {
                row[x] = x == AgentX && y == AgentY ? 'A' : ThingAt(x, y);
                string? type = row[x] switch { 'M' => "monster", 'S' => "shield", 'a' => "apple", _ => null };
                if (type != null) entities.Add(new LevelEntity(type, x + 0.5, y + 0.5));
            }
            grid[side - 1 - y] = new string(row);
        }
        entities.Add(new LevelEntity("inventory", 0.5, side - 0.5, new Dictionary<string, object> { ["shields"] = Inventory }));
        return new LevelDescription(Spec.ToString(), LevelSeed, side, side, grid, MonsterDefinition.Instance.Legend,
            entities, AgentX + 0.5, AgentY + 0.5);
    }

    /// <summary>Sets up a hand-made position for tests and analysis: the grid in the legend, top row first (a wall border), and the shields held.</summary>
    public void Load(IReadOnlyList<string> grid, int inventory = 0)
    {
        if (grid.Count != side || grid.Any(r => r.Length != side))
            throw new MisgenInputException($"a monster grid of this spec is {side} rows of {side} characters");
        if (LevelSeed < 0) Reset(0);
        Array.Clear(cells);
        MonsterCount = 0;
        bool agent = false;
        for (int row = 0; row < side; row++)
            for (int x = 0; x < side; x++)
            {
                int y = side - 1 - row;
                char c = grid[row][x];
                if (IsBorder(x, y) != (c == '#')) throw new MisgenInputException($"cell ({x}, {y}) of a monster grid must be {(IsBorder(x, y) ? "'#'" : "inside the wall")}, got '{c}'");
                switch (c)
                {
                    case 'A': (AgentX, AgentY, agent) = (x, y, true); break;
                    case 'M':
                        if (MonsterCount == monsters.Length) throw new MisgenInputException($"the grid has more than this spec's {monsters.Length} monsters");
                        cells[monsters[MonsterCount++] = y * side + x] = MonsterCell;
                        break;
                    case 'S': cells[y * side + x] = ShieldCell; break;
                    case 'a': cells[y * side + x] = AppleCell; break;
                    case '#' or '.': break;
                    default: throw MisgenInputException.Unknown("monster grid character", c.ToString(), Legend);
                }
            }
        if (!agent) throw new MisgenInputException("a monster grid needs one agent 'A'");
        Inventory = Math.Clamp(inventory, 0, Config.InventoryCap);
        ClearStep = MonsterCount == 0 ? 0 : -1;
        LevelVersion++;
    }

    private static IEnumerable<string> Legend => MonsterDefinition.Instance.Legend.Select(l => l.Key.ToString());
}
