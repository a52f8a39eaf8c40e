using System.Security.Cryptography;
using System.Text.Json;

namespace Misgen.Sweeps;

public sealed record OutputChecksum(string Path, long Bytes, string Sha256);

/// <summary>tasks/ID.done: written last, after every output is in place; lists each output's SHA-256.</summary>
public sealed record DoneMarker(string Id, string Fingerprint, IReadOnlyList<OutputChecksum> Outputs, string Host, double Seconds, DateTime Finished);

/// <summary>tasks/ID.running: who is running the task (pid on host), since when, under which Slurm job.</summary>
public sealed record RunningMarker(string Id, int Pid, string Host, DateTime Started, string? SlurmJob);

/// <summary>tasks/ID.failed: the last failure, its exit code and where its log is.</summary>
public sealed record FailedMarker(string Id, int ExitCode, string Log, int Attempts, string Message, DateTime When);

public enum TaskState { Pending, Running, Done, Failed }

/// <summary>A task's state as read from its markers, with the reason when it is not simply done or pending.</summary>
public sealed record TaskStatus(SweepTask Task, TaskState State, string? Note, RunningMarker? Running, FailedMarker? Failed);

/// <summary>
/// Reads and writes the per-task marker files. A task counts as done only when its .done marker matches
/// the task's current fingerprint and every listed output still has the recorded size (and, when
/// verifying, the recorded SHA-256): a truncated or corrupted output makes the task pending again.
/// </summary>
public sealed class TaskMarkers(StudyLayout layout)
{
    public StudyLayout Layout { get; } = layout;

    public static string Host => Environment.MachineName;

    public DoneMarker WriteDone(SweepTask task, IEnumerable<string> outputs, double seconds)
    {
        var sums = outputs.Select(p => Checksum(p)).ToList();
        var marker = new DoneMarker(task.Id, task.Fingerprint, sums, Host, Math.Round(seconds, 3), DateTime.UtcNow);
        Write(Layout.DoneMarker(task.Id), marker);
        return marker;
    }

    public void WriteRunning(SweepTask task, string? slurmJob) =>
        Write(Layout.RunningMarker(task.Id), new RunningMarker(task.Id, Environment.ProcessId, Host, DateTime.UtcNow, slurmJob));

    public void WriteFailed(SweepTask task, int exitCode, string log, int attempts, string message) =>
        Write(Layout.FailedMarker(task.Id), new FailedMarker(task.Id, exitCode, log, attempts, message, DateTime.UtcNow));

    /// <summary>Removes the .running marker if it is <paramref name="pid"/>'s (default: this process's), never another run's.</summary>
    public void ClearRunning(SweepTask task, int? pid = null)
    {
        var marker = ReadRunning(task);
        if (marker == null || (marker.Pid == (pid ?? Environment.ProcessId) && marker.Host == Host)) Delete(Layout.RunningMarker(task.Id));
    }
    public void ClearFailed(SweepTask task) => Delete(Layout.FailedMarker(task.Id));
    public void ClearDone(SweepTask task) => Delete(Layout.DoneMarker(task.Id));

    public DoneMarker? ReadDone(SweepTask task) => Read<DoneMarker>(Layout.DoneMarker(task.Id));
    public RunningMarker? ReadRunning(SweepTask task) => Read<RunningMarker>(Layout.RunningMarker(task.Id));
    public FailedMarker? ReadFailed(SweepTask task) => Read<FailedMarker>(Layout.FailedMarker(task.Id));

    /// <summary>Null when the task is validly done; otherwise why not (missing marker, changed task, bad output).</summary>
    public string? NotDoneReason(SweepTask task, bool verifyChecksums)
    {
        var done = ReadDone(task);
        if (done == null) return File.Exists(Layout.DoneMarker(task.Id)) ? "unreadable .done marker" : "not run";
        if (done.Fingerprint != task.Fingerprint) return "the study changed this task since it ran";
        foreach (var o in done.Outputs)
        {
            string path = Layout.Absolute(o.Path);
            var info = new FileInfo(path);
            if (!info.Exists) return $"output {o.Path} is missing";
            if (info.Length != o.Bytes) return $"output {o.Path} has {info.Length} bytes, expected {o.Bytes} (truncated or changed)";
            if (verifyChecksums && Sha256(path) != o.Sha256) return $"output {o.Path} does not match its checksum (corrupt)";
        }
        return null;
    }

    public bool IsDone(SweepTask task, bool verifyChecksums) => NotDoneReason(task, verifyChecksums) == null;

    /// <summary>
    /// State for `status`: done (valid marker), running (a .running marker whose process is alive, or
    /// on another host where we cannot tell), failed (.failed marker), else pending.
    /// A .running marker of a dead process on this host, or of a Slurm job no longer in
    /// <paramref name="queue"/> (time limit, out of memory), is an interrupted run: pending.
    /// </summary>
    public TaskStatus Status(SweepTask task, bool verifyChecksums, SlurmQueue? queue = null)
    {
        string? why = NotDoneReason(task, verifyChecksums);
        if (why == null) return new TaskStatus(task, TaskState.Done, null, null, null);
        var running = ReadRunning(task);
        if (running != null)
        {
            bool alive = running.SlurmJob != null && queue != null ? queue.Contains(running.SlurmJob)
                : running.Host != Host || ProcessAlive(running.Pid);
            if (alive)
                return new TaskStatus(task, TaskState.Running, running.SlurmJob != null ? $"Slurm job {running.SlurmJob} on {running.Host}" : $"pid {running.Pid} on {running.Host}", running, null);
        }
        var failed = ReadFailed(task);
        if (failed != null) return new TaskStatus(task, TaskState.Failed, $"exit code {failed.ExitCode}: {failed.Message}", null, failed);
        string? note = why == "not run" ? (running != null ? (running.SlurmJob != null ? $"interrupted (Slurm job {running.SlurmJob} is gone)" : "interrupted (its process is gone)") : null) : why;
        return new TaskStatus(task, TaskState.Pending, note, null, null);
    }

    public OutputChecksum Checksum(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InvalidOperationException($"task output {path} does not exist");
        return new OutputChecksum(Layout.Relative(path), info.Length, Sha256(path));
    }

    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static bool ProcessAlive(int pid)
    {
        // /proc is the cheap, exception-free check on Linux; elsewhere fall back to the Process API.
        if (Directory.Exists("/proc/self")) return Directory.Exists($"/proc/{pid}") && !IsZombie(pid);
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (IOException) { return false; }
    }

    private static void Write<T>(string path, T value) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, SweepPlan.Json));

    private static T? Read<T>(string path) where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), SweepPlan.Json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    private static void Delete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
