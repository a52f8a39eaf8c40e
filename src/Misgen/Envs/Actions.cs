using Misgen.Envs.Maze;
namespace Misgen.Envs;

/// <summary>
/// procgen's 15 discrete actions. move = a % 9 for a &lt; 9: vx = move / 3 - 1, vy = move % 3 - 1 (y up);
/// 9..14 do nothing in a maze. In mazes vy = 0 whenever vx != 0 (no diagonal moves), so the actions fall
/// into the groups interpretability tools use: Left {0,1,2}, Down {3}, Up {5}, Right {6,7,8}, Noop {4,9..14}.
/// </summary>
public static class Actions
{
    public const int Count = 15;

    public static ReadOnlySpan<int> Left => [0, 1, 2];
    public static ReadOnlySpan<int> Down => [3];
    public static ReadOnlySpan<int> Up => [5];
    public static ReadOnlySpan<int> Right => [6, 7, 8];
    public static ReadOnlySpan<int> Noop => [4, 9, 10, 11, 12, 13, 14];

    /// <summary>The groups by name, in the order Left, Down, Up, Right, Noop.</summary>
    public static IReadOnlyList<(string Name, int[] Actions)> Groups { get; } =
        [("left", Left.ToArray()), ("down", Down.ToArray()), ("up", Up.ToArray()), ("right", Right.ToArray()), ("noop", Noop.ToArray())];

    /// <summary>The maze move of an action: (vx, vy) with y up, diagonals reduced to their horizontal part.</summary>
    public static (int Vx, int Vy) MazeMove(int action)
    {
        if ((uint)action >= Count) throw new ArgumentOutOfRangeException(nameof(action), action, $"actions are 0..{Count - 1}");
        if (action >= 9) return (0, 0);
        int vx = action / 3 - 1, vy = action % 3 - 1;
        return vx != 0 ? (vx, 0) : (0, vy);
    }
}
