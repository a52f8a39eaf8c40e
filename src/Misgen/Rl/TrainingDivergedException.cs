namespace Misgen.Rl;

/// <summary>
/// A PPO update produced a non-finite loss or non-finite weights. The update is abandoned part-way, so the
/// trainer's state is not saved; the run stops (exit code 1) and its last good checkpoint stays as it was.
/// </summary>
public sealed class TrainingDivergedException(int update, string what, string? advice = null)
    : Exception($"training diverged in update {update}: {what}{(advice == null ? "" : "; " + advice)}")
{
    /// <summary>The update (1-based) that diverged.</summary>
    public int Update { get; } = update;

    /// <summary>What was found non-finite, e.g. "the loss is NaN (epoch 2, minibatch 3)".</summary>
    public string What { get; } = what;

    /// <summary>The same finding with what the caller knows about the run (which checkpoint is kept).</summary>
    public TrainingDivergedException WithAdvice(string advice) => new(Update, What, advice);
}
