namespace Misgen.Sweeps;

/// <summary>
/// How large a study may be, checked when the file is read, before anything is expanded or written
/// (docs/LIMITS.md). They keep a typo or a hostile file (a seed count of a billion, a YAML alias repeated a
/// thousand times) from growing the plan, the memory or a Slurm script without bound.
/// </summary>
public static class StudyLimits
{
    /// <summary>Bytes of a study file.</summary>
    public const long MaxFileBytes = 4 << 20;

    /// <summary>Characters of all scalars once YAML aliases are expanded (each use counts).</summary>
    public const long MaxExpandedChars = 16 << 20;

    /// <summary>Nodes (scalars, lists, mappings) once YAML aliases are expanded.</summary>
    public const int MaxExpandedNodes = 1_000_000;

    /// <summary>Characters of one scalar value (a path, a spec, a name).</summary>
    public const int MaxScalarChars = 4096;

    /// <summary>Characters of a name (study, condition, partition, account).</summary>
    public const int MaxNameChars = 100;

    public const int MaxConditions = 1_000;
    public const int MaxSeedsPerCondition = 100_000;
    public const int MaxSettingsPerCondition = 1_000;

    /// <summary>Tasks of a study: one train task per agent plus one eval task per agent and setting.</summary>
    public const int MaxTasks = 200_000;

    /// <summary>Extra `#SBATCH` lines (slurm.directives) and the characters of each.</summary>
    public const int MaxDirectives = 64;
    public const int MaxDirectiveChars = 256;

    /// <summary>Episodes of one eval task (eval_levels.count).</summary>
    public const int MaxEvalLevels = Eval.EvalProtocol.MaxLevels;
}
