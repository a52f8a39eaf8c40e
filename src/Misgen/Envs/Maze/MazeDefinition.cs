namespace Misgen.Envs.Maze;

/// <summary>The colour-versus-shape maze in the game catalogue: spec grammar, options, outcomes, factories.</summary>
public sealed class MazeDefinition : GameDefinition
{
    public const string SizeOption = "size";
    public const string TimeoutOption = "timeout";
    public const int DefaultWorldSize = 5;
    public const int DefaultTimeout = 500;
    public const int MaxTimeout = 1_000_000;

    public static MazeDefinition Instance { get; } = new();

    private MazeDefinition() { }

    public static IReadOnlyList<string> Backgrounds { get; } = ["black", "grey", "textured"];

    public override string Name => "maze";

    public override string Summary =>
        "the colour-versus-shape maze: reach the goal object; a duel adds a second object (obj1 +10, obj2 -10)";

    public override string BodyGrammar => "OBJECT[+OBJECT][@BACKGROUND]";

    public override IReadOnlyList<string> Examples { get; } =
        ["maze:yellow-line@textured", "maze:red-line+yellow-gem@textured", "maze:yellow-line@black;size=7;timeout=300"];

    public override IReadOnlyList<string> Notes { get; } =
    [
        $"objects: {string.Join(", ", MazeObject.All)}",
        "backgrounds: black (default), grey (127), textured (one of nine generated textures, chosen by the level seed)",
        "an episode ends when the agent reaches an object (terminated) or after the timeout (truncated, reward 0)",
    ];

    public override IReadOnlyList<SpecOption> Options { get; } =
    [
        SpecOption.Int(SizeOption, DefaultWorldSize, 3, 25, "maze side in cells (the study: 5)", oddOnly: true),
        SpecOption.Int(TimeoutOption, DefaultTimeout, 1, MaxTimeout, "steps before an episode is truncated"),
    ];

    public override IReadOnlyList<OutcomeInfo> Outcomes { get; } =
    [
        new(MazeOutcome.Obj1, "obj1", IsSuccess: true),
        new(MazeOutcome.Obj2, "obj2"),
        new(MazeOutcome.Timeout, "timeout", IsTimeout: true),
    ];

    public override IReadOnlyList<KeyValuePair<char, string>> Legend { get; } =
        [new('#', "wall"), new('.', "open"), new('A', "agent"), new('1', "obj1"), new('2', "obj2")];

    /// <summary>
    /// <c>paper-net</c>: the study's observation and network (64x64, IMPALA 16/32/32) trained with `fast`'s PPO
    /// recipe, so that preferences can be compared with `fast` and `paper` at the study's resolution and size. The
    /// larger network learned about twice as fast per sample as `fast` (training-episode length 12-24 at 156k steps
    /// against 44-49 at 150k), so its budget is 350k steps; the textured maze keeps `fast`'s smaller entropy bonus. Tried
    /// on textured only (BENCHMARKS.md, "Fidelity of the presets"); on black and grey it is untested.
    /// </summary>
    public override IReadOnlyList<GamePreset> Presets { get; } =
    [
        new("paper-net", "fast", ["observation_size=64", "width1=16", "width2=32", "width3=32", "total_steps=350000"],
            "the study's 64x64 observation and IMPALA 16/32/32 with fast's recipe, 350k steps (26-32 minutes per agent on one core of a Zen 5; BENCHMARKS.md \"Fidelity of the presets\")"),
    ];

    public override GameConfig Parse(string body, SpecValues options)
    {
        var background = Background.Black;
        int at = body.IndexOf('@');
        if (at >= 0)
        {
            background = ParseBackground(body[(at + 1)..]);
            body = body[..at];
        }
        if (body.Trim().Length == 0)
            throw new MisgenInputException($"a maze spec needs its goal object: write maze:{BodyGrammar}, e.g. {Examples[0]}; objects: {string.Join(", ", MazeObject.All)}");
        string[] objects = body.Split('+');
        if (objects.Length > 2)
            throw new MisgenInputException($"the maze spec names {objects.Length} objects; a maze has one goal (training) or two (duel: obj1+obj2)");
        if (objects.Any(o => o.Trim().Length == 0))
            throw MisgenInputException.Unknown("object", body, MazeObject.All.Select(o => o.ToString()));
        var obj1 = MazeObject.Parse(objects[0]);
        MazeObject? obj2 = objects.Length == 2 ? MazeObject.Parse(objects[1]) : null;
        return new MazeConfig(obj1, obj2, background, options);
    }

    private static Background ParseBackground(string text) => text.Trim().ToLowerInvariant() switch
    {
        "black" => Background.Black,
        "grey" or "gray" => Background.Grey,
        "textured" => Background.Textured,
        _ => throw MisgenInputException.Unknown("background", text.Trim(), Backgrounds),
    };

    /// <summary>
    /// Textured backgrounds learn slower: `fast` gets 600k steps instead of 300k (~9.5 held-out steps at 450k
    /// in the first trial) and a smaller entropy bonus; `paper` trained 10M instead of 5M (BENCHMARKS.md).
    /// </summary>
    public override IReadOnlyList<string> PresetOverrides(string preset, EnvSpec spec) =>
        spec.ConfigAs<MazeConfig>().Background != Background.Textured ? []
        : preset switch
        {
            "fast" => ["total_steps=600000", "ent_coef=0.003"],
            "paper" => ["total_steps=10000000"],
            _ => [],
        };

    public override IGame CreateGame(EnvSpec spec) => new MazeGame(spec);

    public override IGame FromGrid(EnvSpec spec, IReadOnlyList<string> grid) => MazeGame.FromGrid(spec, grid);

    public override IGameRenderer CreateRenderer(EnvSpec spec, int size) =>
        MazeRenderer.For(spec.ConfigAs<MazeConfig>().WorldSize, size);
}
