namespace Misgen.Envs.Heist;

/// <summary>Which keys-and-chests rules a spec plays (docs/HEIST.md).</summary>
public enum HeistVariant
{
    /// <summary>procgenAISC heist_aisc_many_chests (training): keys = k + U{0,1} + 1, chests = 2 x keys; ends when the keys are used up.</summary>
    ManyChests,

    /// <summary>procgenAISC heist_aisc_many_keys (test): chests = k + U{0,1} + 1, keys = 2 x chests; ends when every chest is open.</summary>
    ManyKeys,

    /// <summary>procgen's heist: up to three coloured locks that block until their key is held, and a gem (+10) behind them.</summary>
    Classic,
}

/// <summary>
/// A keys-and-chests spec, parsed: the variant (the body), the world size (procgen's distribution mode:
/// easy 9 tiles, hard 13), the timeout and procgenAISC's two shaping penalties.
/// </summary>
public sealed class HeistConfig : GameConfig
{
    internal HeistConfig(HeistVariant variant, SpecValues options) : base(HeistDefinition.VariantName(variant), options)
    {
        Variant = variant;
        Mode = options[HeistDefinition.ModeOption];
        WorldSize = Mode == "easy" ? 9 : 13;
        Timeout = options.Int(HeistDefinition.TimeoutOption);
        KeyPenalty = options.Number(HeistDefinition.KeyPenaltyOption);
        StepPenalty = options.Number(HeistDefinition.StepPenaltyOption);
    }

    public HeistVariant Variant { get; }
    public bool IsAisc => Variant != HeistVariant.Classic;
    public string Mode { get; }

    /// <summary>Side of the square world in tiles (the maze sits inside at a random offset).</summary>
    public int WorldSize { get; }

    public override int Timeout { get; }

    /// <summary>procgenAISC's key_penalty: each key picked up costs key_penalty / 10.</summary>
    public double KeyPenalty { get; }

    /// <summary>procgenAISC's step_penalty: each step costs step_penalty / 1000.</summary>
    public double StepPenalty { get; }
}
