namespace Misgen.Envs.Tree;

/// <summary>A tree spec, parsed: the world, the regrowth constants and the (optional) timeout.</summary>
public sealed class TreeConfig : GameConfig
{
    public TreeConfig(SpecValues options) : base("", options)
    {
        Size = options.Int("size");
        Trees = options.Int("trees");
        MaxTrees = options.Int("n_max");
        MinRate = options.Number("r_min");
        MaxRate = options.Number("r_max");
        EpisodeSteps = options.Int("timeout");
        if (Trees + 1 > Size * Size)
            throw new MisgenInputException($"tree spec puts 1 agent and {Trees} trees on {Size * Size} cells; valid: trees=0..{Size * Size - 1}");
        if (MinRate > MaxRate)
            throw new MisgenInputException($"env option r_min={MinRate} is larger than r_max={MaxRate}; valid: r_min <= r_max");
    }

    /// <summary>Side of the open area in cells.</summary>
    public int Size { get; }

    /// <summary>Side of the observed square: the open area and its border.</summary>
    public int Side => Size + 2;

    /// <summary>Trees at the start.</summary>
    public int Trees { get; }

    /// <summary>Regrowth stops at this many trees (n_max).</summary>
    public int MaxTrees { get; }

    public double MinRate { get; }
    public double MaxRate { get; }

    /// <summary>Steps per episode; 0 for the continual world (one episode that never ends).</summary>
    public int EpisodeSteps { get; }

    public override bool IsContinual => EpisodeSteps == 0;

    public override int Timeout => IsContinual ? int.MaxValue : EpisodeSteps;

    /// <summary>The chance of one new tree in a step that ends with <paramref name="trees"/> trees: max(r_min, r_max log(1+n) / log(1+n_max)) below n_max, else 0.</summary>
    public double RegrowthChance(int trees) =>
        trees >= MaxTrees ? 0 : Math.Max(MinRate, MaxRate * Math.Log(1 + trees) / Math.Log(1 + MaxTrees));
}
