using Misgen.Envs;

namespace Misgen.Tests.Interp;

/// <summary>A hand-drawn grid for path and decision-square tests: '#' wall, '.' open, 'S' start, 'G' goal; top row first.</summary>
internal sealed class TextGridGame : IGridAgentGame
{
    private readonly bool[,] walls;
    private readonly List<GridGoal> goals = [];

    public TextGridGame(params string[] rows)
    {
        GridHeight = rows.Length;
        GridWidth = rows[0].Length;
        walls = new bool[GridWidth, GridHeight];
        for (int r = 0; r < rows.Length; r++)
            for (int x = 0; x < GridWidth; x++)
            {
                int y = GridHeight - 1 - r;
                char c = rows[r][x];
                walls[x, y] = c == '#';
                if (c == 'S') (AgentX, AgentY) = StartCell = (x, y);
                if (c == 'G') goals.Add(new GridGoal("goal", x, y));
            }
    }

    public int GridWidth { get; }
    public int GridHeight { get; }
    public int AgentX { get; private set; }
    public int AgentY { get; private set; }
    public (int X, int Y) StartCell { get; }
    public IReadOnlyList<GridGoal> Goals => goals;

    public bool IsWall(int x, int y) => x < 0 || y < 0 || x >= GridWidth || y >= GridHeight || walls[x, y];

    public void PlaceAgent(int x, int y) => (AgentX, AgentY) = (x, y);

    public void SetWall(int x, int y, bool wall)
    {
        walls[x, y] = wall;
        LevelVersion++;
    }

    public EnvSpec Spec => throw new NotSupportedException();
    public int LevelSeed => 0;
    public int Steps => 0;
    public float Return => 0;
    public byte Outcome => 0;
    public int LevelVersion { get; private set; }
    public void Reset(int levelSeed) => throw new NotSupportedException();
    public StepResult Step(int action) => throw new NotSupportedException();
    public void WriteFacts(Span<float> facts) { }
    public int StateSize => 0;
    public void WriteState(Span<byte> state) { }
    public void ReadState(ReadOnlySpan<byte> state) { }
    public LevelDescription Describe() => throw new NotSupportedException();
}
