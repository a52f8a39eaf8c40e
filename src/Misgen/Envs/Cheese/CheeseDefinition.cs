namespace Misgen.Envs.Cheese;

/// <summary>
/// The cheese maze (Langosco et al.'s "go to the corner" system) in the game catalogue: spec options, outcomes,
/// facts, factories.
/// </summary>
public sealed class CheeseDefinition : GameDefinition
{
    public const string RegionOption = "region";
    public const string WorldOption = "world";
    public const string SizeOption = "size";
    public const string TimeoutOption = "timeout";
    public const int DefaultWorld = 25;
    public const int DefaultTimeout = 500;

    public static CheeseDefinition Instance { get; } = new();

    private CheeseDefinition() { }

    public override string Name => "cheese";

    public override string Summary =>
        "the cheese maze (procgen maze, hard): reach the cheese; trained with it near the top-right corner, tested anywhere";

    public override IReadOnlyList<string> Examples { get; } =
        ["cheese;region=5", "cheese", "cheese;region=5;world=15", "cheese;size=7;timeout=100"];

    public override IReadOnlyList<string> Notes { get; } =
    [
        "region=R: the cheese on a random free cell of the maze's top-right RxR (procgen maze_aisc rand_region; 0 = the top-right cell); region=-1 (default): anywhere but the start (procgen maze)",
        "the maze side is procgen's randn((world-1)/2)*2+3 unless size= fixes it; walls fill the rest of the world, and the whole world is visible",
        "facts: corner_first (the mouse stood on the maze's top-right cell before any cheese), cheese_in_region (the cheese started in the top-right 5x5), maze_size, corner_step",
        "region=0 (the cheese exactly in the corner) is placed without draws; its layouts are not checked against the original",
    ];

    public override IReadOnlyList<SpecOption> Options { get; } =
    [
        SpecOption.Int(RegionOption, -1, -1, 31, "cheese in the maze's top-right RxR; -1 anywhere (test), 0 the top-right cell"),
        SpecOption.Int(WorldOption, DefaultWorld, 5, 31, "world side in tiles (procgen: 25 hard, 15 easy)", oddOnly: true),
        SpecOption.Int(SizeOption, 0, 0, 31, "fixed maze side (odd, at most the world); 0: procgen's random side"),
        SpecOption.Int(TimeoutOption, DefaultTimeout, 1, 1_000_000, "steps before an episode is truncated"),
    ];

    public override IReadOnlyList<OutcomeInfo> Outcomes { get; } =
        [new(CheeseOutcome.Cheese, "cheese", IsSuccess: true), new(CheeseOutcome.Timeout, "timeout", IsTimeout: true)];

    public override IReadOnlyList<string> Facts { get; } = ["corner_first", "cheese_in_region", "maze_size", "corner_step"];

    public override IReadOnlyList<KeyValuePair<char, string>> Legend { get; } =
        [new('#', "wall"), new('.', "open"), new('A', "mouse"), new('C', "cheese")];

    /// <summary>
    /// The quick CPU recipe for `cheese;world=7` agents: `fast` with a smaller entropy bonus (as the textured maze
    /// has it) and 350k steps; found by a short search (docs/CHEESE.md, BENCHMARKS.md "The cheese maze").
    /// </summary>
    public override IReadOnlyList<GamePreset> Presets { get; } =
    [
        new("cheese-quick", "fast", ["total_steps=350000", "ent_coef=0.003"],
            "the cheese maze's CPU recipe for world=7 (about 8 minutes per agent on one loaded core; see docs/CHEESE.md)"),
    ];

    public override GameConfig Parse(string body, SpecValues options) =>
        body.Trim().Length == 0
            ? new CheeseConfig(options)
            : throw new MisgenInputException($"the cheese game takes no body, got '{body.Trim()}'; write cheese[;region=R][;world=N][;size=N][;timeout=N], e.g. {Examples[0]}");

    public override IGame CreateGame(EnvSpec spec) => new CheeseGame(spec);

    public override IGameRenderer CreateRenderer(EnvSpec spec, int size) => CheeseRenderer.For(spec.ConfigAs<CheeseConfig>().World, size);

    public override IGame FromGrid(EnvSpec spec, IReadOnlyList<string> grid) => CheeseGame.FromGrid(spec, grid);
}
