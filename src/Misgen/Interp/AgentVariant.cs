using System.Security.Cryptography;
using System.Text;
using Misgen.Envs;
using Misgen.Eval;
using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>
/// An agent seen through patches and/or an input intervention, as results.db stores it: its own agent named
/// <c>AGENT+VARIANT</c> (e.g. <c>s1+zero-r</c>), whose model hash is the SHA-256 of the agent's model hash and the
/// variant's canonical description, so the report lists it beside the unpatched agent and a different patch
/// under the same name is refused.
/// </summary>
public static class AgentVariant
{
    public const char Separator = '+';

    /// <summary>
    /// The variant of a loaded agent; <paramref name="name"/> null names it after the patches and intervention.
    /// Patches are bound for levels of <paramref name="spec"/> (the spec <c>#SEED</c> levels and mean ablation refer to).
    /// </summary>
    public static EvalAgent Create(EvalAgent agent, EnvSpec spec, IReadOnlyList<PatchSpec> patches, InputIntervention? intervention, string? name = null)
    {
        if (patches.Count == 0 && intervention is null) return agent;
        IPolicy policy = agent.Model;
        if (patches.Count > 0)
        {
            var model = agent.Model as ImpalaCnn ?? throw new MisgenInputException($"agent '{agent.Record.Name}' is already a variant; patch its network instead");
            policy = PatchedPolicy.Bind(model, spec, patches);
        }
        if (intervention is not null) policy = new IntervenedPolicy(policy, intervention);
        string variant = name ?? DefaultName(patches, intervention);
        if (variant.Length == 0 || variant.Any(c => char.IsWhiteSpace(c) || c == '/'))
            throw new MisgenInputException($"variant name '{variant}' is invalid; valid: a non-empty name without spaces or '/'");
        string description = Description(patches, intervention);
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((agent.Record.ModelSha256 ?? "") + "\n" + description)));
        var record = agent.Record with { Name = agent.Record.Name + Separator + variant, ModelSha256 = hash };
        return new EvalAgent(record, policy);
    }

    /// <summary>e.g. <c>zero-relu3-121</c>, <c>zero-r</c>, <c>scale-relu3-5-x2+grey</c>.</summary>
    public static string DefaultName(IReadOnlyList<PatchSpec> patches, InputIntervention? intervention) =>
        string.Join(Separator, patches.Select(p => p.ShortName).Concat(intervention is null ? [] : [intervention.Name]));

    /// <summary>Every patch's canonical text, then the intervention, one per line.</summary>
    public static string Description(IReadOnlyList<PatchSpec> patches, InputIntervention? intervention) =>
        string.Join("\n", patches.Select(p => "patch " + p.Text).Concat(intervention is null ? [] : ["input " + intervention.Name]));

    /// <summary>The unpatched agent's name of a variant name among <paramref name="agents"/> (longest match), or null.</summary>
    public static string? BaseOf(string variantName, IEnumerable<string> agents) =>
        agents.Where(a => a != variantName && variantName.StartsWith(a + Separator, StringComparison.Ordinal)).MaxBy(a => a.Length);
}
