using System.Collections.Concurrent;
using System.Diagnostics;

namespace Misgen.Sweeps;

/// <summary>
/// Runs a planned study on this machine with a pool of worker processes. Each task is a child process
/// (`misgen sweep task --id ID --threads 1`), so a killed or crashing worker never corrupts the
/// executor or another task; its output goes to logs/ID.log. Dependencies are respected (an agent's
/// evaluations start once its training is done), a failed task is retried up to the study's `retries`,
/// then reported with its log while the rest of the study goes on. Rerunning resumes: done tasks are
/// verified by checksum and skipped.
/// </summary>
public sealed class LocalExecutor(Study study, SweepPlan plan, StudyLayout layout, int workers, Action<SweepEvent>? progress = null)
{
    private readonly TaskMarkers markers = new(layout);

    /// <summary>Poll interval while waiting for tasks that another process is running.</summary>
    public TimeSpan ForeignPoll { get; init; } = TimeSpan.FromMilliseconds(250);

    public SweepSummary Run(CancellationToken cancel = default)
    {
        if (workers < 1) throw new MisgenInputException($"--workers must be at least 1 (got {workers})");
        Directory.CreateDirectory(layout.Out);
        using var runLock = AcquireLock();
        var clock = Stopwatch.StartNew();

        var done = new HashSet<string>();
        foreach (var t in plan.Tasks)
            if (markers.IsDone(t, verifyChecksums: true)) done.Add(t.Id);
        int doneAtStart = done.Count;
        var waiting = plan.Tasks.Where(t => !done.Contains(t.Id)).ToList();
        var attempts = new Dictionary<string, int>();
        var failed = new List<FailedMarker>();
        var failedIds = new HashSet<string>();
        var blocked = new List<string>();
        var running = new Dictionary<int, (SweepTask Task, Process Process, DateTime Start)>();
        var exits = new BlockingCollection<int>();
        double finishedSeconds = 0;
        int finishedCount = 0;

        void Report(SweepEventKind kind, SweepTask task, string? message)
        {
            int remaining = plan.Tasks.Count - done.Count - failed.Count - blocked.Count;
            TimeSpan? eta = finishedCount > 0 ? TimeSpan.FromSeconds(finishedSeconds / finishedCount * remaining / workers) : null;
            progress?.Invoke(new SweepEvent(kind, task, done.Count, plan.Tasks.Count, running.Count, failed.Count, message, clock.Elapsed, eta));
        }

        try
        {
            while (waiting.Count > 0 || running.Count > 0)
            {
                cancel.ThrowIfCancellationRequested();
                // Tasks whose dependency failed for good can never run: report them once, drop them.
                foreach (var t in waiting.Where(t => t.DependsOn.Any(failedIds.Contains)).ToList())
                {
                    waiting.Remove(t);
                    blocked.Add(t.Id);
                    failedIds.Add(t.Id);
                    Report(SweepEventKind.Blocked, t, $"not run: {string.Join(", ", t.DependsOn.Where(failedIds.Contains))} failed");
                }
                bool foreignRunning = false;
                while (running.Count < workers)
                {
                    var next = NextReady(waiting, done, running.Values.Select(r => r.Task.Id).ToHashSet(), ref foreignRunning);
                    if (next == null) break;
                    waiting.Remove(next);
                    int attempt = attempts.GetValueOrDefault(next.Id) + 1;
                    attempts[next.Id] = attempt;
                    var process = Start(next, attempt, exits);
                    running[process.Id] = (next, process, DateTime.UtcNow);
                    Report(SweepEventKind.Started, next, attempt > 1 ? $"attempt {attempt}" : null);
                }
                if (running.Count == 0)
                {
                    if (waiting.Count == 0) break;
                    if (!foreignRunning)
                        throw new InvalidOperationException($"no runnable task among {waiting.Count} waiting (dependency cycle?)");
                    // Another process (an earlier, killed executor's orphan) holds a task: wait for it.
                    Thread.Sleep(ForeignPoll);
                    continue;
                }
                int pid;
                if (!exits.TryTake(out pid, foreignRunning ? (int)ForeignPoll.TotalMilliseconds : Timeout.Infinite, cancel)) continue;
                var (task, proc, start) = running[pid];
                running.Remove(pid);
                proc.WaitForExit();
                int code = proc.ExitCode;
                proc.Dispose();
                string? notDone = markers.NotDoneReason(task, verifyChecksums: true);
                if (code == 0 && notDone == null)
                {
                    done.Add(task.Id);
                    finishedSeconds += (DateTime.UtcNow - start).TotalSeconds;
                    finishedCount++;
                    Report(SweepEventKind.Done, task, null);
                    continue;
                }
                string reason = code == 0 ? $"exited 0 but {notDone}" : DescribeExit(code, markers.ReadFailed(task));
                if (attempts[task.Id] <= study.Retries)
                {
                    waiting.Insert(0, task);
                    Report(SweepEventKind.Retrying, task, reason);
                    continue;
                }
                string log = layout.LocalLog(task.Id);
                markers.WriteFailed(task, code == 0 ? 1 : code, log, attempts[task.Id], reason);
                markers.ClearRunning(task, pid);
                var marker = markers.ReadFailed(task)!;
                failed.Add(marker);
                failedIds.Add(task.Id);
                Report(SweepEventKind.Failed, task, $"{reason}; log: {log}");
            }
        }
        finally
        {
            // Interrupted (Ctrl-C, error): stop our children; their tasks stay pending and resume on rerun.
            foreach (var (pid, (task, proc, _)) in running)
            {
                try { proc.Kill(entireProcessTree: true); proc.WaitForExit(); } catch (InvalidOperationException) { }
                markers.ClearRunning(task, pid);
                proc.Dispose();
            }
        }
        _ = doneAtStart;
        return new SweepSummary(plan.Tasks.Count, done.Count, failed, blocked);
    }

