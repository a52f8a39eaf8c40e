using Misgen.Envs.Maze;
using System.Globalization;
using Misgen.Envs;
using Misgen.Nn;

namespace Misgen.Rl;

/// <summary>How <see cref="AgentTraining.Run"/> treats an existing agent directory, and hooks for callers.</summary>
public sealed class TrainOptions
{
    /// <summary>Require a checkpoint to continue from (an error if there is none).</summary>
    public bool Resume { get; init; }

    /// <summary>Replace an agent directory that holds a different recipe (or start over on the same one).</summary>
    public bool Force { get; init; }

    /// <summary>Write a checkpoint every this many updates (and always after the last one).</summary>
    public int CheckpointEvery { get; init; } = 10;

    /// <summary>Stop (after checkpointing) once this many updates are complete; for tests and time-boxed runs.</summary>
    public int? StopAfterUpdates { get; init; }

    /// <summary>Checked between updates; on cancellation the run checkpoints and throws OperationCanceledException.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Called after every update with its train.csv row.</summary>
    public Action<UpdateStats>? Progress { get; init; }

    /// <summary>Threads to train on (default WorkerPool.Shared); the weights do not depend on it.</summary>
    public WorkerPool? Pool { get; init; }

    /// <summary>One-line notices (resuming, already trained).</summary>
    public Action<string>? Log { get; init; }
}

/// <param name="AlreadyTrained">The directory held a finished agent of this recipe; nothing was trained.</param>
public sealed record TrainResult(string AgentDir, bool Finished, int CompletedUpdates, long Timesteps, double WallSeconds, bool AlreadyTrained = false);

/// <summary>
/// Trains one agent into its directory (DESIGN.md "Files"): agent.yaml, model.safetensors,
/// checkpoints/update-NNNNNN.ckpt, train.csv. Rerunning the same recipe continues from the last
/// checkpoint; a different recipe in the directory is refused unless forced.
/// </summary>
public static class AgentTraining
{
    public const string ModelFile = "model.safetensors";
    public const string CsvFile = "train.csv";
    public const string CheckpointDir = "checkpoints";
    private const int CheckpointsKept = 2;

    public static string Version => typeof(AgentTraining).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The default agent directory name: <c>agents/&lt;spec, sanitised&gt;-s&lt;seed&gt;</c>.</summary>
    public static string DefaultDir(string spec, ulong seed)
    {
        var chars = spec.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        return Path.Combine("agents", $"{new string(chars).Trim('_')}-s{seed}");
    }

