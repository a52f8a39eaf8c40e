namespace Misgen.Sweeps;

/// <summary>
/// Everything a runner needs to do one task. Output paths come from <see cref="Layout"/>.
/// <see cref="Redo"/>: the task had finished once but an output is now damaged, so the runner must not
/// trust anything it left behind (a runner that resumes from checkpoints starts over instead).
/// </summary>
public sealed record TaskContext(Study Study, StudyCondition Condition, SweepTask Task, StudyLayout Layout, int Threads, TextWriter Log, bool Redo = false)
{
    public string AgentDir => Layout.AgentDir(Task.Condition, Task.Seed);
    public StudySetting Setting => Condition.Settings.First(s => s.Name == Task.Setting);
    public string EpisodesFile => Layout.EpisodesFile(Task.Condition, Task.Seed, Task.Setting!);
}

/// <summary>
/// Does one kind of task. A runner writes each output atomically (temp + rename), only to paths owned
/// by its task, and returns the files whose checksums go into the task's .done marker. Running it
/// again after a crash must give the same outputs (resume or redo, never append).
/// </summary>
public interface ITaskRunner
{
    IReadOnlyList<string> Run(TaskContext context, CancellationToken cancel);
}

/// <summary>Picks the runner for a study's `runner:` and a task kind.</summary>
public static class TaskRunners
{
    public static ITaskRunner For(Study study, TaskKind kind) => study.Runner switch
    {
        "synthetic" => new SyntheticRunner(),
        "misgen" => kind == TaskKind.Train ? new TrainTaskRunner() : new EvalTaskRunner(),
        _ => throw MisgenInputException.Unknown("runner", study.Runner, Study.Runners),
    };
}
