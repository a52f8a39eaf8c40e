namespace Misgen.Envs.GridWorlds;

/// <summary>
/// The gridworlds' four actions: 0 left, 1 down, 2 up, 3 right (y up), in the order of procgen's
/// interpretability groups. There is no no-op: the paper's gridworlds are described with moves only, and a
/// monster-chased agent that could stand still would change the game.
/// </summary>
public static class GridMoves
{
    public const int Count = 4;

    public static ActionSet Actions { get; } =
        new(Count, [("left", [0]), ("down", [1]), ("up", [2]), ("right", [3])]);

    public static (int Dx, int Dy) Delta(int action) => action switch
    {
        0 => (-1, 0),
        1 => (0, -1),
        2 => (0, 1),
        3 => (1, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, $"actions are 0..{Count - 1}"),
    };
}
