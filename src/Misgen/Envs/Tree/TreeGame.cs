using System.Buffers.Binary;
using Misgen.Envs.GridWorlds;

namespace Misgen.Envs.Tree;

/// <summary>
/// The Tree gridworld's rules. Cells are numbered y * side + x over the observed square (x from the left, y
/// from the bottom, the border at 0 and side - 1). A step: the agent moves (into the border: it stays); a tree
/// on its new cell is chopped (+1); then, with n trees left and n below n_max, one tree grows on a uniformly
/// drawn empty cell (not the agent's) with chance max(r_min, r_max log(1+n) / log(1+n_max)). With timeout 0
/// the episode never ends. The level seed drives the layout and every later draw.
/// </summary>
public sealed class TreeGame : IPlaneWorld
{
    private const ulong Salt = 0x5452454543484F50UL; // "TREECHOP"

    private readonly Rng rng = new(0);   // reseeded per level (Reset)
    private readonly int side;
    private readonly bool[] trees;
    private readonly int[] freeCells;
    private readonly double[] chance; // regrowth chance by tree count, computed once

    public TreeGame(EnvSpec spec)
    {
        Spec = spec;
        Config = spec.ConfigAs<TreeConfig>();
        side = Config.Side;
        trees = new bool[side * side];
        freeCells = new int[Config.Size * Config.Size];
        chance = new double[Config.Size * Config.Size + 1];
        for (int n = 0; n < chance.Length; n++) chance[n] = Config.RegrowthChance(n);
    }

    public EnvSpec Spec { get; }
    public TreeConfig Config { get; }
    public int Side => side;
    public int LevelSeed { get; private set; } = -1;
    public int Steps { get; private set; }
    public float Return { get; private set; }
    public byte Outcome { get; private set; }
    public int LevelVersion { get; private set; }
    public int AgentX { get; private set; }
    public int AgentY { get; private set; }
    public int TreeCount { get; private set; }
    public int Chops { get; private set; }

    /// <summary>Times the last tree was chopped.</summary>
    public int Extinctions { get; private set; }

    /// <summary>Steps that ended with no tree alive.</summary>
    public int TreelessSteps { get; private set; }

    public bool IsBorder(int x, int y) => x <= 0 || y <= 0 || x >= side - 1 || y >= side - 1;

    public bool IsTree(int x, int y) => !IsBorder(x, y) && trees[y * side + x];

