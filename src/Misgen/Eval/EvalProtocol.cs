namespace Misgen.Eval;

/// <summary>
/// The evaluation protocol of the study (docs/ORIGINS.md §4): <see cref="Levels"/> levels from
/// <see cref="StartLevel"/> (100000..100999), one episode per level, actions sampled from the policy.
/// <see cref="BatchSize"/> levels run side by side and share each forward pass; finished episodes
/// are stored every <see cref="StoreEvery"/> episodes (and at the end, or when interrupted).
/// </summary>
public sealed record EvalProtocol(int StartLevel = 100_000, int Levels = 1_000, int BatchSize = 256, int StoreEvery = 2_000)
{
    public void Validate()
    {
        if (StartLevel < 0) throw new MisgenInputException($"start level {StartLevel} is invalid; valid: 0..{int.MaxValue - 1}");
        if (Levels < 1 || (long)StartLevel + Levels > int.MaxValue)
            throw new MisgenInputException($"level count {Levels} is invalid; valid: 1..{(long)int.MaxValue - StartLevel}");
        if (BatchSize < 1 || BatchSize > 4096) throw new MisgenInputException($"batch size {BatchSize} is invalid; valid: 1..4096");
    }
}
