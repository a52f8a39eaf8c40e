namespace Misgen.Sweeps;

/// <summary>
/// Train task: `misgen train` of the condition's env and preset with the agent's seed into
/// agents/COND/sNNNN. Connected to Misgen.Rl when it is in this build.
/// </summary>
internal sealed class TrainTaskRunner : ITaskRunner
{
    public IReadOnlyList<string> Run(TaskContext context, CancellationToken cancel) =>
        throw new InvalidOperationException(
            "train tasks need Misgen.Rl (PPO training), which is not in this build yet; use `runner: synthetic` to exercise the sweep machinery");
}

/// <summary>
/// Eval task: evaluate agent COND/sNNNN on one setting over the condition's eval levels and write the
/// episodes file. Connected to Misgen.Eval when it is in this build.
/// </summary>
internal sealed class EvalTaskRunner : ITaskRunner
{
    public IReadOnlyList<string> Run(TaskContext context, CancellationToken cancel) =>
        throw new InvalidOperationException(
            "eval tasks need Misgen.Eval (the evaluator), which is not in this build yet; use `runner: synthetic` to exercise the sweep machinery");
}
