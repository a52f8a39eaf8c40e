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

    /// <summary>
    /// Checked before every rollout step and minibatch. On cancellation the run saves the last finished update
    /// (a consistent point; never a half-done one) and throws OperationCanceledException.
    /// </summary>
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
        // Everything is checked before anything is written: a refused run leaves the directory as it was.
        manifest.Config.Validate();
        var spec = EnvSpec.Parse(manifest.Spec);
        manifest.Spec = spec.ToString();
        manifest.MisgenVersion = Version;
        string checkpoints = Path.Combine(agentDir, CheckpointDir);
        string modelPath = Path.Combine(agentDir, ModelFile);
        if (FileKinds.Of(agentDir) is not (FileKind.Missing or FileKind.Directory)) OutputFolder.Create(agentDir); // throws, naming it

        bool startOver = options.Force;
        string yamlPath = Path.Combine(agentDir, AgentManifest.FileName);
        if (File.Exists(yamlPath))
        {
            // With --force whatever is there is replaced, readable or not.
            IReadOnlyList<string> diff = options.Force ? [] : AgentManifest.Read(agentDir).RecipeDifferences(manifest);
            if (diff.Count > 0)
                throw new MisgenInputException(
                    $"'{agentDir}' holds an agent with a different recipe (differs in: {string.Join(", ", diff)}); " +
                    "choose another --out, or pass --force to replace it");
        }
        else if (options.Resume)
        {
            throw new MisgenInputException($"nothing to resume: no {AgentManifest.FileName} in '{agentDir}'");
        }

        // The trainer checks what the config alone cannot (levels, envs, network) before the first write.
        using var trainer = new PpoTrainer(spec, manifest.Config, manifest.Seed, options.Pool);
        if (!startOver && IsFinishedModel(modelPath, manifest, trainer, options.Log))
        {
            long steps = (long)trainer.NumUpdates * trainer.Config.BatchSize;
            options.Log?.Invoke($"already trained: {trainer.NumUpdates} updates, {steps:N0} steps");
            return new TrainResult(agentDir, true, trainer.NumUpdates, steps, 0, AlreadyTrained: true);
        }
        string? from = startOver ? null : LoadLatestCheckpoint(trainer, checkpoints, options.Log);
        if (from == null && options.Resume)
            throw new MisgenInputException($"nothing to resume: no usable checkpoint in '{checkpoints}'");

        OutputFolder.Create(agentDir);
        if (startOver)
        {
            foreach (var f in new[] { ModelFile, CsvFile, AgentManifest.FileName }) File.Delete(Path.Combine(agentDir, f));
            foreach (var f in CheckpointFiles(checkpoints)) File.Delete(f);
        }
        manifest.Write(agentDir);

        var rows = new List<string>();
        if (from != null)
        {
            rows.AddRange(ReadCsvRows(Path.Combine(agentDir, CsvFile), trainer.CompletedUpdates));
            options.Log?.Invoke($"resuming from {Path.GetFileName(from)} (update {trainer.CompletedUpdates} of {trainer.NumUpdates}, {trainer.Timesteps:N0} steps)");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The state after the last finished update, kept in memory when it is not checkpointed to disk, so that
        // a cancellation part-way through the next update can still save a consistent point.
        var snapshot = new MemoryStream();
        int snapshotUpdate = -1, savedUpdate = trainer.CompletedUpdates;
        while (!trainer.Finished)
        {
            UpdateStats stats;
            try
            {
                stats = trainer.Update(options.Cancellation);
            }
            catch (OperationCanceledException)
            {
                if (snapshotUpdate > savedUpdate)
                    StoreCheckpoint(checkpoints, snapshotUpdate, s => s.Write(snapshot.GetBuffer(), 0, (int)snapshot.Length));
                throw;
            }
            catch (TrainingDivergedException e)
            {
                string kept = CheckpointFiles(checkpoints).LastOrDefault() is { } last
                    ? $"nothing of it was saved and the last good checkpoint, {Path.Combine(CheckpointDir, Path.GetFileName(last))}, is kept"
                    : "nothing of it was saved";
                throw e.WithAdvice($"{kept}; a rerun would diverge the same way: change the recipe (e.g. a smaller learning_rate) and pass --force");
            }
            rows.Add(stats.ToCsv());
            AtomicFile.WriteAllText(Path.Combine(agentDir, CsvFile), UpdateStats.HeaderFor(spec) + "\n" + string.Join("\n", rows) + "\n");
            options.Progress?.Invoke(stats);
            bool stop = options.StopAfterUpdates is { } k && trainer.CompletedUpdates >= k;
            bool cancelled = options.Cancellation.IsCancellationRequested;
            if (trainer.Finished || stop || cancelled || trainer.CompletedUpdates % Math.Max(1, options.CheckpointEvery) == 0)
            {
                StoreCheckpoint(checkpoints, trainer.CompletedUpdates, trainer.SaveCheckpoint);
                savedUpdate = trainer.CompletedUpdates;
            }
            else
            {
                snapshot.SetLength(0);
                trainer.SaveCheckpoint(snapshot);
                snapshotUpdate = trainer.CompletedUpdates;
            }
            options.Cancellation.ThrowIfCancellationRequested();
            if (stop && !trainer.Finished)
                return new TrainResult(agentDir, false, trainer.CompletedUpdates, trainer.Timesteps, clock.Elapsed.TotalSeconds);
        }

        Safetensors.Save(modelPath, trainer.Model, new Dictionary<string, string>
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

    private static void StoreCheckpoint(string dir, int update, Action<Stream> write)
    {
        string path = Path.Combine(dir, $"update-{update:D6}.ckpt");
        AtomicFile.Write(path, write);
        // Older checkpoints go only after the new one is safely on disk.
        var files = CheckpointFiles(dir).ToList();
        foreach (var old in files.Take(Math.Max(0, files.Count - CheckpointsKept))) File.Delete(old);
    }

    /// <summary>
    /// A finished agent is recognised by its final model, not by its checkpoints, so a damaged checkpoint never
    /// blocks an agent that is done. The model counts when it loads (Safetensors verifies the SHA-256 recorded in
    /// it) and its metadata and shapes are this recipe's after its full budget; a damaged model is written again
    /// from the last checkpoint.
    /// </summary>
    private static bool IsFinishedModel(string path, AgentManifest manifest, PpoTrainer trainer, Action<string>? log)
    {
        if (!File.Exists(path)) return false;
        ImpalaCnn model;
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            (model, metadata) = Safetensors.LoadWithMetadata(path);
        }
        catch (MisgenInputException e)
        {
            log?.Invoke($"{e.Message}; writing {ModelFile} again from the last checkpoint");
            return false;
        }
        string timesteps = ((long)trainer.NumUpdates * trainer.Config.BatchSize).ToString(CultureInfo.InvariantCulture);
        bool same = model.Config == PpoTrainer.NetworkOf(trainer.Config, trainer.Spec)
                    && metadata.GetValueOrDefault("spec") == manifest.Spec
                    && metadata.GetValueOrDefault("seed") == manifest.Seed.ToString(CultureInfo.InvariantCulture)
                    && metadata.GetValueOrDefault("timesteps") == timesteps;
        if (!same) log?.Invoke($"{ModelFile} is not this recipe's finished agent; training from the last checkpoint");
        return same;
    }

    /// <summary>
    /// Loads the newest checkpoint that verifies and loads completely; a damaged one (its SHA-256, truncation, a
    /// part's own check) falls back to the one before, saying so. When every checkpoint is damaged the run is
    /// refused, naming them: starting over silently would throw the progress away.
    /// </summary>
    private static string? LoadLatestCheckpoint(PpoTrainer trainer, string dir, Action<string>? log)
    {
        var damaged = new List<string>();
        foreach (var file in CheckpointFiles(dir).Reverse())
        {
            try
            {
                InputFile.Check(file, "checkpoint");
                using (var stream = File.OpenRead(file)) trainer.LoadCheckpoint(stream);
                if (damaged.Count > 0) log?.Invoke($"{string.Join("; ", damaged)}; resuming from the one before, {file}");
                return file;
            }
            catch (Exception e) when (IsDamage(e))
            {
                damaged.Add(e.Message.Contains(file, StringComparison.Ordinal) ? e.Message : $"checkpoint '{file}' is unusable: {e.Message}");
            }
        }
        if (damaged.Count > 0)
            throw new MisgenInputException($"{string.Join("; ", damaged)}; no intact checkpoint is left to resume from: " +
                                           "delete the damaged file(s) to train from the start, or pass --force");
        return null;
    }

    // What reading a damaged checkpoint can throw: the hash check and each part's own checks (Adam's state
    // throws MisgenInputException, BinaryReader EndOfStream/Format, the RNG and env state Argument).
    private static bool IsDamage(Exception e) =>
        e is InvalidDataException or EndOfStreamException or IOException or UnauthorizedAccessException
            or MisgenInputException or FormatException or ArgumentException or OverflowException;

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
