using System.Globalization;
using System.Reflection;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Misgen.Rl;

/// <summary>
/// Every hyperparameter of a PPO run, one documented field each (CleanRL style). Keys users see
/// (in agent.yaml and <c>--set key=value</c>) are the snake_case field names, e.g. <c>num_envs</c>.
/// Defaults are the <c>paper</c> recipe (docs/ORIGINS.md §3, train-procgen config hard-500).
/// </summary>
public sealed class PpoConfig
{
    // ---- budget and rollout shape ----

    /// <summary>Environment steps to train for (summed over all envs). Paper: 5M on black, 10M on textured.</summary>
    [Limit(1, 10_000_000_000)]
    public long TotalSteps { get; set; } = 5_000_000;

    /// <summary>Parallel environments in the rollout.</summary>
    [Limit(1, 1024)]
    public int NumEnvs { get; set; } = 256;

    /// <summary>Steps per environment per rollout; a batch is num_envs * num_steps samples.</summary>
    [Limit(1, 4096)]
    public int NumSteps { get; set; } = 256;

    /// <summary>Minibatches per epoch; minibatch size = batch / num_minibatches.</summary>
    [Limit(1, 4096)]
    public int NumMinibatches { get; set; } = 8;

    /// <summary>Passes over each batch.</summary>
    [Limit(1, 100)]
    public int UpdateEpochs { get; set; } = 3;

    // ---- optimiser ----

    /// <summary>Adam learning rate at the start.</summary>
    [Limit(0, 1, MinExclusive = true)]
    public float LearningRate { get; set; } = 5e-4f;

    /// <summary>Decay the learning rate linearly to zero over the run: lr0 * (1 - (update-1)/num_updates).</summary>
    public bool AnnealLr { get; set; } = true;

    /// <summary>Adam epsilon (PyTorch default would be 1e-8; the original used 1e-5).</summary>
    [Limit(0, 1, MinExclusive = true)]
    public float AdamEps { get; set; } = 1e-5f;

    /// <summary>Global gradient-norm clip.</summary>
    [Limit(0, 1000, MinExclusive = true)]
    public float MaxGradNorm { get; set; } = 0.5f;

    // ---- returns and advantages ----

    /// <summary>Discount factor of the RL objective (GAE and value targets).</summary>
    [Limit(0, 1, MinExclusive = true)]
    public float Gamma { get; set; } = 0.999f;

    /// <summary>GAE lambda.</summary>
    [Limit(0, 1)]
    public float GaeLambda { get; set; } = 0.95f;

    /// <summary>Normalise advantages per minibatch to mean 0, std 1.</summary>
    public bool NormAdv { get; set; } = true;

    /// <summary>Divide rewards by the running std of the discounted return (baselines VecNormalize, ret only).</summary>
    public bool NormReward { get; set; } = true;

    /// <summary>Discount of the running return whose std normalises rewards (independent of gamma).</summary>
    [Limit(0, 1, MinExclusive = true, MaxExclusive = true)]
    public float RewardNormGamma { get; set; } = 0.99f;

    /// <summary>Normalised rewards are clipped to +-reward_clip.</summary>
    [Limit(0, 1_000_000, MinExclusive = true)]
    public float RewardClip { get; set; } = 10f;

    // ---- loss ----

    /// <summary>PPO ratio clip epsilon (also the value-clipping range).</summary>
    [Limit(0, 10, MinExclusive = true)]
    public float ClipCoef { get; set; } = 0.2f;

    /// <summary>Use the clipped value loss max((v-R)^2, (v_old + clip(v-v_old)-R)^2).</summary>
    public bool ClipVloss { get; set; } = true;

    /// <summary>Value-loss coefficient (the value loss itself carries a factor 0.5, as in the original).</summary>
    [Limit(0, 1000)]
    public float VfCoef { get; set; } = 0.5f;

    /// <summary>Entropy bonus coefficient.</summary>
    [Limit(0, 1000)]
    public float EntCoef { get; set; } = 0.01f;

    // ---- network ----

    /// <summary>Observation side in pixels (procgen: 64). The env renders at this size directly.</summary>
    [Limit(8, 512)]
    public int ObservationSize { get; set; } = 64;

    /// <summary>IMPALA block widths (channels of the three conv stacks).</summary>
    [Limit(1, 256)]
    public int Width1 { get; set; } = 16;
    [Limit(1, 256)]
    public int Width2 { get; set; } = 32;
    [Limit(1, 256)]
    public int Width3 { get; set; } = 32;

    /// <summary>Width of the fully connected layer before the heads.</summary>
    [Limit(1, 4096)]
    public int Hidden { get; set; } = 256;

    // ---- levels ----

