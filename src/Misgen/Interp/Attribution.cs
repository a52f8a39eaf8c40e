using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>What an attribution explains: the value, or the log-probability of one action group.</summary>
public sealed record AttributionTarget(string Name, int[]? Actions)
{
    public static AttributionTarget Value { get; } = new("value", null);

    /// <summary><c>value</c> or an action group of <paramref name="groups"/> (left, down, up, right, noop for procgen).</summary>
    public static AttributionTarget Parse(string text, IReadOnlyList<(string Name, int[] Actions)> groups)
    {
        string name = text.Trim().ToLowerInvariant();
        if (name == "value") return Value;
        foreach (var (group, actions) in groups)
            if (group == name) return new AttributionTarget(group, actions);
        throw MisgenInputException.Unknown("attribution target", text.Trim(), ["value", .. groups.Select(g => g.Name)]);
    }

    /// <summary>The target's value for one row of logits and a value.</summary>
    public float Evaluate(ReadOnlySpan<float> logits, float value)
    {
        if (Actions is null) return value;
        Span<float> logProbs = stackalloc float[logits.Length];
        Categorical.LogSoftmax(logits, logProbs);
        double p = 0;
        foreach (int a in Actions) p += Math.Exp(logProbs[a]);
        return (float)Math.Log(p);
    }

    /// <summary>
    /// d target / d logits and d target / d value for one row. For log P(group) = log sum over the group of softmax:
    /// d/d logit a = [a in group] p_a / P(group) - p_a.
    /// </summary>
    public void Gradient(ReadOnlySpan<float> logits, Span<float> dLogits, out float dValue)
    {
        dLogits.Clear();
        if (Actions is null)
        {
            dValue = 1;
            return;
        }
        dValue = 0;
        Span<float> logProbs = stackalloc float[logits.Length];
        Categorical.LogSoftmax(logits, logProbs);
        double group = 0;
        foreach (int a in Actions) group += Math.Exp(logProbs[a]);
        for (int a = 0; a < logits.Length; a++) dLogits[a] = -MathF.Exp(logProbs[a]);
        foreach (int a in Actions) dLogits[a] += (float)(Math.Exp(logProbs[a]) / group);
    }

    public override string ToString() => Name;
}

/// <summary>An attribution over one observation: one value per input (HWC, like the observation).</summary>
public sealed record InputAttribution(AttributionTarget Target, string Method, int Size, int Channels, float[] Values, float Output, float BaselineOutput)
{
    /// <summary>Sum over the channels of each pixel: the heatmap (row-major, top row first).</summary>
    public float[] PixelSums()
    {
        var sums = new float[Size * Size];
        for (int p = 0; p < sums.Length; p++)
            for (int c = 0; c < Channels; c++) sums[p] += Values[p * Channels + c];
        return sums;
    }

    /// <summary>Integrated gradients' completeness: the attributions sum to F(x) - F(baseline) up to the step error.</summary>
    public double Total => Values.Sum(v => (double)v);
}

/// <summary>
/// Gradient saliency and integrated gradients (Sundararajan et al. 2017) of the value or of an action group's
/// log-probability with respect to the input, with the network's own backward pass to the input
/// (<see cref="ImpalaCnn.BackwardToInputs"/>). Inputs are the values the network sees (bytes / 255). Integrated
/// gradients use a zero (black) baseline and the right Riemann sum at alpha = 1/m, 2/m, ..., 1, all m scaled inputs in
/// one batch; the attributions sum to F(x) - F(0) up to the discretisation error (docs/INTERP.md).
/// With patches, F is the patched network (what a <see cref="PatchedPolicy"/> with the same patches runs): the forward
/// pass applies them and the backward pass goes through each one (<see cref="ActivationEdit.Backward"/>), so a zeroed
/// channel passes no gradient, a scaled one passes it scaled, a set value passes none at its position, and an added
/// vector changes the gradient through the ReLU and max-pool patterns it changes downstream.
/// </summary>
public sealed class Attribution
{
    public const int DefaultSteps = 32;

    private readonly ImpalaCnn model;
    private readonly ActivationEdits? edits;
    private float[] inputs = [], gradients = [], logits = [], values = [], dLogits = [], dValues = [];

