using System.Diagnostics;

namespace Misgen.Sweeps;

/// <summary>
/// Runs tasks of a planned study in this process: what `misgen sweep task` does inside a local worker
/// or a Slurm array task. A task already done (valid .done marker) is skipped, so a task that runs
/// twice (Slurm requeue, a second executor) changes nothing. Order of writes: .running, outputs
/// (atomic), .done (atomic, last), then .running/.failed removed; a kill at any point leaves either
/// a valid .done or a task that will be redone.
/// </summary>
public sealed class TaskHost
{
    private readonly Study study;
    private readonly SweepPlan plan;
    private readonly TaskMarkers markers;
    private readonly TextWriter log;

    public TaskHost(Study study, StudyLayout layout, TextWriter log)
    {
        this.study = study;
        this.log = log;
        markers = new TaskMarkers(layout);
        plan = SweepPlan.Load(layout);
        string sha = SweepPlan.Sha256Hex(File.ReadAllBytes(study.Path));
        if (plan.StudySha256 != sha)
            throw new MisgenInputException(
                $"{study.Path} changed after {layout.PlanPath} was written; run `misgen sweep plan {study.Path}` (or `run`) again");
    }

    public SweepPlan Plan => plan;

    /// <summary>The tasks of array <paramref name="phase"/> at Slurm array index <paramref name="arrayIndex"/>.</summary>
    public IReadOnlyList<SweepTask> ArrayTasks(string phase, int arrayIndex) =>
        plan.Array(phase).Indices(arrayIndex).Select(i => plan.Tasks[i]).ToList();

    public SweepTask TaskAt(int planIndex) =>
        planIndex >= 0 && planIndex < plan.Tasks.Count ? plan.Tasks[planIndex]
            : throw new MisgenInputException($"task index {planIndex} is outside the plan (0..{plan.Tasks.Count - 1})");

    public SweepTask Task(string id) => plan[id];

    /// <summary>Runs the tasks in order; true when all are done. A failing task does not stop the rest.</summary>
    public bool Run(IReadOnlyList<SweepTask> tasks, int threads, CancellationToken cancel)
    {
        bool ok = true;
        foreach (var t in tasks) ok &= RunOne(t, threads, cancel);
        return ok;
    }

    public bool RunOne(SweepTask task, int threads, CancellationToken cancel)
    {
        string? notDone = markers.NotDoneReason(task, verifyChecksums: true);
        if (notDone == null)
        {
            log.WriteLine($"{task.Id}: already done");
            return true;
        }
        // A .done marker whose outputs no longer verify: the earlier run's leftovers are not trusted.
        bool redo = markers.ReadDone(task) is { } previous && previous.Fingerprint == task.Fingerprint;
        if (notDone != "not run") log.WriteLine($"{task.Id}: redoing ({notDone})");
        string logPath = CurrentLogPath(markers.Layout, task);
        foreach (string dep in task.DependsOn)
        {
            var d = plan[dep];
            string? why = markers.NotDoneReason(d, verifyChecksums: false);
            if (why != null)
            {
                string message = $"depends on {dep}, which is not done ({why})";
                log.WriteLine($"{task.Id}: {message}");
                markers.WriteFailed(task, 1, logPath, 1, message);
                return false;
            }
        }
        markers.ClearDone(task);
        markers.WriteRunning(task, SlurmJobName());
        var clock = Stopwatch.StartNew();
        try
        {
            var condition = study.Conditions.First(c => c.Name == task.Condition);
            var runner = TaskRunners.For(study, task.Kind);
            log.WriteLine($"{task.Id}: started on {TaskMarkers.Host} (pid {Environment.ProcessId}, {threads} thread(s))");
            var outputs = runner.Run(new TaskContext(study, condition, task, markers.Layout, threads, log, redo), cancel);
            markers.WriteDone(task, outputs, clock.Elapsed.TotalSeconds);
            markers.ClearFailed(task);
            log.WriteLine($"{task.Id}: done in {clock.Elapsed.TotalSeconds:F1} s");
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.WriteLine($"{task.Id}: failed: {e.Message}");
            int attempts = (markers.ReadFailed(task)?.Attempts ?? 0) + 1;
            markers.WriteFailed(task, 1, logPath, attempts, e.Message);
            return false;
        }
        finally
        {
            markers.ClearRunning(task);
        }
    }

    /// <summary>Environment variable an executor sets to tell the task where its output goes.</summary>
    public const string LogVariable = "MISGEN_TASK_LOG";

    private static string CurrentLogPath(StudyLayout layout, SweepTask task)
    {
        string? fromExecutor = Environment.GetEnvironmentVariable(LogVariable);
        if (!string.IsNullOrEmpty(fromExecutor)) return fromExecutor;
        string? job = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID");
        string? index = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID");
        return job != null && index != null ? Path.Combine(layout.LogsDir, $"{job}_{index}.out") : "(stdout)";
    }

    private static string? SlurmJobName()
    {
        string? job = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID");
        string? index = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID");
        return job != null ? (index != null ? $"{job}_{index}" : job) : Environment.GetEnvironmentVariable("SLURM_JOB_ID");
    }
}
