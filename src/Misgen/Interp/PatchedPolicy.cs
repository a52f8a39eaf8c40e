using Misgen.Envs;
using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>
/// A network with activation patches that persist over every forward pass: an <see cref="IPolicy"/>, so evaluations,
/// videos and vector fields run it like any agent. Patches compose in list order (at one layer, the first is applied
/// first). Forward passes allocate nothing after warm-up.
/// </summary>
public sealed class PatchedPolicy : IBackgroundPolicy
{
    private readonly ActivationEdits edits;

    public PatchedPolicy(ImpalaCnn model, IEnumerable<ActivationEdit> patches)
    {
        Model = model;
        edits = new ActivationEdits(patches);
    }

    /// <summary>Binds parsed patches to <paramref name="model"/> for levels of <paramref name="spec"/>.</summary>
    public static PatchedPolicy Bind(ImpalaCnn model, EnvSpec spec, IReadOnlyList<PatchSpec> patches)
    {
        var context = new PatchContext(model, spec);
        return new PatchedPolicy(model, patches.Select(p => p.Bind(context)).ToList()) { Patches = patches };
    }

    public ImpalaCnn Model { get; }

    /// <summary>The parsed patches this policy was bound from (empty when built from edits directly).</summary>
    public IReadOnlyList<PatchSpec> Patches { get; private init; } = [];

    public IReadOnlyList<ActivationEdit> Edits => edits.Edits;

    public ImpalaConfig Config => Model.Config;

    public int MaxBatch
    {
        get => Model.MaxBatch;
        set => Model.MaxBatch = value;
    }

    public void Forward(ReadOnlySpan<byte> observations, int batch, Span<float> logits, Span<float> values) =>
        Model.Forward(observations, batch, logits, values, edits);

    public void ForwardOverBackground(ReadOnlySpan<byte> background, ReadOnlySpan<byte> observations, int batch, Span<float> logits, Span<float> values) =>
        Model.ForwardOverBackground(background, observations, batch, logits, values, edits);
}
