namespace Misgen.Sweeps;

public enum TaskKind { Train, Eval }

/// <summary>
/// One unit of a study: train agent <see cref="Seed"/> of a condition, or evaluate it on one setting.
/// <see cref="Id"/> is stable across re-plans (train/COND/s0003, eval/COND/s0003/SETTING);
/// <see cref="Fingerprint"/> changes whenever anything that determines the task's outputs changes,
/// so an edited study redoes exactly the tasks it affects.
/// </summary>
public sealed record SweepTask(
    int Index,
    string Id,
    TaskKind Kind,
    string Condition,
    int Seed,
    string? Setting,
    IReadOnlyList<string> DependsOn,
    string Fingerprint)
{
    public static string TrainId(string condition, int seed) => $"train/{condition}/{SeedName(seed)}";

    public static string EvalId(string condition, int seed, string setting) => $"eval/{condition}/{SeedName(seed)}/{setting}";

    public static string SeedName(int seed) => $"s{seed:D4}";

    /// <summary>The agent's name in results: COND/s0003 (also its folder under agents/).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Agent => $"{Condition}/{SeedName(Seed)}";
}
