using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Misgen.Sweeps;

/// <summary>
/// A contiguous block of plan indices submitted as one Slurm array: array index i runs the tasks
/// First + i*ChunkSize .. First + (i+1)*ChunkSize - 1 (bounded by First + Count), in order.
/// Chunks exist only so that studies larger than the cluster's MaxArraySize still fit one array.
/// </summary>
public sealed record PlanArray(string Phase, int First, int Count, int ChunkSize)
{
    public int Length => (Count + ChunkSize - 1) / ChunkSize;

    public IEnumerable<int> Indices(int arrayIndex)
    {
        if (arrayIndex < 0 || arrayIndex >= Length)
            throw new MisgenInputException($"array index {arrayIndex} is outside the {Phase} array 0..{Length - 1}");
        int start = First + arrayIndex * ChunkSize;
        int end = Math.Min(First + Count, start + ChunkSize);
        for (int i = start; i < end; i++) yield return i;
    }
}

/// <summary>
/// A study expanded into tasks with stable ids and dependencies (every eval after its agent's
/// training), plus how the tasks map onto Slurm arrays and the command that runs one task.
/// Saved as plan.json in the study's output folder.
/// </summary>
public sealed class SweepPlan
{
    public int Format { get; init; } = 1;
    public required string Name { get; init; }
    public required string Study { get; init; }
    public required string StudySha256 { get; init; }
    public required string Out { get; init; }
    public required string Runner { get; init; }
    /// <summary>The `misgen` command that runs a task (e.g. [dotnet, /path/Misgen.Cli.dll]), resolved at plan time.</summary>
    public required IReadOnlyList<string> Command { get; init; }
    public required IReadOnlyList<SweepTask> Tasks { get; init; }
    public required IReadOnlyList<PlanArray> Arrays { get; init; }

    private Dictionary<string, SweepTask>? byId;

    public SweepTask this[string id] =>
        (byId ??= Tasks.ToDictionary(t => t.Id)).TryGetValue(id, out var t) ? t
            : throw new MisgenInputException($"no task '{id}' in the plan of study '{Name}' (ids look like {Tasks.FirstOrDefault()?.Id})");

    public bool Contains(string id) => (byId ??= Tasks.ToDictionary(t => t.Id)).ContainsKey(id);

    /// <summary>Expands a study. The same study always gives the same tasks, ids, order and fingerprints.</summary>
    public static SweepPlan Build(Study study, string outDir, IReadOnlyList<string> command)
    {
        var tasks = new List<SweepTask>();
        var trainFingerprints = new Dictionary<string, string>();
        foreach (var c in study.Conditions)
            foreach (int seed in c.Seeds)
            {
                string id = SweepTask.TrainId(c.Name, seed);
                string fp = Fingerprint($"train|{study.Runner}|{c.Env}|{c.Preset}|{string.Join(",", c.Overrides.Select(o => o.Key + "=" + o.Value))}|{seed}|{c.TrainLevels}");
                trainFingerprints[id] = fp;
                tasks.Add(new SweepTask(tasks.Count, id, TaskKind.Train, c.Name, seed, null, [], fp));
            }
        int trainCount = tasks.Count;
        foreach (var c in study.Conditions)
            foreach (int seed in c.Seeds)
                foreach (var s in c.Settings)
                {
                    string train = SweepTask.TrainId(c.Name, seed);
                    string fp = Fingerprint($"eval|{trainFingerprints[train]}|{s.Spec}|{c.EvalLevels}");
                    tasks.Add(new SweepTask(tasks.Count, SweepTask.EvalId(c.Name, seed, s.Name), TaskKind.Eval, c.Name, seed, s.Name, [train], fp));
                }
        var arrays = new List<PlanArray>();
        AddArray(arrays, "train", 0, trainCount, study.Slurm.MaxArraySize);
        AddArray(arrays, "eval", trainCount, tasks.Count - trainCount, study.Slurm.MaxArraySize);
        return new SweepPlan
        {
            Name = study.Name,
            Study = study.Path,
            StudySha256 = Sha256Hex(File.ReadAllBytes(study.Path)),
            Out = Path.GetFullPath(outDir),
            Runner = study.Runner,
            Command = command,
            Tasks = tasks,
            Arrays = arrays,
        };
    }

    private static void AddArray(List<PlanArray> arrays, string phase, int first, int count, int maxArraySize)
    {
        if (count == 0) return;
        int chunk = (count + maxArraySize - 1) / maxArraySize;
        arrays.Add(new PlanArray(phase, first, count, chunk));
    }

    public PlanArray Array(string phase) =>
        Arrays.FirstOrDefault(a => a.Phase == phase) ?? throw MisgenInputException.Unknown("array phase", phase, Arrays.Select(a => a.Phase));

    public static string Fingerprint(string canonical) => Sha256Hex(Encoding.UTF8.GetBytes(canonical))[..16];

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    // ---- plan.json ----

    /// <summary>The JSON of the small files (task markers): indented for people reading them.</summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    // plan.json is compact, since a plan holds up to StudyLimits.MaxTasks tasks: no indentation, no null
    // fields, and '+' (in every setting name) not escaped as \u002B; it is a data file, never embedded in HTML.
    private static readonly JsonSerializerOptions PlanJson = new(Json)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, PlanJson);

    /// <summary>Streams the plan as JSON (memory stays that of the tasks, not of their text).</summary>
    public void WriteJson(Stream stream) => JsonSerializer.Serialize(stream, this, PlanJson);

    /// <summary>
    /// Writes plan.json atomically, only when its content changed (so a rerun leaves it untouched). Both sides
    /// are compared by SHA-256 while streaming, so neither the old nor the new text is held in memory.
    /// </summary>
    public void Save(StudyLayout layout)
    {
        byte[] fresh;
        using (var hash = new HashingStream())
        {
            WriteJson(hash);
            fresh = hash.Digest();
        }
        if (File.Exists(layout.PlanPath))
        {
            using var existing = File.OpenRead(layout.PlanPath);
            if (SHA256.HashData(existing).AsSpan().SequenceEqual(fresh)) return;
        }
        AtomicFile.Write(layout.PlanPath, WriteJson);
    }

    public static SweepPlan Load(StudyLayout layout)
    {
        if (!File.Exists(layout.PlanPath))
            throw new MisgenInputException($"no plan at {layout.PlanPath}; run `misgen sweep plan STUDY` first");
        try
        {
            using var stream = File.OpenRead(layout.PlanPath);
            return JsonSerializer.Deserialize<SweepPlan>(stream, PlanJson)
                ?? throw new MisgenInputException($"{layout.PlanPath} is empty");
        }
        catch (JsonException e)
        {
            throw new MisgenInputException($"{layout.PlanPath} is not a valid plan ({e.Message}); run `misgen sweep plan STUDY` again");
        }
    }
}
