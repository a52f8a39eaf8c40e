using Misgen.Envs.Cheese;
using Misgen.Envs.CoinRun;
using Misgen.Envs.Heist;
using Misgen.Envs.Maze;
using Misgen.Envs.Monster;
using Misgen.Envs.Room;
using Misgen.Envs.Tree;

namespace Misgen.Envs;

/// <summary>
/// Every game Misgen has, one line each. Everything else (specs, `misgen envs`, `render`, `level`, training,
/// evaluation, reports, sweeps) asks the catalogue, so a new game is its folder plus its line here.
/// </summary>
public static class GameCatalogue
{
    public static IReadOnlyList<GameDefinition> All { get; } =
    [
        MazeDefinition.Instance,
        RoomDefinition.Instance,
        MonsterDefinition.Instance,
        TreeDefinition.Instance,
        CoinRunDefinition.Instance,
        HeistDefinition.Instance,
        CheeseDefinition.Instance,
    ];

    /// <summary>The game called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static GameDefinition? Find(string name) =>
        All.FirstOrDefault(g => string.Equals(g.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The game called <paramref name="name"/>; MisgenInputException naming the valid ones otherwise.</summary>
    public static GameDefinition Get(string name) =>
        Find(name) ?? throw MisgenInputException.Unknown("game", name, All.Select(g => g.Name));
}
