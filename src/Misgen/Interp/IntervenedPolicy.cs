using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>
/// A policy that sees its observations through an <see cref="InputIntervention"/>: the observations are copied into
/// a buffer kept between calls, changed there, and passed on. Evaluations and videos run it like any agent.
/// </summary>
public sealed class IntervenedPolicy : IPolicy
{
    private byte[] buffer = [];

    public IntervenedPolicy(IPolicy inner, InputIntervention intervention)
    {
        if (inner.Config.Channels != 3)
            throw new MisgenInputException($"input intervention '{intervention}' needs an RGB agent; this one sees {inner.Config.Channels} channels");
        Inner = inner;
        Intervention = intervention;
    }

    public IPolicy Inner { get; }

    public InputIntervention Intervention { get; }

    public ImpalaConfig Config => Inner.Config;

    public int MaxBatch
    {
        get => Inner.MaxBatch;
        set => Inner.MaxBatch = value;
    }

    public void Forward(ReadOnlySpan<byte> observations, int batch, Span<float> logits, Span<float> values)
    {
        int bytes = batch * Config.InputSize * Config.InputSize * Config.Channels;
        if (observations.Length < bytes) throw new ArgumentException($"observations hold {observations.Length} bytes, {batch} observations need {bytes}");
        if (buffer.Length < bytes) buffer = new byte[Math.Max(bytes, MaxBatch * (bytes / batch))];
        var seen = buffer.AsSpan(0, bytes);
        observations[..bytes].CopyTo(seen);
        Intervention.Apply(seen);
        Inner.Forward(seen, batch, logits, values);
    }
}
