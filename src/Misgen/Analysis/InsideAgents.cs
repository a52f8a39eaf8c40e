using Misgen.Eval;
using Misgen.Interp;

namespace Misgen.Analysis;

/// <summary>What the report's "Inside the agents" section asks to draw: one agent on one test level of one setting.</summary>
public sealed record InsideRequest(AgentRecord Agent, Setting Setting, int Level);

/// <summary>
/// The pictures of one agent in "Inside the agents": its vector field over the level (SVG, or null when the game has no
/// grid to place the agent on) and an attribution heatmap of the first step (PNG).
/// </summary>
public sealed record InsidePictures(string? FieldSvg, string FieldCaption, byte[]? AttributionPng, string AttributionCaption);

/// <summary>
/// Which agents "Inside the agents" looks into, and how variants are told from agents. The report, the demo (which
/// evaluates the colour-channel variants of exactly these agents) and tests share this one choice.
/// </summary>
public static class InsideAgents
{
    /// <summary>The colour-channel test: the agent's preference with one input colour channel zeroed.</summary>
    public static IReadOnlyList<string> ColourInterventions { get; } = ["zero-r", "zero-g", "zero-b"];

    /// <summary>Agents stored as variants of another stored agent (AGENT+VARIANT).</summary>
    public static HashSet<string> Variants(IEnumerable<string> agents)
    {
        var names = agents.Distinct().ToList();
        return names.Where(n => AgentVariant.BaseOf(n, names) is not null).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The metrics of agents only (variants left out): what preferences, outliers and regressions are computed over.</summary>
    public static IReadOnlyList<Metrics> AgentsOnly(IReadOnlyList<Metrics> metrics)
    {
        var variants = Variants(metrics.Select(m => m.Agent));
        return variants.Count == 0 ? metrics : metrics.Where(m => !variants.Contains(m.Agent)).ToList();
    }

    /// <summary>Outliers over the agents' metrics (none below three agents, where robust scores mean nothing).</summary>
    public static IReadOnlyList<AgentOutlier> Outliers(IReadOnlyList<Metrics> agentMetrics, OutlierOptions options)
    {
        var matrix = AgentMatrix.FromMetrics(agentMetrics);
        return matrix.Agents.Count >= 3 ? Analysis.Outliers.Detect(matrix, options) : [];
    }

    /// <summary>Flagged outliers, most unusual first (the order of the report's cards).</summary>
    public static List<AgentOutlier> Flagged(IReadOnlyList<AgentOutlier> outliers, OutlierOptions options) =>
        outliers.Where(o => o.Flagged)
            .OrderByDescending(o => o.RobustScore / options.RobustThreshold + o.IsolationScore / options.IsolationThreshold)
            .ThenBy(o => o.Agent, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The flagged outliers (at most <see cref="ReportOptions.MaxOutlierCards"/>), then the agent nearest the median: the
    /// unflagged agent whose largest |robust z| is smallest. With fewer than three agents there are no outliers and the
    /// first agent by name stands for the median.
    /// </summary>
    public static IReadOnlyList<string> Choose(IReadOnlyList<Metrics> metrics, ReportOptions options)
    {
        var agentMetrics = AgentsOnly(metrics);
        return Choose(agentMetrics, Outliers(agentMetrics, options.Outliers), options);
    }

    /// <summary>The same choice from outliers already detected over <paramref name="agentMetrics"/> (the report's own).</summary>
    public static IReadOnlyList<string> Choose(IReadOnlyList<Metrics> agentMetrics, IReadOnlyList<AgentOutlier> outliers, ReportOptions options)
    {
        var chosen = Flagged(outliers, options.Outliers).Take(options.MaxOutlierCards).Select(o => o.Agent).ToList();
        string? median = outliers.Count > 0
            ? outliers.Where(o => !o.Flagged).OrderBy(o => o.RobustScore).ThenBy(o => o.Agent, StringComparer.Ordinal).Select(o => o.Agent).FirstOrDefault()
            : agentMetrics.Select(m => m.Agent).Distinct().Order(StringComparer.Ordinal).FirstOrDefault();
        if (median is not null) chosen.Add(median);
        return chosen;
    }
}