    /// <summary>
    /// The next task to start: evaluations of finished agents first (results arrive early), then
    /// training, each in plan order. A task that another live process is running (a .running marker of
    /// a live pid on this host) is left alone.
    /// </summary>
    private SweepTask? NextReady(List<SweepTask> waiting, HashSet<string> done, HashSet<string> ours, ref bool foreignRunning)
    {
        SweepTask? firstTrain = null;
        foreach (var t in waiting)
        {
            if (!t.DependsOn.All(done.Contains) || ours.Contains(t.Id)) continue;
            if (ForeignRunning(t)) { foreignRunning = true; continue; }
            if (t.Kind == TaskKind.Eval) return t;
            firstTrain ??= t;
        }
        return firstTrain;
    }

    private bool ForeignRunning(SweepTask task)
    {
        var status = markers.Status(task, verifyChecksums: false);
        if (status.State == TaskState.Done) return false;
        return status.State == TaskState.Running && status.Running!.Host == TaskMarkers.Host && status.Running.Pid != Environment.ProcessId;
    }

    private Process Start(SweepTask task, int attempt, BlockingCollection<int> exits)
    {
        string log = layout.LocalLog(task.Id);
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        File.AppendAllText(log, $"=== {task.Id} attempt {attempt} at {DateTime.UtcNow:u} ===\n");
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // sh appends the child's stdout+stderr to the task's log and execs into it (same pid), so the
        // executor never pumps output and killing the pid kills the task itself.
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("log=\"$1\"; shift; exec \"$@\" >>\"$log\" 2>&1");
        psi.ArgumentList.Add("misgen-task");
        psi.ArgumentList.Add(log);
        foreach (string a in TaskCommand(plan, study, layout, task.Id)) psi.ArgumentList.Add(a);
        psi.Environment[TaskHost.LogVariable] = log;
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.Exited += (_, _) => exits.Add(process.Id);
        process.Start();
        return process;
    }

    /// <summary>The command line of one task: the plan's `misgen` + `sweep task --study S --out O --id ID --threads 1`.</summary>
    public static IReadOnlyList<string> TaskCommand(SweepPlan plan, Study study, StudyLayout layout, string id) =>
        [.. plan.Command, "sweep", "task", "--study", study.Path, "--out", layout.Out, "--id", id, "--threads", "1"];

    private static string DescribeExit(int code, FailedMarker? marker)
    {
        // The task's own .failed marker (written when it caught the error) says why; a killed task wrote none.
        if (marker != null && code is 1) return marker.Message;
        return code > 128 ? $"killed by signal {code - 128}" : code < 0 ? $"killed by signal {-code}" : $"exit code {code}";
    }

    private FileStream AcquireLock()
    {
        string path = Path.Combine(layout.Out, ".run.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new MisgenInputException($"another `misgen sweep run` is running on {layout.Out} (it holds {path})");
        }
    }
}