    public static TrainResult Run(string agentDir, AgentManifest manifest, TrainOptions options)
    {
        manifest.Config.Validate();
        var spec = EnvSpec.Parse(manifest.Spec);
        manifest.Spec = spec.ToString();
        manifest.MisgenVersion = Version;
        Directory.CreateDirectory(agentDir);
        string checkpoints = Path.Combine(agentDir, CheckpointDir);

        bool startOver = options.Force;
        string yamlPath = Path.Combine(agentDir, AgentManifest.FileName);
        if (File.Exists(yamlPath))
        {
            var existing = AgentManifest.Read(agentDir);
            var diff = existing.RecipeDifferences(manifest);
            if (diff.Count > 0 && !options.Force)
                throw new MisgenInputException(
                    $"'{agentDir}' holds an agent with a different recipe (differs in: {string.Join(", ", diff)}); " +
                    "choose another --out, or pass --force to replace it");
        }
        else if (options.Resume)
        {
            throw new MisgenInputException($"nothing to resume: no {AgentManifest.FileName} in '{agentDir}'");
        }

        if (startOver)
        {
            foreach (var f in new[] { ModelFile, CsvFile, AgentManifest.FileName }) File.Delete(Path.Combine(agentDir, f));
            foreach (var f in CheckpointFiles(checkpoints)) File.Delete(f);
        }
        manifest.Write(agentDir);

        using var trainer = new PpoTrainer(spec, manifest.Config, manifest.Seed, options.Pool);
        var rows = new List<string>();
        if (!startOver && LoadLatestCheckpoint(trainer, checkpoints) is { } from)
        {
            rows.AddRange(ReadCsvRows(Path.Combine(agentDir, CsvFile), trainer.CompletedUpdates));
            options.Log?.Invoke($"resuming from {Path.GetFileName(from)} (update {trainer.CompletedUpdates} of {trainer.NumUpdates}, {trainer.Timesteps:N0} steps)");
        }
        else if (options.Resume)
        {
            throw new MisgenInputException($"nothing to resume: no usable checkpoint in '{checkpoints}'");
        }

        if (trainer.Finished && File.Exists(Path.Combine(agentDir, ModelFile)))
        {
            options.Log?.Invoke($"already trained: {trainer.NumUpdates} updates, {trainer.Timesteps:N0} steps");
            return new TrainResult(agentDir, true, trainer.CompletedUpdates, trainer.Timesteps, 0, AlreadyTrained: true);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!trainer.Finished)
        {
            var stats = trainer.Update();
            rows.Add(stats.ToCsv());
            AtomicFile.WriteAllText(Path.Combine(agentDir, CsvFile), UpdateStats.CsvHeader + "\n" + string.Join("\n", rows) + "\n");
            options.Progress?.Invoke(stats);
            bool stop = options.StopAfterUpdates is { } k && trainer.CompletedUpdates >= k;
            bool cancelled = options.Cancellation.IsCancellationRequested;
            if (trainer.Finished || stop || cancelled || trainer.CompletedUpdates % Math.Max(1, options.CheckpointEvery) == 0)
                SaveCheckpoint(trainer, checkpoints);
            options.Cancellation.ThrowIfCancellationRequested();
            if (stop && !trainer.Finished)
                return new TrainResult(agentDir, false, trainer.CompletedUpdates, trainer.Timesteps, clock.Elapsed.TotalSeconds);
        }

        Safetensors.Save(Path.Combine(agentDir, ModelFile), trainer.Model, new Dictionary<string, string>
        {
            ["spec"] = manifest.Spec,
            ["seed"] = manifest.Seed.ToString(CultureInfo.InvariantCulture),
            ["preset"] = manifest.Preset,
            ["timesteps"] = trainer.Timesteps.ToString(CultureInfo.InvariantCulture),
            ["misgen_version"] = manifest.MisgenVersion,
        });
        return new TrainResult(agentDir, true, trainer.CompletedUpdates, trainer.Timesteps, clock.Elapsed.TotalSeconds);
    }

    private static IEnumerable<string> CheckpointFiles(string dir) =>
        Directory.Exists(dir)
            ? Directory.GetFiles(dir, "update-*.ckpt").OrderBy(f => f, StringComparer.Ordinal)
            : [];

    private static void SaveCheckpoint(PpoTrainer trainer, string dir)
    {
        string path = Path.Combine(dir, $"update-{trainer.CompletedUpdates:D6}.ckpt");
        AtomicFile.Write(path, trainer.SaveCheckpoint);
        // Older checkpoints go only after the new one is safely on disk.
        var files = CheckpointFiles(dir).ToList();
        foreach (var old in files.Take(Math.Max(0, files.Count - CheckpointsKept))) File.Delete(old);
    }

    // Newest checkpoint that loads completely; a damaged one falls back to the one before.
    private static string? LoadLatestCheckpoint(PpoTrainer trainer, string dir)
    {
        foreach (var file in CheckpointFiles(dir).Reverse())
        {
            try
            {
                using var stream = File.OpenRead(file);
                trainer.LoadCheckpoint(stream);
                return file;
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
            {
                // try the previous one; the trainer's state is fully overwritten by a successful load
            }
        }
        return null;
    }

    private static IEnumerable<string> ReadCsvRows(string path, int upToUpdate)
    {
        if (!File.Exists(path)) yield break;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            int comma = line.IndexOf(',');
            if (comma > 0 && int.TryParse(line.AsSpan(0, comma), CultureInfo.InvariantCulture, out int u) && u <= upToUpdate)
                yield return line;
        }
    }
}