    /// <param name="model">The network.</param>
    /// <param name="patches">Activation patches (applied in list order, as <see cref="PatchedPolicy"/> does); none: the network itself.</param>
    public Attribution(ImpalaCnn model, IReadOnlyList<ActivationEdit>? patches = null)
    {
        this.model = model;
        if (patches is { Count: > 0 })
        {
            edits = new ActivationEdits(patches);
            if (!edits.HaveBackward)
                throw new MisgenInputException("attribution through these patches is not possible (no backward pass): " +
                                               string.Join(", ", patches.Where(p => !p.HasBackward).Select(p => $"{p.GetType().Name} at {p.HookPoint}")));
        }
    }

    /// <summary>The attribution of the network <paramref name="policy"/> runs: its model with its patches.</summary>
    public Attribution(PatchedPolicy policy) : this(policy.Model, policy.Edits) { }

    /// <summary>d target / d input at the observation (plain gradient saliency).</summary>
    public InputAttribution Gradient(ReadOnlySpan<byte> observation, AttributionTarget target)
    {
        int floats = model.InputFloats;
        Ensure(1);
        for (int i = 0; i < floats; i++) inputs[i] = observation[i] / 255f;
        float output = Backward(1, target);
        return new InputAttribution(target, "gradient", model.Config.InputSize, model.Config.Channels, gradients.AsSpan(0, floats).ToArray(), output, float.NaN);
    }

    /// <summary>Integrated gradients with <paramref name="steps"/> steps from the zero baseline (of the patched network, with patches).</summary>
    public InputAttribution IntegratedGradients(ReadOnlySpan<byte> observation, AttributionTarget target, int steps = DefaultSteps)
    {
        if (steps < 1 || steps > 1024) throw new MisgenInputException($"integrated-gradient steps {steps} is invalid; valid: 1..1024");
        int floats = model.InputFloats;
        Ensure(steps);
        var scaled = new float[floats];
        for (int i = 0; i < floats; i++) scaled[i] = observation[i] / 255f;
        for (int k = 0; k < steps; k++)
        {
            float alpha = (k + 1) / (float)steps;
            var row = inputs.AsSpan(k * floats, floats);
            for (int i = 0; i < floats; i++) row[i] = alpha * scaled[i];
        }
        Backward(steps, target);
        float output = target.Evaluate(logits.AsSpan((steps - 1) * model.Config.Actions, model.Config.Actions), values[steps - 1]);
        var attribution = new float[floats];
        for (int k = 0; k < steps; k++)
        {
            var row = gradients.AsSpan(k * floats, floats);
            for (int i = 0; i < floats; i++) attribution[i] += row[i];
        }
        for (int i = 0; i < floats; i++) attribution[i] = attribution[i] / steps * scaled[i];
        // F(0): the baseline's output, for the completeness check.
        Array.Clear(inputs, 0, floats);
        model.ForwardInputs(inputs.AsSpan(0, floats), 1, logits, values, edits);
        float baseline = target.Evaluate(logits.AsSpan(0, model.Config.Actions), values[0]);
        return new InputAttribution(target, $"integrated-gradients-{steps}", model.Config.InputSize, model.Config.Channels, attribution, output, baseline);
    }

    /// <summary>Forward and backward of the first <paramref name="batch"/> rows of the input buffer; returns row 0's target.</summary>
    private float Backward(int batch, AttributionTarget target)
    {
        int actions = model.Config.Actions;
        model.ForwardInputs(inputs.AsSpan(0, batch * model.InputFloats), batch, logits, values, edits);
        for (int n = 0; n < batch; n++)
        {
            target.Gradient(logits.AsSpan(n * actions, actions), dLogits.AsSpan(n * actions, actions), out float dv);
            dValues[n] = dv;
        }
        model.BackwardToInputs(dLogits, dValues, gradients);
        return target.Evaluate(logits.AsSpan(0, actions), values[0]);
    }

    private void Ensure(int batch)
    {
        // The backward pass keeps every activation of MaxBatch observations (0.65 MB each at 64x64): hold just this batch.
        if (model.MaxBatch != batch && (model.MaxBatch < batch || inputs.Length == 0)) model.MaxBatch = batch;
        int floats = model.InputFloats, actions = model.Config.Actions;
        if (inputs.Length >= batch * floats) return;
        inputs = new float[batch * floats];
        gradients = new float[batch * floats];
        logits = new float[batch * actions];
        values = new float[batch];
        dLogits = new float[batch * actions];
        dValues = new float[batch];
    }
}
