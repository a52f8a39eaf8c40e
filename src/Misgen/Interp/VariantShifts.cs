using Misgen.Eval;

namespace Misgen.Interp;

/// <summary>How a variant (a patched or intervened agent) differs from its agent on one setting.</summary>
public sealed record VariantShift(string Agent, string Variant, string Setting, Metrics Base, Metrics Changed)
{
    /// <summary>Preference of the variant minus the agent's (NaN when either reached no object).</summary>
    public double PreferenceShift => Changed.Preference - Base.Preference;

    public double SuccessShift => Changed.SuccessRate - Base.SuccessRate;

    public double CapabilityShift => Changed.Capability - Base.Capability;
}

/// <summary>The preference shift per agent and setting: every variant in results.db against its agent, on the settings both played.</summary>
public static class VariantShifts
{
    public static IReadOnlyList<VariantShift> Compute(IReadOnlyList<Metrics> metrics)
    {
        var agents = metrics.Select(m => m.Agent).Distinct().ToList();
        var bySetting = metrics.ToDictionary(m => (m.Agent, m.Setting));
        var shifts = new List<VariantShift>();
        foreach (var m in metrics.OrderBy(m => m.Agent, StringComparer.Ordinal).ThenBy(m => m.Setting, StringComparer.Ordinal))
        {
            string? agent = AgentVariant.BaseOf(m.Agent, agents);
            if (agent is null || !bySetting.TryGetValue((agent, m.Setting), out var baseline)) continue;
            shifts.Add(new VariantShift(agent, m.Agent[(agent.Length + 1)..], m.Setting, baseline, m));
        }
        return shifts;
    }
}
