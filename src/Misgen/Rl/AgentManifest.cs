using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Misgen.Rl;

/// <summary>
/// agent.yaml: what determines an agent (env spec, seed, every hyperparameter) plus where it came
/// from (preset name, Misgen version). Two runs with equal <see cref="SameRecipe"/> manifests
/// produce bit-identical weights.
/// </summary>
public sealed class AgentManifest
{
    /// <summary>Canonical env spec the agent trains on, e.g. <c>maze:yellow-line@black</c>.</summary>
    public string Spec { get; set; } = "";

    /// <summary>The preset the config started from (the config below is what counts).</summary>
    public string Preset { get; set; } = "";

    public ulong Seed { get; set; }

    public string MisgenVersion { get; set; } = "";

    public PpoConfig Config { get; set; } = new();

    public const string FileName = "agent.yaml";

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public string ToYaml() => "# Misgen agent: everything that determines these weights.\n" + Serializer.Serialize(this);

    public static AgentManifest FromYaml(string yaml, string where = FileName)
    {
        AgentManifest manifest;
        try
        {
            manifest = Deserializer.Deserialize<AgentManifest>(yaml) ?? throw new MisgenInputException($"{where} is empty");
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new MisgenInputException($"{where} is not a valid agent manifest: {(e.InnerException ?? e).Message}", e);
        }
        // YAML reads .inf, .nan and out-of-range numbers into the config as they are: check them like --set.
        try
        {
            manifest.Config.Validate();
        }
        catch (MisgenInputException e)
        {
            throw new MisgenInputException($"{where} holds an invalid recipe: {e.Message}", e);
        }
        return manifest;
    }

    /// <summary>The largest agent.yaml read (a written one is about 1 KB).</summary>
    public const long MaxFileBytes = 1 << 20;

    public static AgentManifest Read(string agentDir)
    {
        string path = Path.Combine(agentDir, FileName);
        if (!File.Exists(path)) throw new MisgenInputException($"no {FileName} in '{agentDir}': not an agent directory");
        return FromYaml(InputFile.ReadAllText(path, "agent manifest", MaxFileBytes), path);
    }

    public void Write(string agentDir) => AtomicFile.WriteAllText(Path.Combine(agentDir, FileName), ToYaml());

    /// <summary>What differs from <paramref name="other"/> in anything that changes the weights (empty: same recipe).</summary>
    public IReadOnlyList<string> RecipeDifferences(AgentManifest other)
    {
        var diff = new List<string>();
        if (Spec != other.Spec) diff.Add("spec");
        if (Seed != other.Seed) diff.Add("seed");
        diff.AddRange(Config.Differences(other.Config));
        return diff;
    }

    public bool SameRecipe(AgentManifest other) => RecipeDifferences(other).Count == 0;
}