    public void Reset(int levelSeed)
    {
        if (levelSeed < 0) throw new MisgenInputException($"level seeds are 0..{int.MaxValue}, got {levelSeed}");
        LevelSeed = levelSeed;
        rng.Reseed(levelSeed, Salt);
        Array.Clear(trees);
        // The agent, then the trees, on distinct open cells (a partial Fisher-Yates draw).
        int n = Config.Size, open = n * n;
        for (int i = 0; i < open; i++) freeCells[i] = (i / n + 1) * side + i % n + 1;
        for (int k = 0; k <= Config.Trees; k++)
        {
            int j = k + rng.NextInt(open - k);
            (freeCells[k], freeCells[j]) = (freeCells[j], freeCells[k]);
            if (k == 0) (AgentX, AgentY) = (freeCells[0] % side, freeCells[0] / side);
            else trees[freeCells[k]] = true;
        }
        TreeCount = Config.Trees;
        Chops = Extinctions = TreelessSteps = 0;
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
            (AgentX, AgentY) = (tx, ty);
            int cell = ty * side + tx;
            if (trees[cell])
            {
                trees[cell] = false;
                TreeCount--;
                Chops++;
                if (TreeCount == 0) Extinctions++;
                reward = 1;
            }
        }
        if (TreeCount < Config.MaxTrees && rng.NextDouble() < chance[TreeCount]) Grow();
        Steps++;
        if (TreeCount == 0) TreelessSteps++;
        Return += reward;
        bool truncated = !Config.IsContinual && Steps >= Config.EpisodeSteps;
        Outcome = truncated ? TreeDefinition.Timeout : (byte)0;
        return new StepResult(reward, false, truncated, Outcome, Steps);
    }

    // One tree on a uniformly drawn empty open cell that is not the agent's; nothing when there is none.
    private void Grow()
    {
        int agent = AgentY * side + AgentX, empty = Config.Size * Config.Size - TreeCount - 1;
        if (empty <= 0) return;
        int k = rng.NextInt(empty);
        for (int y = 1; y < side - 1; y++)
            for (int x = 1; x < side - 1; x++)
            {
                int cell = y * side + x;
                if (trees[cell] || cell == agent || k-- != 0) continue;
                trees[cell] = true;
                TreeCount++;
                return;
            }
    }

    /// <summary>chops, trees, extinctions, treeless_steps (meaningful while the episode runs, too).</summary>
    public void WriteFacts(Span<float> facts)
    {
        facts[0] = Chops;
        facts[1] = TreeCount;
        facts[2] = Extinctions;
        facts[3] = TreelessSteps;
    }

    public void DrawStatic(PlaneCanvas canvas) { }

    public void DrawDynamic(PlaneCanvas canvas)
    {
        for (int y = 1; y < side - 1; y++)
            for (int x = 1; x < side - 1; x++)
                if (trees[y * side + x]) canvas.Set(x, y, TreeDefinition.TreePlane);
        canvas.Set(AgentX, AgentY, TreeDefinition.AgentPlane);
    }

    // ---- state ----

    private const int HeaderInts = 10;

    public int StateSize => HeaderInts * 4 + Rng.StateBytes + trees.Length;

    public void WriteState(Span<byte> state)
    {
        Span<int> header = [LevelSeed, Steps, BitConverter.SingleToInt32Bits(Return), AgentX, AgentY, TreeCount, Chops, Extinctions, TreelessSteps, side];
        for (int i = 0; i < HeaderInts; i++) BinaryPrimitives.WriteInt32LittleEndian(state[(4 * i)..], header[i]);
        rng.WriteState(state[(HeaderInts * 4)..]);
        var cells = state[(HeaderInts * 4 + Rng.StateBytes)..];
        for (int c = 0; c < trees.Length; c++) cells[c] = trees[c] ? (byte)1 : (byte)0;
    }

    public void ReadState(ReadOnlySpan<byte> state)
    {
        if (state.Length < StateSize) throw new MisgenInputException("tree state is truncated");
        Span<int> h = stackalloc int[HeaderInts];
        for (int i = 0; i < HeaderInts; i++) h[i] = BinaryPrimitives.ReadInt32LittleEndian(state[(4 * i)..]);
        var corrupt = new MisgenInputException("tree state is corrupt or belongs to another spec");
        if (h[9] != side || h[0] < 0 || h[1] < 0 || (!Config.IsContinual && h[1] > Config.EpisodeSteps) || IsBorder(h[3], h[4])
            || h[6] < 0 || h[7] < 0 || h[8] < 0)
            throw corrupt;
        var cells = state.Slice(HeaderInts * 4 + Rng.StateBytes, trees.Length);
        int count = 0;
        for (int c = 0; c < cells.Length; c++)
        {
            if (cells[c] > 1 || (cells[c] == 1 && IsBorder(c % side, c / side))) throw corrupt;
            count += cells[c];
        }
        if (count != h[5] || cells[h[4] * side + h[3]] != 0) throw corrupt;
        Reset(h[0]);
        if (!rng.ReadState(state[(HeaderInts * 4)..])) throw corrupt;
        for (int c = 0; c < trees.Length; c++) trees[c] = cells[c] == 1;
        (Steps, Return, AgentX, AgentY, TreeCount, Chops, Extinctions, TreelessSteps) =
            (h[1], BitConverter.Int32BitsToSingle(h[2]), h[3], h[4], h[5], h[6], h[7], h[8]);
        Outcome = !Config.IsContinual && Steps >= Config.EpisodeSteps ? TreeDefinition.Timeout : (byte)0;
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
                row[x] = x == AgentX && y == AgentY ? 'A' : IsBorder(x, y) ? '#' : trees[y * side + x] ? 'T' : '.';
                if (row[x] == 'T') entities.Add(new LevelEntity("tree", x + 0.5, y + 0.5));
            }
            grid[side - 1 - y] = new string(row);
        }
        return new LevelDescription(Spec.ToString(), LevelSeed, side, side, grid, TreeDefinition.Instance.Legend, entities, AgentX + 0.5, AgentY + 0.5);
    }

    /// <summary>Sets up a hand-made world for tests and analysis: the grid in the legend, top row first (a '#' border).</summary>
    public void Load(IReadOnlyList<string> grid)
    {
        if (grid.Count != side || grid.Any(r => r.Length != side))
            throw new MisgenInputException($"a tree grid of this spec is {side} rows of {side} characters");
        if (LevelSeed < 0) Reset(0);
        Array.Clear(trees);
        TreeCount = 0;
        bool agent = false;
        for (int row = 0; row < side; row++)
            for (int x = 0; x < side; x++)
            {
                int y = side - 1 - row;
                char c = grid[row][x];
                if (IsBorder(x, y) != (c == '#')) throw new MisgenInputException($"cell ({x}, {y}) of a tree grid must be {(IsBorder(x, y) ? "'#'" : "inside the border")}, got '{c}'");
                if (c == 'A') (AgentX, AgentY, agent) = (x, y, true);
                else if (c == 'T') { trees[y * side + x] = true; TreeCount++; }
                else if (c is not ('#' or '.')) throw MisgenInputException.Unknown("tree grid character", c.ToString(), ["#", ".", "A", "T"]);
            }
        if (!agent) throw new MisgenInputException("a tree grid needs one agent 'A'");
        LevelVersion++;
    }
}
