namespace Misgen.Envs;

/// <summary>A goal cell of a grid game: its name as the game reports it (e.g. obj1, cheese) and its cell.</summary>
public readonly record struct GridGoal(string Name, int X, int Y);

/// <summary>
/// What the interpretability tools (Misgen.Interp: vector fields, decision squares, channel search) need from a
/// maze-like game, where an agent moves one cell per step on a grid with walls: the grid, the agent's cell, a way
/// to put the agent on any open cell and to add or remove a wall, and the goal cells. Coordinates are cells,
/// x from the left and y from the bottom (as <see cref="IGame.Describe"/>). A game implements it beside
/// <see cref="IGame"/>; none of it is used while training or evaluating.
/// </summary>
public interface IGridAgentGame : IGame
{
    int GridWidth { get; }

    int GridHeight { get; }

    /// <summary>True for a cell the agent cannot enter (cells outside the grid count as walls).</summary>
    bool IsWall(int x, int y);

    int AgentX { get; }

    int AgentY { get; }

    /// <summary>The cell every episode starts in.</summary>
    (int X, int Y) StartCell { get; }

    /// <summary>Puts the agent on an open cell without a step (steps, return and outcome unchanged); MisgenInputException for a wall.</summary>
    void PlaceAgent(int x, int y);

    /// <summary>
    /// Makes a cell a wall or open floor (a level edit: <see cref="IGame.LevelVersion"/> changes); MisgenInputException
    /// when the game cannot, or for the agent's or a goal's cell.
    /// </summary>
    void SetWall(int x, int y, bool wall);

    /// <summary>
    /// The top-right cell of the playable maze, where a corner-seeking agent heads (decision squares). Default: the
    /// grid's top-right cell; a game whose maze sits inside a wall margin says otherwise.
    /// </summary>
    (int X, int Y) CornerCell => (GridWidth - 1, GridHeight - 1);

    /// <summary>The goal cells still in the level, the rewarded goal first.</summary>
    IReadOnlyList<GridGoal> Goals { get; }

    /// <summary>
    /// The part of the observation cell (x, y) covers, as fractions of the observation's side from the left and from
    /// the top (for drawing over a level). Default: the grid fills the whole observation; a game that pads or scrolls
    /// its view says otherwise.
    /// </summary>
    (double Left, double Top, double Width, double Height) CellArea(int x, int y) =>
        ((double)x / GridWidth, (double)(GridHeight - 1 - y) / GridHeight, 1.0 / GridWidth, 1.0 / GridHeight);
}
