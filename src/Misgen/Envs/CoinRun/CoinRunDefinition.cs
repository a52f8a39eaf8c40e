namespace Misgen.Envs.CoinRun;

/// <summary>CoinRun in the game catalogue: procgen's coinrun and the AISC fork's two variants, as specs.</summary>
public sealed class CoinRunDefinition : GameDefinition
{
    public const string RandomPercentOption = "random_percent";
    public const string ModeOption = "mode";
    public const string StopAtEndOption = "stop_at_end";
    public const string TimeoutOption = "timeout";
    public const int DefaultTimeout = 1000;

    public static CoinRunDefinition Instance { get; } = new();

    private CoinRunDefinition() { }

    public static IReadOnlyList<string> Variants { get; } = ["fork", "aisc"];

    public override string Name => "coinrun";

    public override string Summary =>
        "procgen's CoinRun platformer: run right past pits, saws and enemies to the coin (+10); fork/aisc move the coin";

    public override string BodyGrammar => "[fork|aisc]";

    public override IReadOnlyList<string> Examples { get; } =
        ["coinrun", "coinrun:fork;random_percent=2", "coinrun:aisc", "coinrun:aisc;stop_at_end=1"];

    public override IReadOnlyList<string> Notes { get; } =
    [
        "coinrun: procgen's game, the coin at the level's right end",
        "coinrun:fork: the AISC fork's coinrun (Langosco et al.'s training game); random_percent=P puts the coin in a random section in P% of levels. " +
        "Its levels differ from procgen's even at P=0 (two more draws)",
        "coinrun:aisc: the fork's coinrun_aisc (the test game): the coin always in a random section, an invisible marker at the end",
        "outcomes: coin (+10), end (touched the right end, then ended without the coin), died (lava, saw, enemy), timeout",
        "stop_at_end=1 ends an episode at the end without the coin, as Langosco et al. measured; 64x64 view centred on the agent, 13 tiles wide",
    ];

    public override IReadOnlyList<SpecOption> Options { get; } =
    [
        SpecOption.Int(RandomPercentOption, 0, 0, 100, "fork only: percent of levels with the coin in a random section"),
        SpecOption.Choice(ModeOption, "hard", ["hard", "easy"], "procgen's distribution mode (easy: no walking enemies on ground, first themes)"),
        SpecOption.Int(StopAtEndOption, 0, 0, 1, "1: reaching the end without the coin ends the episode (outcome end)"),
        SpecOption.Int(TimeoutOption, DefaultTimeout, 1, 1_000_000, "steps before an episode is truncated"),
    ];

    public override IReadOnlyList<OutcomeInfo> Outcomes { get; } =
    [
        new(CoinRunOutcome.Coin, "coin", IsSuccess: true),
        new(CoinRunOutcome.End, "end"),
        new(CoinRunOutcome.Died, "died"),
        new(CoinRunOutcome.Timeout, "timeout", IsTimeout: true),
    ];

    public override IReadOnlyList<string> Facts { get; } =
        ["reached_end", "end_step", "marker", "coin_randomized", "coin_x", "end_x", "max_x", "died"];

    public override IReadOnlyList<KeyValuePair<char, string>> Legend { get; } =
    [
        new('.', "open"), new('#', "ground"), new('=', "ground surface"), new('~', "lava"), new('^', "lava surface"),
        new('|', "enemy barrier (invisible)"), new('$', "coin"), new('?', "marker (invisible)"),
    ];

    /// <summary>What `misgen bench env` measures: the training game of the study (hard mode).</summary>
    public override string BenchSpec => "coinrun:fork";

    /// <summary>
    /// A recipe this project's 2-core machine can afford (BENCHMARKS.md, "CoinRun"): `fast` (32 px, IMPALA
    /// 8/16/16, 64 envs x 128 steps) for 450k steps, about 15 minutes of one loaded core; meant for `mode=easy`.
    /// </summary>
    public override IReadOnlyList<GamePreset> Presets { get; } =
        [new("coinrun-quick", "fast", ["total_steps=450000"], "CoinRun on a small CPU budget (use with mode=easy)")];

    public override GameConfig Parse(string body, SpecValues options)
    {
        string b = body.Trim().ToLowerInvariant();
        var variant = b switch
        {
            "" or "procgen" => CoinRunVariant.Procgen,
            "fork" => CoinRunVariant.Fork,
            "aisc" => CoinRunVariant.Aisc,
            _ => throw MisgenInputException.Unknown("coinrun variant", body.Trim(), ["(none: procgen's coinrun)", .. Variants]),
        };
        if (variant != CoinRunVariant.Fork && options.Int(RandomPercentOption) != 0)
            throw new MisgenInputException($"random_percent applies to coinrun:fork only; write coinrun:fork;{RandomPercentOption}={options[RandomPercentOption]}");
        return new CoinRunConfig(variant, options);
    }

    public override IGame CreateGame(EnvSpec spec) => new CoinRunGame(spec);

    public override IGameRenderer CreateRenderer(EnvSpec spec, int size) => CoinRunRenderer.For(size);
}
