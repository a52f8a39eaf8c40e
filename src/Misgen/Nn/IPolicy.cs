namespace Misgen.Nn;

/// <summary>
/// Something that maps a batch of observations to action logits and state values: the network itself, or
/// the network with a patch or an input intervention applied (so evaluations and videos run patched agents
/// like any agent).
/// </summary>
public interface IPolicy
{
    /// <summary>Observation side, channels and action count the policy expects.</summary>
    ImpalaConfig Config { get; }

    /// <summary>Largest batch the policy's buffers hold; set it up front to keep forward passes allocation-free.</summary>
    int MaxBatch { get; set; }

    /// <summary>logits (batch x Actions) and values (batch) for HWC byte observations.</summary>
    void Forward(ReadOnlySpan<byte> observations, int batch, Span<float> logits, Span<float> values);
}
