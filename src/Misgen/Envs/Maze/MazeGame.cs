using System.Buffers.Binary;

namespace Misgen.Envs.Maze;

/// <summary>
/// The colour-versus-shape maze's rules (procgen's maze_pure_yellowline and maze_colorsobjects_duel):
/// the agent starts in the bottom-left cell and moves one cell per step unless a wall or the edge blocks it;
/// reaching obj1 gives +10, obj2 (duel only) -10, and either ends the episode (terminated);
/// after <see cref="EnvSpec.Timeout"/> steps without an object the episode is truncated with reward 0.
/// No drawing and no buffers here: <see cref="Render.MazeRenderer"/> draws a game, <see cref="VecEnv"/> runs many.
/// </summary>
public sealed class MazeGame
{
    /// <summary>Bytes of <see cref="WriteState"/>.</summary>
    public const int StateSize = 24;

    public MazeGame(EnvSpec spec)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Level = new MazeLevel(spec.WorldSize);
    }

    public EnvSpec Spec { get; }
    public MazeLevel Level { get; }
    public int LevelSeed => Level.LevelSeed;
    public int AgentX { get; private set; }
    public int AgentY { get; private set; }

    /// <summary>procgen's is_reflected: the mouse faces right after a step with vx &gt; 0, left after vx &lt; 0.</summary>
    public bool FacingRight { get; private set; }

    public int Steps { get; private set; }
    public float Return { get; private set; }

    /// <summary>How the episode ended, or <see cref="Outcome.None"/> while it runs.</summary>
    public Outcome Outcome { get; private set; }

    public bool IsDone => Outcome != Outcome.None;

    /// <summary>Starts the level of <paramref name="levelSeed"/> (procgen: mt19937 seeded with it).</summary>
    public void Reset(int levelSeed)
    {
        if (levelSeed < 0) throw new MisgenInputException($"level seeds are 0..{int.MaxValue}, got {levelSeed}");
        Level.Generate(levelSeed, Spec.IsDuel);
        AgentX = 0;
        AgentY = 0;
        FacingRight = false;
        Steps = 0;
        Return = 0;
        Outcome = Outcome.None;
    }

    /// <summary>
    /// Puts the mouse on an open cell (for analysis such as vector fields: the agent on every open cell of
    /// one level). Not a move: steps, return and outcome are unchanged.
    /// </summary>
    public void PlaceAgent(int x, int y, bool facingRight = false)
    {
        int w = Spec.WorldSize;
        if (x < 0 || y < 0 || x >= w || y >= w || Level[x, y] == Cell.Wall)
            throw new MisgenInputException($"cell ({x}, {y}) is not an open cell of level {LevelSeed}; valid: open cells with 0 <= x, y < {w}");
        AgentX = x;
        AgentY = y;
        FacingRight = facingRight;
    }

    public StepResult Step(int action)
    {
        if (IsDone) throw new InvalidOperationException("the episode is over; call Reset first");
        var (vx, vy) = Actions.MazeMove(action);
        int w = Spec.WorldSize, nx = AgentX + vx, ny = AgentY + vy;
        if (nx >= 0 && ny >= 0 && nx < w && ny < w && Level[nx, ny] != Cell.Wall)
        {
            AgentX = nx;
            AgentY = ny;
        }
        if (vx > 0) FacingRight = true;
        if (vx < 0) FacingRight = false;
        Steps++;

        float reward = 0;
        var reached = Outcome.None;
        int cell = AgentY * w + AgentX;
        switch (Level.Cells[cell])
        {
            case Cell.Obj1: reward = 10; reached = Outcome.Obj1; Level.Take(cell); break;
            case Cell.Obj2: reward = -10; reached = Outcome.Obj2; Level.Take(cell); break;
        }
        Return += reward;
        bool terminated = reached != Outcome.None;
        bool truncated = !terminated && Steps >= Spec.Timeout;
        Outcome = terminated ? reached : truncated ? Outcome.Timeout : Outcome.None;
        return new StepResult(reward, terminated, truncated, reached, Steps);
    }

    /// <summary>The finished (or running) episode as an <see cref="EpisodeInfo"/>.</summary>
    public EpisodeInfo Episode => new(Outcome, Steps, LevelSeed, Return);

    /// <summary>Everything needed to continue bit-identically (<see cref="StateSize"/> bytes); the level is regenerated from its seed.</summary>
    public void WriteState(Span<byte> state)
    {
        BinaryPrimitives.WriteInt32LittleEndian(state, LevelSeed);
        BinaryPrimitives.WriteInt32LittleEndian(state[4..], AgentX);
        BinaryPrimitives.WriteInt32LittleEndian(state[8..], AgentY);
        BinaryPrimitives.WriteInt32LittleEndian(state[12..], Steps);
        BinaryPrimitives.WriteSingleLittleEndian(state[16..], Return);
        state[20] = FacingRight ? (byte)1 : (byte)0;
        state[21] = (byte)Outcome;
        state[22] = 0;
        state[23] = 0;
    }

    public void ReadState(ReadOnlySpan<byte> state)
    {
        if (state.Length < StateSize) throw new MisgenInputException("game state is truncated");
        int seed = BinaryPrimitives.ReadInt32LittleEndian(state);
        int x = BinaryPrimitives.ReadInt32LittleEndian(state[4..]), y = BinaryPrimitives.ReadInt32LittleEndian(state[8..]);
        int w = Spec.WorldSize;
        if (seed < 0 || x < 0 || y < 0 || x >= w || y >= w || state[21] > (byte)Outcome.Timeout)
            throw new MisgenInputException("game state is corrupt or belongs to another env spec");
        Reset(seed);
        AgentX = x;
        AgentY = y;
        Steps = BinaryPrimitives.ReadInt32LittleEndian(state[12..]);
        Return = BinaryPrimitives.ReadSingleLittleEndian(state[16..]);
        FacingRight = state[20] != 0;
        Outcome = (Outcome)state[21];
        // A finished episode's object was taken where the agent stands.
        if (Outcome is Outcome.Obj1 or Outcome.Obj2) Level.Take(y * w + x);
    }
}
