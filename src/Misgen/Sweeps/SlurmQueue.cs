using System.Diagnostics;

namespace Misgen.Sweeps;

/// <summary>
/// The jobs Slurm still knows (squeue), to tell a running array task from one that died without a
/// word (time limit, out of memory, node failure), and to avoid submitting a study twice.
/// </summary>
public sealed class SlurmQueue
{
    private readonly HashSet<string> entries;

    private SlurmQueue(HashSet<string> entries) => this.entries = entries;

    /// <summary>A queue with the given squeue -r ids (JOB_INDEX), for tests.</summary>
    internal static SlurmQueue Of(params string[] ids) => new(ids.ToHashSet());

    /// <summary>The current queue, or null when squeue is not available here.</summary>
    public static SlurmQueue? Read()
    {
        try
        {
            var psi = new ProcessStartInfo("squeue", "-h -r -o %i") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p == null) return null;
            var stdout = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(30_000)) { p.Kill(entireProcessTree: true); return null; }
            if (p.ExitCode != 0) return null;
            return new SlurmQueue(stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>True if the array task (JOB_INDEX) or any part of the job (JOB) is still queued or running.</summary>
    public bool Contains(string job)
    {
        if (entries.Contains(job)) return true;
        if (job.Contains('_')) return entries.Contains(job.Split('_')[0]);
        string prefix = job + "_";
        return entries.Any(e => e.StartsWith(prefix, StringComparison.Ordinal));
    }
}
