namespace Misgen.Envs.CoinRun;

/// <summary>
/// A CoinRun spec, parsed: which generator (procgen's coinrun, the AISC fork's coinrun with its random_percent,
/// or coinrun_aisc), the distribution mode, whether touching the end stops the episode, and the timeout.
/// </summary>
public sealed class CoinRunConfig : GameConfig
{
    internal CoinRunConfig(CoinRunVariant variant, SpecValues options)
        : base(variant == CoinRunVariant.Procgen ? "" : variant.ToString().ToLowerInvariant(), options)
    {
        Variant = variant;
        RandomPercent = options.Int(CoinRunDefinition.RandomPercentOption);
        Easy = options[CoinRunDefinition.ModeOption] == "easy";
        StopAtEnd = options.Int(CoinRunDefinition.StopAtEndOption) == 1;
        Timeout = options.Int(CoinRunDefinition.TimeoutOption);
    }

    public CoinRunVariant Variant { get; }

    /// <summary>The fork's chance (in percent) that a level has its coin in a random section.</summary>
    public int RandomPercent { get; }

    /// <summary>procgen's easy distribution: no walking enemies outside pits, the first skin, wall theme and background.</summary>
    public bool Easy { get; }

    /// <summary>Touching the level's end without the coin ends the episode (outcome "end", reward 0), as Langosco et al. measured.</summary>
    public bool StopAtEnd { get; }

    public override int Timeout { get; }
}
