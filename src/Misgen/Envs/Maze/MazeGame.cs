using System.Buffers.Binary;

namespace Misgen.Envs.Maze;

/// <summary>
/// The colour-versus-shape maze's rules (procgen's maze_pure_yellowline and maze_colorsobjects_duel):
/// the agent starts in the bottom-left cell and moves one cell per step unless a wall or the edge blocks it;
/// reaching obj1 gives +10, obj2 (duel only) -10, and either ends the episode (terminated);
/// after <see cref="MazeConfig.Timeout"/> steps without an object the episode is truncated with reward 0.
/// No drawing and no buffers here: <see cref="MazeRenderer"/> draws a game, <see cref="VecEnv"/> runs many.
/// </summary>
public sealed class MazeGame : IGridAgentGame
{
    /// <summary>Bytes of <see cref="WriteState"/>.</summary>
    public const int StateSize = 24;

    public MazeGame(EnvSpec spec)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Config = spec.ConfigAs<MazeConfig>();
        Level = new MazeLevel(Config.WorldSize);
    }

    public EnvSpec Spec { get; }
    public MazeConfig Config { get; }
    public MazeLevel Level { get; }
    public int LevelSeed => Level.LevelSeed;
    public int LevelVersion { get; private set; }
    public int AgentX { get; private set; }
    public int AgentY { get; private set; }

    /// <summary>procgen's is_reflected: the mouse faces right after a step with vx &gt; 0, left after vx &lt; 0.</summary>
    public bool FacingRight { get; private set; }

    public int Steps { get; private set; }
    public float Return { get; private set; }

    /// <summary>How the episode ended (<see cref="MazeOutcome"/>), or 0 while it runs.</summary>
    public byte Outcome { get; private set; }

    public bool IsDone => Outcome != 0;

    // A level built from a text grid (FromGrid): every reset starts it again, whatever the seed.
    private Cell[]? gridLayout;
    private (int X, int Y) start;

    /// <summary>True when the level was laid out from a text grid (<see cref="FromGrid"/>) rather than generated from a seed.</summary>
    public bool IsFromGrid => gridLayout is not null;

    /// <summary>
    /// Starts the level of <paramref name="levelSeed"/> (procgen: mt19937 seeded with it); a game built from a grid
    /// starts its grid again instead.
    /// </summary>
    public void Reset(int levelSeed)
    {
        if (gridLayout is not null) Level.Load(gridLayout, Config.IsDuel);
        else if (levelSeed < 0) throw new MisgenInputException($"level seeds are 0..{int.MaxValue}, got {levelSeed}");
        else Level.Generate(levelSeed, Config.IsDuel);
        LevelVersion++;
        (AgentX, AgentY) = start;
        FacingRight = false;
        Steps = 0;
        Return = 0;
        Outcome = 0;
    }

    /// <summary>
    /// Puts the mouse on an open cell (for analysis such as vector fields: the agent on every open cell of
    /// one level). Not a move: steps, return and outcome are unchanged.
    /// </summary>
    public void PlaceAgent(int x, int y, bool facingRight = false)
    {
        int w = Config.WorldSize;
        if (x < 0 || y < 0 || x >= w || y >= w || Level[x, y] == Cell.Wall)
            throw new MisgenInputException($"cell ({x}, {y}) is not an open cell of level {LevelSeed}; valid: open cells with 0 <= x, y < {w}");
        AgentX = x;
        AgentY = y;
        FacingRight = facingRight;
    }

    void IGridAgentGame.PlaceAgent(int x, int y) => PlaceAgent(x, y);

    int IGridAgentGame.GridWidth => Config.WorldSize;

    int IGridAgentGame.GridHeight => Config.WorldSize;

    public bool IsWall(int x, int y)
    {
        int w = Config.WorldSize;
        return x < 0 || y < 0 || x >= w || y >= w || Level[x, y] == Cell.Wall;
    }

    /// <summary>The mouse starts in the bottom-left cell (a grid level: where its 'A' is).</summary>
    public (int X, int Y) StartCell => start;

    /// <summary>
    /// A maze laid out from a text grid in the legend of <see cref="Describe"/> (top row first: '#' wall, '.' open,
    /// 'A' the agent's start, '1' obj1, '2' obj2 in a duel), as <c>misgen level</c> prints it; the grid's side is
    /// the spec's size. At most one of each object; a level without obj1 is allowed (the "without the goal" half of a
    /// level pair); without 'A' the agent starts in the bottom-left cell. MisgenInputException names the bad row.
    /// </summary>
    public static MazeGame FromGrid(EnvSpec spec, IReadOnlyList<string> grid)
    {
        var game = new MazeGame(spec);
        int w = game.Config.WorldSize;
        if (grid.Count != w)
            throw new MisgenInputException($"the grid has {grid.Count} rows; the spec '{spec}' makes {w}x{w} mazes (set ;size=N to change it)");
        var layout = new Cell[w * w];
        (int X, int Y)? agent = null;
        for (int row = 0; row < w; row++)
        {
            string line = grid[row];
            if (line.Length != w)
                throw new MisgenInputException($"grid row {row + 1} has {line.Length} characters; every row of a {w}x{w} maze has {w}");
            int y = w - 1 - row;
            for (int x = 0; x < w; x++)
            {
                char c = line[x];
                var cell = c switch
                {
                    '#' => Cell.Wall,
                    '.' or 'A' => Cell.Space,
                    '1' => Cell.Obj1,
                    '2' when game.Config.IsDuel => Cell.Obj2,
                    '2' => throw new MisgenInputException($"grid row {row + 1} has obj2 ('2') but '{spec}' is a one-object maze; use a duel spec such as maze:red-line+yellow-gem"),
                    _ => throw new MisgenInputException($"grid row {row + 1} has '{c}'; valid: # wall, . open, A agent, 1 obj1, 2 obj2"),
                };
                if (c == 'A')
                {
                    if (agent is not null) throw new MisgenInputException($"the grid has more than one agent ('A'); the second is in row {row + 1}");
                    agent = (x, y);
                }
                layout[y * w + x] = cell;
            }
        }
        foreach (var (obj, name) in new[] { (Cell.Obj1, "obj1 ('1')"), (Cell.Obj2, "obj2 ('2')") })
            if (layout.Count(c => c == obj) > 1) throw new MisgenInputException($"the grid has more than one {name}; a maze has at most one");
        var (sx, sy) = agent ?? (0, 0);
        if (layout[sy * w + sx] != Cell.Space)
            throw new MisgenInputException($"the agent's start cell ({sx}, {sy}) is not open; put 'A' on an open cell");
        game.gridLayout = layout;
        game.start = (sx, sy);
        game.Reset(-1);
        return game;
    }

    /// <summary>
    /// Adds or removes a wall (a level edit for analysis, e.g. pairs of levels that differ by one wall); the
    /// agent's cell and the objects' cells cannot become walls.
    /// </summary>
    public void SetWall(int x, int y, bool wall)
    {
        int w = Config.WorldSize;
        if (x < 0 || y < 0 || x >= w || y >= w)
            throw new MisgenInputException($"cell ({x}, {y}) is outside the {w}x{w} maze; valid: 0 <= x, y < {w}");
        var cell = Level[x, y];
        if (wall && (cell is Cell.Obj1 or Cell.Obj2 || (x == AgentX && y == AgentY)))
            throw new MisgenInputException($"cell ({x}, {y}) holds the agent or an object and cannot become a wall");
        if ((cell == Cell.Wall) == wall) return;
        Level.SetCell(x, y, wall ? Cell.Wall : Cell.Space);
        LevelVersion++;
    }

    /// <summary>obj1, then obj2 in a duel, while they are in the level.</summary>
    public IReadOnlyList<GridGoal> Goals
    {
        get
        {
            int w = Config.WorldSize;
            var goals = new List<GridGoal>(2);
            if (Level.Obj1Cell >= 0 && Level.Cells[Level.Obj1Cell] == Cell.Obj1) goals.Add(new GridGoal("obj1", Level.Obj1Cell % w, Level.Obj1Cell / w));
            if (Level.Obj2Cell >= 0 && Level.Cells[Level.Obj2Cell] == Cell.Obj2) goals.Add(new GridGoal("obj2", Level.Obj2Cell % w, Level.Obj2Cell / w));
            return goals;
        }
    }

    public StepResult Step(int action)
    {
        if (IsDone) throw new InvalidOperationException("the episode is over; call Reset first");
        var (vx, vy) = Actions.MazeMove(action);
        int w = Config.WorldSize, nx = AgentX + vx, ny = AgentY + vy;
        if (nx >= 0 && ny >= 0 && nx < w && ny < w && Level[nx, ny] != Cell.Wall)
        {
            AgentX = nx;
            AgentY = ny;
        }
        if (vx > 0) FacingRight = true;
        if (vx < 0) FacingRight = false;
        Steps++;

        float reward = 0;
        byte reached = 0;
        int cell = AgentY * w + AgentX;
        switch (Level.Cells[cell])
        {
            case Cell.Obj1: reward = 10; reached = MazeOutcome.Obj1; Take(cell); break;
            case Cell.Obj2: reward = -10; reached = MazeOutcome.Obj2; Take(cell); break;
        }
        Return += reward;
        bool terminated = reached != 0;
        bool truncated = !terminated && Steps >= Config.Timeout;
        Outcome = terminated ? reached : truncated ? MazeOutcome.Timeout : (byte)0;
        return new StepResult(reward, terminated, truncated, Outcome, Steps);
    }

    private void Take(int cell)
    {
        Level.Take(cell);
        LevelVersion++;
    }

    /// <summary>The finished (or running) episode as an <see cref="EpisodeInfo"/>.</summary>
    public EpisodeInfo Episode => EpisodeInfo.Of(this);

    /// <summary>The maze reports no facts beyond outcome, steps and return.</summary>
    public void WriteFacts(Span<float> facts) { }

    int IGame.StateSize => StateSize;

    /// <summary>Everything needed to continue bit-identically (<see cref="StateSize"/> bytes); the level is regenerated from its seed.</summary>
    public void WriteState(Span<byte> state)
    {
        BinaryPrimitives.WriteInt32LittleEndian(state, LevelSeed);
        BinaryPrimitives.WriteInt32LittleEndian(state[4..], AgentX);
        BinaryPrimitives.WriteInt32LittleEndian(state[8..], AgentY);
        BinaryPrimitives.WriteInt32LittleEndian(state[12..], Steps);
        BinaryPrimitives.WriteSingleLittleEndian(state[16..], Return);
        state[20] = FacingRight ? (byte)1 : (byte)0;
        state[21] = Outcome;
        state[22] = 0;
        state[23] = 0;
    }

    public void ReadState(ReadOnlySpan<byte> state)
    {
        if (state.Length < StateSize) throw new MisgenInputException("game state is truncated");
        int seed = BinaryPrimitives.ReadInt32LittleEndian(state);
        int x = BinaryPrimitives.ReadInt32LittleEndian(state[4..]), y = BinaryPrimitives.ReadInt32LittleEndian(state[8..]);
        int w = Config.WorldSize;
        if ((seed < 0 && !IsFromGrid) || x < 0 || y < 0 || x >= w || y >= w || state[21] > MazeOutcome.Timeout)
            throw new MisgenInputException("game state is corrupt or belongs to another env spec");
        Reset(seed);
        AgentX = x;
        AgentY = y;
        Steps = BinaryPrimitives.ReadInt32LittleEndian(state[12..]);
        Return = BinaryPrimitives.ReadSingleLittleEndian(state[16..]);
        FacingRight = state[20] != 0;
        Outcome = state[21];
        // A finished episode's object was taken where the agent stands.
        if (Outcome is MazeOutcome.Obj1 or MazeOutcome.Obj2) Take(y * w + x);
    }

    public LevelDescription Describe()
    {
        int w = Config.WorldSize;
        var grid = new string[w];
        var entities = new List<LevelEntity>();
        for (int y = 0; y < w; y++)
        {
            var row = new char[w];
            for (int x = 0; x < w; x++)
            {
                var cell = Level[x, y];
                row[x] = cell switch { Cell.Wall => '#', Cell.Obj1 => '1', Cell.Obj2 => '2', _ => '.' };
                if (x == AgentX && y == AgentY) row[x] = 'A';
                if (cell is Cell.Obj1 or Cell.Obj2)
                {
                    var obj = cell == Cell.Obj1 ? Config.Obj1 : Config.Obj2!.Value;
                    entities.Add(new LevelEntity(cell == Cell.Obj1 ? "obj1" : "obj2", x + 0.5, y + 0.5,
                        new Dictionary<string, object> { ["object"] = obj.ToString() }));
                }
            }
            grid[w - 1 - y] = new string(row);
        }
        return new LevelDescription(Spec.ToString(), LevelSeed, w, w, grid, MazeDefinition.Instance.Legend, entities, AgentX + 0.5, AgentY + 0.5);
    }
}