    /// <summary>Training levels are drawn (seeded) from [start_level, start_level + num_levels); 0 = any level.</summary>
    [Limit(0, int.MaxValue)]
    public int NumLevels { get; set; } = 100_000;

    /// <summary>First training level seed.</summary>
    [Limit(0, int.MaxValue - 1)]
    public int StartLevel { get; set; } = 0;

    // ---- derived ----

    [YamlIgnore] public int BatchSize => NumEnvs * NumSteps;
    [YamlIgnore] public int MinibatchSize => BatchSize / NumMinibatches;
    [YamlIgnore] public int NumUpdates => (int)(TotalSteps / BatchSize);

    // ---- limits of what one run may ask for (docs/LIMITS.md); Validate checks them before any arithmetic ----

    /// <summary>Samples per rollout (num_envs * num_steps); paper: 65,536.</summary>
    public const int MaxBatchSize = 262_144;

    /// <summary>Updates per run; checkpoint files are named with six digits (update-NNNNNN.ckpt).</summary>
    public const int MaxUpdates = 999_999;

    /// <summary>Bytes of rollout observations (batch * observation_size^2 * 3): one .NET array.</summary>
    public const long MaxRolloutBytes = int.MaxValue;

    public PpoConfig Clone() => (PpoConfig)MemberwiseClone();

    /// <summary>The preset names, in the order help lists them.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["fast", "paper", "smoke"];

    /// <summary>
    /// A standard preset, before a game's adjustments (<see cref="Recipe"/> applies those). <c>paper</c>: the
    /// original recipe. <c>fast</c>: tuned on this project's 2-core machine to reach full capability on the
    /// yellow-line maze in minutes (BENCHMARKS.md, "How fast was chosen"). <c>smoke</c>: a few seconds, for tests.
    /// </summary>
    public static PpoConfig Preset(string name) => name switch
    {
        "paper" => new PpoConfig(),
        "fast" => Fast(),
        "smoke" => new PpoConfig
        {
            TotalSteps = 512, NumEnvs = 4, NumSteps = 32, NumMinibatches = 2, UpdateEpochs = 2,
            ObservationSize = 16, Width1 = 4, Width2 = 8, Width3 = 8, Hidden = 32,
        },
        _ => throw MisgenInputException.Unknown("preset", name, PresetNames),
    };

    // Every change from `paper` and why (numbers in BENCHMARKS.md). Games adjust it per spec (the textured
    // maze trains longer): see their PresetOverrides.
    private static PpoConfig Fast() => new()
    {
        TotalSteps = 300_000,       // paper: 5M/10M. Black maze: held-out length <= 10 by ~240k steps.
        NumEnvs = 64,               // paper: 256 - more, smaller updates per sample
        NumSteps = 128,             // paper: 256
        NumMinibatches = 8,         // minibatch 1,024 (paper: 8,192)
        LearningRate = 1e-3f,       // paper: 5e-4; about 1.6x fewer steps to the same episode length at this batch size
        Gamma = 0.99f,              // paper: 0.999, which barely rewards short paths
        ObservationSize = 32,       // paper: 64; a quarter of the pixels, maze still legible (cell 6.4 px)
        Width1 = 8, Width2 = 16, Width3 = 16,   // paper: 16/32/32; half the CPU time per sample in Misgen's kernels
    };

    // ---- keys, --set, validation ----

    private static readonly PropertyInfo[] Fields = typeof(PpoConfig)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .ToArray();

    /// <summary>The key of a field as users write it: snake_case of the property name.</summary>
    public static string KeyOf(PropertyInfo p) => UnderscoredNamingConvention.Instance.Apply(p.Name);

    /// <summary>Every settable key, in declaration order.</summary>
    public static IReadOnlyList<string> Keys { get; } = Fields.Select(KeyOf).ToArray();

    /// <summary>Applies one <c>key=value</c> override; throws MisgenInputException naming the bad key or value.</summary>
    public void Set(string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new MisgenInputException($"--set expects key=value, got '{assignment}'; keys: {string.Join(", ", Keys)}");
        Set(assignment[..eq].Trim(), assignment[(eq + 1)..].Trim());
    }

