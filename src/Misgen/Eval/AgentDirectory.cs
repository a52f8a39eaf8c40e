using System.Globalization;
using Misgen.Nn;

namespace Misgen.Eval;

/// <summary>
/// Reads a trained agent's directory (DESIGN "Files"): <c>model.safetensors</c> (the policy),
/// <c>agent.yaml</c> (its training spec, preset and seed; optional here) and <c>train.csv</c>
/// (optional). The agent's name is the directory's name.
/// </summary>
public static class AgentDirectory
{
    public const string ModelFile = "model.safetensors";

    public static bool IsAgent(string directory) => File.Exists(Path.Combine(directory, ModelFile));

    /// <summary>
    /// Agent directories named by the arguments: each argument is an agent directory or a folder
    /// whose subdirectories are agents (e.g. <c>agents/</c>). Sorted by name, duplicates removed.
    /// </summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> paths)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            string full = FullPath(path);
            if (File.Exists(full) && Path.GetFileName(full) == ModelFile) full = Path.GetDirectoryName(full)!;
            if (!Directory.Exists(full)) throw new MisgenInputException($"agent directory '{path}' does not exist");
            if (IsAgent(full)) { found.Add(full); continue; }
            var children = Directory.GetDirectories(full).Where(IsAgent).ToList();
            if (children.Count == 0) throw new MisgenInputException($"'{path}' is neither an agent directory (no {ModelFile}) nor a folder of agents");
            foreach (string child in children) found.Add(child);
        }
        return found.ToList();
    }

    /// <summary>The agent's results.db record, from agent.yaml when present.</summary>
    public static AgentRecord Record(string directory)
    {
        string full = FullPath(directory);
        var yaml = ReadTopLevel(Path.Combine(full, "agent.yaml"));
        long? seed = yaml.TryGetValue("seed", out string? s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : null;
        string? env = yaml.GetValueOrDefault("env") ?? yaml.GetValueOrDefault("env_spec") ?? yaml.GetValueOrDefault("spec");
        string trainCsv = Path.Combine(full, "train.csv");
        string model = Path.Combine(full, ModelFile);
        return new AgentRecord(Path.GetFileName(full), full, env, yaml.GetValueOrDefault("preset"), seed, File.Exists(trainCsv) ? trainCsv : null,
            File.Exists(model) ? Sha256Of(model) : null);
    }

    /// <summary>The full path without a trailing separator, so "agents/s1/" is named "s1" like "agents/s1".</summary>
    public static string FullPath(string directory) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    public static EvalAgent Load(string directory)
    {
        string full = FullPath(directory);
        if (!IsAgent(full)) throw new MisgenInputException($"'{directory}' has no {ModelFile}; train an agent first (misgen train)");
        return new EvalAgent(Record(full), Safetensors.Load(Path.Combine(full, ModelFile)));
    }

    // Only top-level "key: value" scalars are needed here; the trainer owns the full schema.
    private static Dictionary<string, string> ReadTopLevel(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return values;
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || char.IsWhiteSpace(line[0]) || line[0] == '#') continue;
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            string value = line[(colon + 1)..].Trim();
            int comment = value.IndexOf(" #", StringComparison.Ordinal);
            if (comment >= 0) value = value[..comment].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0]) value = value[1..^1];
            if (value.Length > 0) values[line[..colon].Trim()] = value;
        }
        return values;
    }
}
