namespace Misgen.Sweeps;

/// <summary>
/// Where everything of a study lives under its output folder. Every file has exactly one writer:
/// a task writes only its own outputs and markers, so concurrent tasks never touch the same file.
/// </summary>
//   plan.json                                   the expanded plan (written by plan/run)
//   agents/COND/s0003/                          a train task's agent directory
//   results/COND/s0003/SETTING.episodes.csv     an eval task's episodes
//   tasks/ID.done | .running | .failed          per-task markers (JSON)
//   logs/ID.log (local), logs/JOB_INDEX.out (Slurm)
//   slurm/*.sbatch                              generated array scripts
//   results.db                                  written by collect
public sealed class StudyLayout(string outDir)
{
    public string Out { get; } = Path.GetFullPath(outDir);
    public string PlanPath => Path.Combine(Out, "plan.json");
    public string ResultsDb => Path.Combine(Out, "results.db");
    public string LogsDir => Path.Combine(Out, "logs");
    public string SlurmDir => Path.Combine(Out, "slurm");
    public string TasksDir => Path.Combine(Out, "tasks");

    public string Marker(string taskId, string kind) => Path.Combine(TasksDir, taskId + "." + kind);
    public string DoneMarker(string taskId) => Marker(taskId, "done");
    public string RunningMarker(string taskId) => Marker(taskId, "running");
    public string FailedMarker(string taskId) => Marker(taskId, "failed");
    public string LocalLog(string taskId) => Path.Combine(LogsDir, taskId + ".log");

    public string AgentDir(string condition, int seed) => Path.Combine(Out, "agents", condition, SweepTask.SeedName(seed));
    public string EpisodesFile(string condition, int seed, string setting) =>
        Path.Combine(Out, "results", condition, SweepTask.SeedName(seed), setting + ".episodes.csv");

    /// <summary>Path relative to the output folder, with '/' (how markers record outputs).</summary>
    public string Relative(string path) => Path.GetRelativePath(Out, path).Replace('\\', '/');
    public string Absolute(string relative) => Path.Combine(Out, relative);
}
