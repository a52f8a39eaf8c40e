namespace Misgen.Sweeps;

/// <summary>The state of every task of a plan, read from the marker files (works for any executor).</summary>
public sealed class SweepStatus
{
    public required IReadOnlyList<TaskStatus> Tasks { get; init; }

    public int Count(TaskState state) => Tasks.Count(t => t.State == state);
    public int Count(TaskState state, TaskKind kind) => Tasks.Count(t => t.State == state && t.Task.Kind == kind);
    public bool Complete => Tasks.All(t => t.State == TaskState.Done);

    /// <summary>Reads every task's markers. <paramref name="verifyChecksums"/> re-hashes every output (slower, catches corruption).</summary>
    public static SweepStatus Read(SweepPlan plan, StudyLayout layout, bool verifyChecksums)
    {
        var markers = new TaskMarkers(layout);
        // Ask Slurm only when some task was started by it (a dead array task leaves its .running marker behind).
        bool slurm = plan.Tasks.Any(t => markers.ReadRunning(t)?.SlurmJob != null);
        var queue = slurm ? SlurmQueue.Read() : null;
        var tasks = plan.Tasks.Select(t => markers.Status(t, verifyChecksums, queue)).ToList();
        var failed = tasks.Where(t => t.State == TaskState.Failed).Select(t => t.Task.Id).ToHashSet();
        // Pending because a task it needs failed: say so, it will not run until that one succeeds.
        for (int i = 0; i < tasks.Count; i++)
            if (tasks[i].State == TaskState.Pending && tasks[i].Task.DependsOn.FirstOrDefault(failed.Contains) is { } dep)
                tasks[i] = tasks[i] with { Note = $"blocked: {dep} failed" };
        return new SweepStatus { Tasks = tasks };
    }
}
