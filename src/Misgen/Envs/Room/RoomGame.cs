using System.Buffers.Binary;
using Misgen.Envs.Procgen;

namespace Misgen.Envs.Room;

/// <summary>
/// The room's rules: the goal is drawn from the level seed (any cell but the start), the agent moves one
/// cell per step as in the maze (procgen's actions, no diagonals), reaching the goal gives +10 and ends the
/// episode; after the timeout the episode is truncated.
/// </summary>
public sealed class RoomGame : IGridAgentGame
{
    private readonly Mt19937 rng = new();

    public RoomGame(EnvSpec spec)
    {
        Spec = spec;
        Config = spec.ConfigAs<RoomConfig>();
    }

    public EnvSpec Spec { get; }
    public RoomConfig Config { get; }
    public int LevelSeed { get; private set; } = -1;
    public int Steps { get; private set; }
    public float Return { get; private set; }
    public byte Outcome { get; private set; }
    public int LevelVersion { get; private set; }
    public int AgentX { get; private set; }
    public int AgentY { get; private set; }
    public int GoalX { get; private set; }
    public int GoalY { get; private set; }

    public void Reset(int levelSeed)
    {
        if (levelSeed < 0) throw new MisgenInputException($"level seeds are 0..{int.MaxValue}, got {levelSeed}");
        LevelSeed = levelSeed;
        rng.Seed(unchecked((uint)levelSeed));
        int n = Config.Size, goal = 1 + rng.Randn(n * n - 1); // never the start cell 0
        (GoalX, GoalY) = (goal % n, goal / n);
        (AgentX, AgentY) = (0, 0);
        Steps = 0;
        Return = 0;
        Outcome = 0;
        LevelVersion++;
    }

    public int GridWidth => Config.Size;

    public int GridHeight => Config.Size;

    /// <summary>The room has no walls inside; outside the room counts as wall.</summary>
    public bool IsWall(int x, int y) => x < 0 || y < 0 || x >= Config.Size || y >= Config.Size;

    public (int X, int Y) StartCell => (0, 0);

    /// <summary>Puts the agent on any cell of the room (for analysis; not a step).</summary>
    public void PlaceAgent(int x, int y)
    {
        if (IsWall(x, y)) throw new MisgenInputException($"cell ({x}, {y}) is outside the {Config.Size}x{Config.Size} room");
        (AgentX, AgentY) = (x, y);
    }

    public void SetWall(int x, int y, bool wall)
    {
        if (wall) throw new MisgenInputException("the room game has no walls to add");
    }

    public IReadOnlyList<GridGoal> Goals => [new GridGoal("goal", GoalX, GoalY)];

    public StepResult Step(int action)
    {
        if (Outcome != 0) throw new InvalidOperationException("the episode is over; call Reset first");
        var (vx, vy) = Actions.MazeMove(action);
        int n = Config.Size;
        AgentX = Math.Clamp(AgentX + vx, 0, n - 1);
        AgentY = Math.Clamp(AgentY + vy, 0, n - 1);
        Steps++;
        bool reached = AgentX == GoalX && AgentY == GoalY;
        float reward = reached ? 10 : 0;
        Return += reward;
        bool truncated = !reached && Steps >= Config.Timeout;
        Outcome = reached ? RoomDefinition.Goal : truncated ? RoomDefinition.Timeout : (byte)0;
        return new StepResult(reward, reached, truncated, Outcome, Steps);
    }

    /// <summary>start_distance: the shortest path from the start to the goal, in steps.</summary>
    public void WriteFacts(Span<float> facts) => facts[0] = GoalX + GoalY;

    public int StateSize => 24;

    public void WriteState(Span<byte> state)
    {
        BinaryPrimitives.WriteInt32LittleEndian(state, LevelSeed);
        BinaryPrimitives.WriteInt32LittleEndian(state[4..], AgentX);
        BinaryPrimitives.WriteInt32LittleEndian(state[8..], AgentY);
        BinaryPrimitives.WriteInt32LittleEndian(state[12..], Steps);
        BinaryPrimitives.WriteSingleLittleEndian(state[16..], Return);
        BinaryPrimitives.WriteInt32LittleEndian(state[20..], Config.Size); // a state only fits a room of its size
    }

    public void ReadState(ReadOnlySpan<byte> state)
    {
        if (state.Length < StateSize) throw new MisgenInputException("room state is truncated");
        int seed = BinaryPrimitives.ReadInt32LittleEndian(state);
        int x = BinaryPrimitives.ReadInt32LittleEndian(state[4..]), y = BinaryPrimitives.ReadInt32LittleEndian(state[8..]);
        int steps = BinaryPrimitives.ReadInt32LittleEndian(state[12..]);
        int n = Config.Size;
        if (BinaryPrimitives.ReadInt32LittleEndian(state[20..]) != n || seed < 0 || x < 0 || y < 0 || x >= n || y >= n || steps < 0 || steps > Config.Timeout)
            throw new MisgenInputException("room state is corrupt or belongs to another spec");
        Reset(seed);
        (AgentX, AgentY, Steps) = (x, y, steps);
        Return = BinaryPrimitives.ReadSingleLittleEndian(state[16..]);
        bool reached = AgentX == GoalX && AgentY == GoalY;
        Outcome = reached ? RoomDefinition.Goal : Steps >= Config.Timeout ? RoomDefinition.Timeout : (byte)0;
    }

    public LevelDescription Describe()
    {
        int n = Config.Size;
        var grid = new string[n];
        for (int y = 0; y < n; y++)
        {
            var row = new char[n];
            for (int x = 0; x < n; x++)
                row[x] = x == AgentX && y == AgentY ? 'A' : x == GoalX && y == GoalY ? 'G' : '.';
            grid[n - 1 - y] = new string(row);
        }
        return new LevelDescription(Spec.ToString(), LevelSeed, n, n, grid, RoomDefinition.Instance.Legend,
            [new LevelEntity("goal", GoalX + 0.5, GoalY + 0.5)], AgentX + 0.5, AgentY + 0.5);
    }
}
