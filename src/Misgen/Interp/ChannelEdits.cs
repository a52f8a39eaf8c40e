using Misgen.Nn;

namespace Misgen.Interp;

// The edits patches are made of. Each is immutable after construction, so one edit serves every thread. Each is
// elementwise affine (out = m * in + b, m and b fixed), so its backward pass multiplies the gradient by m: 0 where a
// value is replaced, the factor where a channel is scaled, 1 where a vector is added.

/// <summary>Zero ablation: the channels are 0 at every position.</summary>
public sealed class ZeroChannels(string layer, int[] channels) : ActivationEdit(layer)
{
    public override void Apply(ActivationView activation, int sample)
    {
        foreach (int c in channels) activation.FillChannel(c, 0f);
    }

    public override bool HasBackward => true;

    public override void Backward(ActivationView gradient, int sample)
    {
        foreach (int c in channels) gradient.FillChannel(c, 0f);
    }
}

/// <summary>The channels replaced by fixed maps (mean ablation: their mean; resample ablation: another level's).</summary>
public sealed class ReplaceChannels(string layer, int[] channels, float[][] maps) : ActivationEdit(layer)
{
    public override void Apply(ActivationView activation, int sample)
    {
        for (int i = 0; i < channels.Length; i++) activation.CopyChannelFrom(channels[i], maps[i]);
    }

    public override bool HasBackward => true;

    public override void Backward(ActivationView gradient, int sample)
    {
        foreach (int c in channels) gradient.FillChannel(c, 0f);
    }
}

/// <summary>The channels multiplied by a factor.</summary>
public sealed class ScaleChannels(string layer, int[] channels, float factor) : ActivationEdit(layer)
{
    public override void Apply(ActivationView activation, int sample)
    {
        foreach (int c in channels) activation.ScaleChannel(c, factor);
    }

    public override bool HasBackward => true;

    public override void Backward(ActivationView gradient, int sample)
    {
        foreach (int c in channels) gradient.ScaleChannel(c, factor);
    }
}

/// <summary>One channel at one position set to a value (retargeting).</summary>
public sealed class SetActivation(string layer, int channel, int y, int x, float value) : ActivationEdit(layer)
{
    public override void Apply(ActivationView activation, int sample) => activation[channel, y, x] = value;

    public override bool HasBackward => true;

    public override void Backward(ActivationView gradient, int sample) => gradient[channel, y, x] = 0f;
}

/// <summary>A fixed CHW vector times a coefficient added to the whole activation (a steering vector).</summary>
public sealed class AddActivation(string layer, float[] vector, float coefficient) : ActivationEdit(layer)
{
    public override void Apply(ActivationView activation, int sample) => activation.AddScaled(vector, coefficient);

    // Adding a constant leaves the gradient as it is; the patch still changes the attribution through the ReLU and
    // max-pool patterns downstream, which the forward pass records with the vector added.
    public override bool HasBackward => true;

    public override void Backward(ActivationView gradient, int sample) { }
}
