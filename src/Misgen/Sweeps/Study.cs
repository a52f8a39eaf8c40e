namespace Misgen.Sweeps;

/// <summary>A half-open range of level seeds [Start, Start + Count).</summary>
public readonly record struct LevelRange(int Start, int Count)
{
    public override string ToString() => $"{Start}+{Count}";
}

/// <summary>One evaluation setting of a condition: a duel env spec and the file-safe name used in task ids.</summary>
public sealed record StudySetting(string Name, string Spec);

/// <summary>
/// One training condition: agents trained on <see cref="Env"/> with <see cref="Preset"/> and overrides,
/// one per seed, each then evaluated on every setting.
/// </summary>
public sealed record StudyCondition(
    string Name,
    string Env,
    string Preset,
    IReadOnlyList<KeyValuePair<string, string>> Overrides,
    IReadOnlyList<int> Seeds,
    LevelRange TrainLevels,
    IReadOnlyList<StudySetting> Settings,
    LevelRange EvalLevels);

/// <summary>Resource requests for the Slurm executor (one array task = one sweep task or one chunk).</summary>
public sealed record SlurmResources(
    string? Partition,
    string Time,
    int Cpus,
    string Mem,
    int Concurrency,
    int MaxArraySize,
    string? Account,
    IReadOnlyList<string> Directives);

/// <summary>
/// Knobs of the synthetic runner, which stands in for training and evaluation to exercise the sweep
/// machinery (executors, markers, faults, Slurm) in seconds: it sleeps <see cref="TaskMilliseconds"/>
/// and writes deterministic fake agents and episodes. Tasks listed in <see cref="FailTasks"/> always fail.
/// </summary>
public sealed record SyntheticOptions(int TaskMilliseconds, IReadOnlyList<string> FailTasks);

/// <summary>A study file (YAML), parsed and validated. See studies/*.yaml and the README.</summary>
public sealed record Study(
    string Path,
    string Name,
    string Out,
    string Runner,
    int Retries,
    IReadOnlyList<StudyCondition> Conditions,
    SlurmResources Slurm,
    SyntheticOptions Synthetic)
{
    /// <summary>Runners: `misgen` (real training and evaluation) and `synthetic` (machinery checks).</summary>
    public static readonly IReadOnlyList<string> Runners = ["misgen", "synthetic"];

    /// <summary>Loads and validates a study file; errors name the line and the field.</summary>
    public static Study Load(string path) => StudyFile.Load(path);
}
