namespace Misgen.Envs.Maze;

/// <summary>How a maze episode ends (the codes results.db stores). The training game's goal counts as obj1.</summary>
public static class MazeOutcome
{
    public const byte Obj1 = 1;
    public const byte Obj2 = 2;
    public const byte Timeout = 3;
}
