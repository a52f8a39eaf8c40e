namespace Misgen.Eval;

/// <summary>
/// The evaluation protocol of the study (docs/ORIGINS.md §4): <see cref="Levels"/> levels from
/// <see cref="StartLevel"/> (100000..100999), one episode per level, actions sampled from the policy.
/// <see cref="BatchSize"/> levels run side by side and share each forward pass; finished episodes
/// are stored every <see cref="StoreEvery"/> episodes (and at the end, or when interrupted).
/// </summary>
public sealed record EvalProtocol(int StartLevel = 100_000, int Levels = 1_000, int BatchSize = 256, int StoreEvery = 2_000)
{
    /// <summary>Levels (episodes) per agent and setting in one run (docs/LIMITS.md).</summary>
    public const int MaxLevels = 1_000_000;

    /// <summary>Levels played side by side.</summary>
    public const int MaxBatch = 4096;

    public void Validate()
    {
        if (StartLevel < 0) throw new MisgenInputException($"start level {StartLevel} is invalid; valid: 0..{int.MaxValue - 1}");
        if (Levels < 1 || Levels > MaxLevels || (long)StartLevel + Levels > int.MaxValue)
            throw new MisgenInputException($"level count {Levels} is invalid; valid: 1..{Math.Min(MaxLevels, (long)int.MaxValue - StartLevel)}");
        if (BatchSize < 1 || BatchSize > MaxBatch) throw new MisgenInputException($"batch size {BatchSize} is invalid; valid: 1..{MaxBatch}");
    }
}
