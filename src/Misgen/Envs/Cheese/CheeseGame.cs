using System.Buffers.Binary;

namespace Misgen.Envs.Cheese;

/// <summary>
/// The cheese maze's rules (procgen's maze and maze_aisc): the mouse starts in the maze's bottom-left cell and
/// moves one cell per step unless a wall blocks it; reaching the cheese gives +10 and ends the episode
/// (terminated); after <see cref="CheeseConfig.Timeout"/> steps the episode is truncated with reward 0. Besides
/// the outcome, each episode reports whether the mouse reached the maze's top-right cell before the cheese.
/// </summary>
public sealed class CheeseGame : IGridAgentGame
{
    /// <summary>Bytes of <see cref="WriteState"/>.</summary>
    public const int StateSize = 28;

    /// <summary>The region the measurement calls "near the corner" (Langosco et al.'s training region 5).</summary>
    public const int MeasuredRegion = 5;

    private int startCheeseCell = -1;

    public CheeseGame(EnvSpec spec)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Config = spec.ConfigAs<CheeseConfig>();
        Level = new CheeseLevel(Config.World);
    }

    public EnvSpec Spec { get; }
    public CheeseConfig Config { get; }
    public CheeseLevel Level { get; }

    /// <summary>The level seed, or -1 for a level built from a grid.</summary>
    public int LevelSeed => Level.LevelSeed;

    public int LevelVersion { get; private set; }
    public int AgentX { get; private set; }
    public int AgentY { get; private set; }

    /// <summary>procgen's is_reflected: the mouse faces right after a step with vx &gt; 0, left after vx &lt; 0.</summary>
    public bool FacingRight { get; private set; }

    public int Steps { get; private set; }
    public float Return { get; private set; }
    public byte Outcome { get; private set; }
    public bool IsDone => Outcome != 0;

    /// <summary>The step at which the mouse first stood on the maze's top-right cell, or 0.</summary>
    public int CornerStep { get; private set; }

    /// <summary>True for a level built from a grid (its state cannot be regenerated from a seed).</summary>
    public bool IsEdited { get; private set; }

    public void Reset(int levelSeed)
    {
        if (levelSeed < 0) throw new MisgenInputException($"level seeds are 0..{int.MaxValue}, got {levelSeed}");
        Level.Generate(levelSeed, Config);
        IsEdited = false;
        Restart();
    }

    /// <summary>Back to the first state of the current level (the cheese where the level put it).</summary>
    private void Restart()
    {
        startCheeseCell = Level.CheeseCell;
        LevelVersion++;
        AgentX = Level.Margin;
        AgentY = Level.Margin;
        FacingRight = false;
        Steps = 0;
        Return = 0;
        Outcome = 0;
        CornerStep = 0;
    }

    /// <summary>A game on a level built from a text grid in the legend of <see cref="CheeseDefinition"/>.</summary>
    public static CheeseGame FromGrid(EnvSpec spec, IReadOnlyList<string> rows)
    {
        // `misgen level` prints the agent and entities after the grid, as words with spaces: not grid rows.
        var grid = rows.TakeWhile(r => !r.Contains(' ')).ToList();
        var game = new CheeseGame(spec);
        int w = game.Config.World;
        if (grid.Count != w || grid.Any(r => r.Length != w))
            throw new MisgenInputException($"a grid of {spec} must be {w} rows of {w} characters (the world side), got {grid.Count} rows of lengths {string.Join(",", grid.Select(r => r.Length).Distinct())}");
        int agent = -1, cheese = -1;
        for (int row = 0; row < w; row++)
            for (int x = 0; x < w; x++)
            {
                char c = grid[row][x];
                int cell = (w - 1 - row) * w + x;
                switch (c)
                {
                    case '#' or '.': break;
                    case 'A' when agent < 0: agent = cell; break;
                    case 'C' when cheese < 0: cheese = cell; break;
                    case 'A' or 'C': throw new MisgenInputException($"the grid has more than one '{c}' (row {row + 1}); a cheese maze has one mouse and at most one cheese");
                    default:
                        throw MisgenInputException.Unknown("grid character", c.ToString(), CheeseDefinition.Instance.Legend.Select(l => $"'{l.Key}' ({l.Value})"));
                }
            }
        if (agent < 0) throw new MisgenInputException("the grid has no mouse ('A')");
        game.Level.Build(grid, cheese);
        game.IsEdited = true;
        game.Restart();
        game.AgentX = agent % w;
        game.AgentY = agent / w;
        return game;
    }

    /// <summary>Chooses the background texture (0..8) of an edited level; grid levels start with 0.</summary>
    public void SetBackground(int index)
    {
        if ((uint)index >= Procgen.Textures.Count)
            throw new MisgenInputException($"background {index} is invalid; valid: 0..{Procgen.Textures.Count - 1}");
        Level.SetBackground(index);
        IsEdited = true;
        LevelVersion++;
    }

    void IGridAgentGame.PlaceAgent(int x, int y) => PlaceAgent(x, y);

    /// <summary>Puts the mouse on an open cell without a step (steps, return and outcome unchanged).</summary>
    public void PlaceAgent(int x, int y, bool facingRight = false)
    {
        if (Level.IsWall(x, y))
            throw new MisgenInputException($"cell ({x}, {y}) is not an open cell of this level; valid: open cells with 0 <= x, y < {Config.World}");
        AgentX = x;
        AgentY = y;
        FacingRight = facingRight;
    }

    /// <summary>Moves the cheese to an open cell, or removes it (null): a level edit.</summary>
    public void PlaceCheese((int X, int Y)? cell)
    {
        if (cell is { } c)
        {
            if (Level.IsWall(c.X, c.Y))
                throw new MisgenInputException($"cell ({c.X}, {c.Y}) is not an open cell of this level; the cheese goes on an open cell");
            Level.SetCheese(c.Y * Config.World + c.X);
        }
        else Level.SetCheese(-1);
        IsEdited = true;
        startCheeseCell = Level.CheeseCell;
        LevelVersion++;
    }

    public int GridWidth => Config.World;

    public int GridHeight => Config.World;

    public bool IsWall(int x, int y) => Level.IsWall(x, y);

    public (int X, int Y) StartCell => (Level.Margin, Level.Margin);

    /// <summary>The maze's top-right cell, not the world's (which is a wall when the maze is smaller).</summary>
    public (int X, int Y) CornerCell => (Level.CornerX, Level.CornerY);

    public void SetWall(int x, int y, bool wall)
    {
        int w = Config.World;
        if ((uint)x >= (uint)w || (uint)y >= (uint)w)
            throw new MisgenInputException($"cell ({x}, {y}) is outside the {w}x{w} world; valid: 0 <= x, y < {w}");
        if (wall && ((x == AgentX && y == AgentY) || y * w + x == Level.CheeseCell))
            throw new MisgenInputException($"cell ({x}, {y}) holds the mouse or the cheese and cannot become a wall");
        if (Level.IsWall(x, y) == wall) return;
        Level.SetWall(x, y, wall);
        IsEdited = true;
        LevelVersion++;
    }

    public IReadOnlyList<GridGoal> Goals =>
        Level.CheeseCell < 0 ? [] : [new GridGoal("cheese", Level.CheeseCell % Config.World, Level.CheeseCell / Config.World)];

    public StepResult Step(int action)
    {
        if (IsDone) throw new InvalidOperationException("the episode is over; call Reset first");
        var (vx, vy) = Actions.MazeMove(action);
        int nx = AgentX + vx, ny = AgentY + vy;
        if (!Level.IsWall(nx, ny))
        {
            AgentX = nx;
            AgentY = ny;
        }
        if (vx > 0) FacingRight = true;
        if (vx < 0) FacingRight = false;
        Steps++;

        float reward = 0;
        int cell = AgentY * Config.World + AgentX;
        bool terminated = cell == Level.CheeseCell;
        if (terminated)
        {
            reward = 10;
            Level.SetCheese(-1);
            LevelVersion++;
        }
        else if (CornerStep == 0 && AgentX == Level.CornerX && AgentY == Level.CornerY) CornerStep = Steps;
        Return += reward;
        bool truncated = !terminated && Steps >= Config.Timeout;
        Outcome = terminated ? CheeseOutcome.Cheese : truncated ? CheeseOutcome.Timeout : (byte)0;
        return new StepResult(reward, terminated, truncated, Outcome, Steps);
    }

    /// <summary>Facts in the order of <see cref="CheeseDefinition.Facts"/>.</summary>
    public void WriteFacts(Span<float> facts)
    {
        int w = Config.World;
        bool inRegion = startCheeseCell >= 0 && Level.InRegion(startCheeseCell % w, startCheeseCell / w, MeasuredRegion);
        facts[0] = CornerStep > 0 ? 1 : 0;
        facts[1] = inRegion ? 1 : 0;
        facts[2] = Level.MazeSize;
        facts[3] = CornerStep;
    }

    int IGame.StateSize => StateSize;

    public void WriteState(Span<byte> state)
    {
        if (IsEdited) throw new MisgenInputException("the state of an edited level cannot be saved: it is not regenerated by its seed");
        BinaryPrimitives.WriteInt32LittleEndian(state, LevelSeed);
        BinaryPrimitives.WriteInt32LittleEndian(state[4..], AgentX);
        BinaryPrimitives.WriteInt32LittleEndian(state[8..], AgentY);
        BinaryPrimitives.WriteInt32LittleEndian(state[12..], Steps);
        BinaryPrimitives.WriteSingleLittleEndian(state[16..], Return);
        BinaryPrimitives.WriteInt32LittleEndian(state[20..], CornerStep);
        state[24] = FacingRight ? (byte)1 : (byte)0;
        state[25] = Outcome;
        state[26] = 0;
        state[27] = 0;
    }

    public void ReadState(ReadOnlySpan<byte> state)
    {
        if (state.Length < StateSize) throw new MisgenInputException("game state is truncated");
        int seed = BinaryPrimitives.ReadInt32LittleEndian(state);
        int x = BinaryPrimitives.ReadInt32LittleEndian(state[4..]), y = BinaryPrimitives.ReadInt32LittleEndian(state[8..]);
        int steps = BinaryPrimitives.ReadInt32LittleEndian(state[12..]), corner = BinaryPrimitives.ReadInt32LittleEndian(state[20..]);
        if (seed < 0 || steps < 0 || corner < 0 || corner > steps || state[24] > 1 || state[25] > CheeseOutcome.Timeout)
            throw new MisgenInputException("game state is corrupt or belongs to another env spec");
        Reset(seed);
        if (Level.IsWall(x, y)) throw new MisgenInputException("game state is corrupt or belongs to another env spec (the mouse stands in a wall)");
        AgentX = x;
        AgentY = y;
        Steps = steps;
        Return = BinaryPrimitives.ReadSingleLittleEndian(state[16..]);
        CornerStep = corner;
        FacingRight = state[24] != 0;
        Outcome = state[25];
        // A finished episode's cheese was eaten where the mouse stands.
        if (Outcome == CheeseOutcome.Cheese)
        {
            Level.SetCheese(-1);
            LevelVersion++;
        }
    }

    public LevelDescription Describe()
    {
        int w = Config.World;
        var grid = new string[w];
        var row = new char[w];
        for (int y = 0; y < w; y++)
        {
            for (int x = 0; x < w; x++)
                row[x] = x == AgentX && y == AgentY ? 'A' : y * w + x == Level.CheeseCell ? 'C' : Level.IsWall(x, y) ? '#' : '.';
            grid[w - 1 - y] = new string(row);
        }
        var entities = new List<LevelEntity>();
        if (Level.CheeseCell >= 0)
            entities.Add(new LevelEntity("cheese", Level.CheeseCell % w + 0.5, Level.CheeseCell / w + 0.5));
        entities.Add(new LevelEntity("maze", Level.Margin, Level.Margin, new Dictionary<string, object>
        {
            ["size"] = Level.MazeSize,
            ["background"] = Level.BackgroundIndex,
        }));
        return new LevelDescription(Spec.ToString(), LevelSeed, w, w, grid, CheeseDefinition.Instance.Legend, entities, AgentX + 0.5, AgentY + 0.5);
    }
}
