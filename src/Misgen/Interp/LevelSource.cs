using System.Globalization;
using Misgen.Envs;

namespace Misgen.Interp;

/// <summary>
/// A level to look at: a spec and a level seed, or a spec and a text grid (for games whose definition builds
/// levels from a grid, <see cref="GameDefinition.FromGrid"/>). Written <c>SPEC#SEED</c> or <c>SPEC#FILE</c> (a grid
/// file, top row first, in the game's legend) where patches name levels.
/// </summary>
public sealed record LevelSource(EnvSpec Spec, int Seed, IReadOnlyList<string>? Grid = null, string? GridFile = null)
{
    /// <summary>A fresh game at the level's first state.</summary>
    public IGame Create()
    {
        if (Grid is not null) return Spec.Game.FromGrid(Spec, Grid);
        var game = Spec.Game.CreateGame(Spec);
        game.Reset(Seed);
        return game;
    }

    /// <summary>The level as a grid game (for vector fields, decision squares, channel search).</summary>
    public IGridAgentGame CreateGrid() => GridGames.Require(Create());

    /// <summary>The first observation at side <paramref name="size"/>.</summary>
    public byte[] Observation(int size) => Observations.Of(Create(), size);

    /// <summary>
    /// <c>SPEC#SEED</c>, <c>SPEC#FILE</c>, or <c>#SEED</c> / <c>#FILE</c> for a level of <paramref name="defaultSpec"/>.
    /// </summary>
    public static LevelSource Parse(string text, EnvSpec? defaultSpec)
    {
        int hash = text.LastIndexOf('#');
        if (hash < 0)
            throw new MisgenInputException($"level '{text}' needs a '#': write SPEC#SEED (e.g. maze:yellow-line@black#5), SPEC#GRID_FILE, or #SEED for the level's own spec");
        string specText = text[..hash].Trim(), which = text[(hash + 1)..].Trim();
        var spec = specText.Length > 0 ? EnvSpec.Parse(specText)
            : defaultSpec ?? throw new MisgenInputException($"level '{text}' names no spec; write SPEC#SEED");
        if (int.TryParse(which, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed))
        {
            if (seed < 0) throw new MisgenInputException($"level seed {seed} in '{text}' is invalid; valid: 0..{int.MaxValue}");
            return new LevelSource(spec, seed);
        }
        return FromGridFile(spec, which);
    }

    /// <summary>A level read from a grid file (top row first, the game's legend, e.g. `misgen level` output).</summary>
    public static LevelSource FromGridFile(EnvSpec spec, string path)
    {
        if (!File.Exists(path)) throw new MisgenInputException($"grid file '{path}' does not exist (a level is SPEC#SEED or SPEC#GRID_FILE)");
        var rows = File.ReadAllLines(path).Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        if (rows.Count == 0) throw new MisgenInputException($"grid file '{path}' is empty");
        var source = new LevelSource(spec, -1, rows, path);
        source.Create(); // the game checks the grid now, so a bad file is reported where it is named
        return source;
    }

    public override string ToString() => $"{Spec}#{(GridFile ?? Seed.ToString(CultureInfo.InvariantCulture))}";
}

/// <summary>Observations of a game's current state, drawn by the game's own renderer.</summary>
public static class Observations
{
    /// <summary>The observation of <paramref name="game"/>'s current state at side <paramref name="size"/> (0: the game's default).</summary>
    public static byte[] Of(IGame game, int size)
    {
        var renderer = Renderer(game, size);
        var layer = new byte[renderer.LayerBytes];
        var frame = new byte[renderer.FrameBytes];
        renderer.DrawLevel(game, layer);
        renderer.DrawFrame(game, layer, frame);
        return frame;
    }

    public static IGameRenderer Renderer(IGame game, int size) =>
        game.Spec.Game.CreateRenderer(game.Spec, size == 0 ? game.Spec.Game.DefaultObservationSize : size);
}

/// <summary>The check that a game is maze-like (<see cref="IGridAgentGame"/>), with an error a user can act on.</summary>
public static class GridGames
{
    public static IGridAgentGame Require(IGame game) =>
        game as IGridAgentGame ?? throw new MisgenInputException(
            $"the {game.Spec.Game.Name} game is not a grid game (an agent moving between cells); this needs one of: " +
            string.Join(", ", GameCatalogue.All.Where(g => g.CreateGame(EnvSpec.Parse(g.Examples[0])) is IGridAgentGame).Select(g => g.Name)));
}
