using Misgen.Eval;

namespace Misgen.Analysis;

/// <summary>One column of the agent matrix: a metric of one setting.</summary>
public readonly record struct Feature(string Setting, string Metric)
{
    public const string Preference = "preference";
    public const string Capability = "capability";

    public override string ToString() => $"{Metric} on {Setting}";
}

/// <summary>
/// The agents x (settings x {preference, capability}) table the study looked for outliers in
/// (512 x 22 for its white-line agents). Rows are agents; a missing or undefined value is NaN.
/// </summary>
public sealed class AgentMatrix
{
    public AgentMatrix(IReadOnlyList<string> agents, IReadOnlyList<Feature> features, double[,] values)
    {
        if (values.GetLength(0) != agents.Count || values.GetLength(1) != features.Count)
            throw new ArgumentException("values must be agents x features");
        Agents = agents;
        Features = features;
        Values = values;
    }

    public IReadOnlyList<string> Agents { get; }
    public IReadOnlyList<Feature> Features { get; }
    public double[,] Values { get; }

    /// <summary>Builds the matrix from metrics: every setting contributes its preference and capability columns.</summary>
    public static AgentMatrix FromMetrics(IEnumerable<Metrics> metrics)
    {
        var list = metrics.ToList();
        var agents = list.Select(m => m.Agent).Distinct().ToList();
        var settings = list.Select(m => m.Setting).Distinct().ToList();
        var features = settings.SelectMany(s => new[] { new Feature(s, Feature.Preference), new Feature(s, Feature.Capability) }).ToList();
        var values = new double[agents.Count, features.Count];
        for (int a = 0; a < agents.Count; a++)
        for (int f = 0; f < features.Count; f++)
            values[a, f] = double.NaN;
        var agentIndex = agents.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        var settingIndex = settings.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        foreach (var m in list)
        {
            int a = agentIndex[m.Agent], s = settingIndex[m.Setting];
            values[a, 2 * s] = m.Preference;
            values[a, 2 * s + 1] = m.Capability;
        }
        return new AgentMatrix(agents, features, values);
    }
}
