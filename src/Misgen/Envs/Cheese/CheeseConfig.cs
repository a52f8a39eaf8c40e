namespace Misgen.Envs.Cheese;

/// <summary>
/// A cheese-maze spec, parsed: where the cheese may lie (<see cref="Region"/>), the world side, an optional
/// fixed maze side and the timeout.
/// </summary>
public sealed class CheeseConfig : GameConfig
{
    internal CheeseConfig(SpecValues options) : base("", options)
    {
        Region = options.Int(CheeseDefinition.RegionOption);
        World = options.Int(CheeseDefinition.WorldOption);
        MazeSize = options.Int(CheeseDefinition.SizeOption);
        Timeout = options.Int(CheeseDefinition.TimeoutOption);
        if (MazeSize != 0 && (MazeSize % 2 == 0 || MazeSize > World))
            throw new MisgenInputException($"env option size={MazeSize} is invalid for world={World}; valid: 0 (procgen's random side) or odd numbers 3..{World}");
    }

    /// <summary>
    /// The cheese lies on a random free cell of the maze's top-right Region x Region (the training game,
    /// procgen's maze_aisc with rand_region); 0 puts it on the top-right cell; -1 anywhere but the start (the test game).
    /// </summary>
    public int Region { get; }

    public bool IsAnywhere => Region < 0;

    /// <summary>Side of the world in tiles (procgen: 25 in hard mode, 15 in easy mode); the whole world is visible.</summary>
    public int World { get; }

    /// <summary>A fixed maze side, or 0 for procgen's randn((World - 1) / 2) * 2 + 3.</summary>
    public int MazeSize { get; }

    public override int Timeout { get; }
}