    public void Set(string key, string value)
    {
        var field = Fields.FirstOrDefault(p => KeyOf(p) == key)
                    ?? throw MisgenInputException.Unknown("config key", key, Keys);
        object parsed;
        try
        {
            parsed = field.PropertyType switch
            {
                var t when t == typeof(int) => int.Parse(value.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture),
                var t when t == typeof(long) => ParseLong(value),
                var t when t == typeof(float) => float.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
                var t when t == typeof(bool) => ParseBool(value),
                _ => throw new InvalidOperationException($"unsupported field type {field.PropertyType}"),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            string kind = field.PropertyType == typeof(bool) ? "true or false" : field.PropertyType == typeof(float) ? "a number" : "an integer";
            throw new MisgenInputException($"bad value '{value}' for {key}: expected {kind}{RangeNote(field)}");
        }
        // float.Parse takes "Infinity", "NaN" and turns 1e39 into infinity: none of them can train.
        if (LimitOf(field) is { } limit && !limit.Contains(Convert.ToDouble(parsed, CultureInfo.InvariantCulture)))
            throw new MisgenInputException($"bad value '{value}' for {key}: valid: {limit.Describe(field.PropertyType != typeof(float))}");
        field.SetValue(this, parsed);
    }

    private static LimitAttribute? LimitOf(PropertyInfo field) => field.GetCustomAttribute<LimitAttribute>();

    private static string RangeNote(PropertyInfo field) =>
        LimitOf(field) is { } limit ? $" in {limit.Describe(field.PropertyType != typeof(float))}" : "";

    /// <summary>Every bounded key with its valid range, as docs/LIMITS.md lists them.</summary>
    public static IEnumerable<(string Key, string Range)> Limits() =>
        Fields.Where(f => LimitOf(f) != null).Select(f => (KeyOf(f), LimitOf(f)!.Describe(f.PropertyType != typeof(float))));

    /// <summary>The value of a key as text (invariant culture), for display and comparison.</summary>
    public string Get(string key)
    {
        var field = Fields.FirstOrDefault(p => KeyOf(p) == key) ?? throw MisgenInputException.Unknown("config key", key, Keys);
        return Format(field.GetValue(this)!);
    }

    private static string Format(object v) => v switch
    {
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    /// <summary>All key/value pairs, in declaration order.</summary>
    public IEnumerable<KeyValuePair<string, string>> Entries() =>
        Fields.Select(p => new KeyValuePair<string, string>(KeyOf(p), Format(p.GetValue(this)!)));

    /// <summary>Keys whose values differ from <paramref name="other"/> (empty when equal).</summary>
    public IReadOnlyList<string> Differences(PpoConfig other) =>
        Entries().Zip(other.Entries()).Where(pair => pair.First.Value != pair.Second.Value).Select(pair => pair.First.Key).ToArray();

    private static long ParseLong(string value)
    {
        // Budgets read better as 1e6 or 1_000_000; accept both, but only whole numbers.
        string v = value.Replace("_", "");
        if (long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l)) return l;
        double d = double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (d != Math.Floor(d) || d > long.MaxValue || d < long.MinValue) throw new FormatException();
        return (long)d;
    }

    private static bool ParseBool(string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new FormatException(),
    };

    /// <summary>
    /// Throws MisgenInputException for a config that cannot train: every field within its <see cref="LimitAttribute"/>
    /// range (finite), then the derived sizes, checked in 64-bit arithmetic before anything is computed from them.
    /// </summary>
    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new MisgenInputException(message); }
        foreach (var field in Fields)
        {
            if (LimitOf(field) is not { } limit) continue;
            double value = Convert.ToDouble(field.GetValue(this), CultureInfo.InvariantCulture);
            bool whole = field.PropertyType != typeof(float);
            Require(limit.Contains(value), $"{KeyOf(field)} must be in {limit.Describe(whole)}, got {Format(field.GetValue(this)!)}");
        }
        long batch = (long)NumEnvs * NumSteps;
        Require(batch <= MaxBatchSize, $"num_envs * num_steps ({batch}) must be at most {MaxBatchSize}");
        Require(batch % NumMinibatches == 0, $"num_envs * num_steps ({batch}) must be divisible by num_minibatches ({NumMinibatches})");
        Require(batch / NumMinibatches >= 2, $"minibatches need at least 2 samples (advantage std), got {batch / NumMinibatches}");
        Require(TotalSteps >= batch, $"total_steps ({TotalSteps}) must be at least one batch (num_envs * num_steps = {batch})");
        Require(TotalSteps / batch <= MaxUpdates,
            $"total_steps ({TotalSteps}) gives {TotalSteps / batch} updates of {batch} samples; at most {MaxUpdates} updates are allowed");
        long rolloutBytes = batch * ObservationSize * ObservationSize * 3;
        Require(rolloutBytes <= MaxRolloutBytes,
            $"a rollout of num_envs * num_steps = {batch} observations of {ObservationSize}x{ObservationSize} needs {rolloutBytes:N0} bytes; at most {MaxRolloutBytes:N0}");
        Require(ObservationSize % 8 == 0, $"observation_size must be a multiple of 8 in 8..512, got {ObservationSize}");
        Require(NumLevels == 0 || (long)StartLevel + NumLevels <= int.MaxValue,
            $"start_level + num_levels ({(long)StartLevel + NumLevels}) must be at most {int.MaxValue}");
    }
}
