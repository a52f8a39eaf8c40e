namespace Misgen.Nn;

/// <remarks>
/// The gradient with respect to the input, for attribution (saliency, integrated gradients): a forward pass
/// on float observations that keeps the activations, then a backward pass that computes only the data
/// gradients (no parameter gradients) down to the input plane. With activation edits (patches), the forward pass
/// keeps the edited activations (so the ReLU and max-pool patterns are the patched network's) and the backward pass
/// runs each edit's own backward (<see cref="ActivationEdit.Backward"/>) at its hook point: the gradient of the
/// network the patched policy runs.
/// </remarks>
public sealed unsafe partial class ImpalaCnn
{
    private AlignedFloats? firstLayerToInput;  // block1 conv, packed for the data gradient into a 16-channel-padded plane
    private AlignedFloats[]? inputGradientPlanes;
    private InputGradientWork? inputGradientWork;
    private bool trainedOnInputs;
    private ActivationEdits? inputEdits; // the edits of the last ForwardInputs, which its backward pass goes through

    /// <summary>Floats of one observation for <see cref="ForwardInputs"/>: InputSize x InputSize x Channels.</summary>
    public int InputFloats => observationBytes;

    /// <summary>
    /// Forward pass on float observations (HWC, the values the network sees: a byte observation is byte / 255),
    /// keeping what <see cref="BackwardToInputs"/> needs. Integrated gradients feed it scaled observations.
    /// </summary>
    public void ForwardInputs(ReadOnlySpan<float> inputs, int batch, Span<float> logits, Span<float> values) =>
        ForwardInputs(inputs, batch, logits, values, null);

    /// <summary>
    /// <see cref="ForwardInputs(ReadOnlySpan{float}, int, Span{float}, Span{float})"/> with <paramref name="edits"/>
    /// applied at their hook points (as <see cref="Forward(ReadOnlySpan{byte}, int, Span{float}, Span{float}, ActivationEdits?)"/>
    /// does); the following <see cref="BackwardToInputs"/> goes through them. Every edit needs a backward pass
    /// (<see cref="ActivationEdit.HasBackward"/>).
    /// </summary>
    public void ForwardInputs(ReadOnlySpan<float> inputs, int batch, Span<float> logits, Span<float> values, ActivationEdits? edits)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "must be at least 1");
        if (edits is not null && !edits.HaveBackward)
            throw new NotSupportedException("input gradients need a backward pass of every edit; these have none: " +
                                            string.Join(", ", edits.Edits.Where(e => !e.HasBackward).Select(e => $"{e.GetType().Name} at {e.HookPoint}")));
        if (inputs.Length < (long)batch * observationBytes)
            throw new ArgumentException($"inputs hold {inputs.Length} values, {batch} observations need {(long)batch * observationBytes}");
        if (logits.Length < batch * Config.Actions || values.Length < batch)
            throw new ArgumentException($"outputs for {batch} observations need {batch * Config.Actions} logits and {batch} values");
        EnsureBatch(batch, training: true);
        PackWeights(forBackward: true);
        PackFirstLayerToInput();
        fixed (float* x = inputs)
        fixed (float* l = logits)
        fixed (float* v = values)
        {
            forwardWork.SetInputs(x, batch, l, v, edits is { Edits.Count: > 0 } ? edits : null);
            Pool.Run(forwardWork, PartsFor(batch));
        }
        trainedBatch = batch;
        trainedOnInputs = true;
        inputEdits = edits is { Edits.Count: > 0 } ? edits : null;
    }

    /// <summary>
    /// d(sum over the batch of dLogits . logits + dValues . values) / d(inputs) for the last
    /// <see cref="ForwardInputs"/>, HWC like the inputs. Parameter gradients are left untouched.
    /// </summary>
    public void BackwardToInputs(ReadOnlySpan<float> dLogits, ReadOnlySpan<float> dValues, Span<float> dInputs)
    {
        int batch = trainedBatch;
        if (batch < 1 || !trainedOnInputs || store is null) throw new InvalidOperationException("BackwardToInputs needs a ForwardInputs first");
        if (dLogits.Length < batch * Config.Actions || dValues.Length < batch)
            throw new ArgumentException($"gradients for {batch} observations need {batch * Config.Actions} logits and {batch} values");
        if (dInputs.Length < (long)batch * observationBytes)
            throw new ArgumentException($"dInputs holds {dInputs.Length} values, {batch} observations need {(long)batch * observationBytes}");
        if (inputGradientPlanes is null)
        {
            var plane = Plane.Of(Config.InputSize, Config.InputSize, Config.Channels);
            inputGradientPlanes = new AlignedFloats[MaxParts];
            for (int i = 0; i < MaxParts; i++) inputGradientPlanes[i] = new AlignedFloats(plane.Floats);
        }
        inputGradientWork ??= new InputGradientWork(this);
        fixed (float* dl = dLogits)
        fixed (float* dv = dValues)
        fixed (float* dx = dInputs)
        {
            inputGradientWork.Set(batch, dl, dv, dx);
            Pool.Run(inputGradientWork, PartsFor(batch));
        }
    }

    /// <summary>Float observation rows into the first layer's input plane (the plane's rows are contiguous).</summary>
    private void PackInputs(float* observation, float* plane)
    {
        int size = Config.InputSize, row = size * Config.Channels;
        for (int y = 0; y < size; y++)
            new ReadOnlySpan<float>(observation + y * row, row).CopyTo(new Span<float>(plane + inputPlane.Offset(y, 0), row));
    }

    private void PackFirstLayerToInput()
    {
        var conv = Convs[0];
        int inStride = Plane.RoundUp16(conv.Cin);
        firstLayerToInput ??= new AlignedFloats(9L * conv.Output.Stride * inStride);
        ConvKernels.PackBackward(conv.Weight.Value, conv.Cout, conv.Cin, inStride, conv.Output.Stride, firstLayerToInput.Span);
    }

    /// <summary>
    /// Data gradient through one residual block: out = x + convB(relu(h)), h = convA(relu(x)); d holds dOut, becomes dx.
    /// With edits, <paramref name="point"/> is the block's relu1 hook point (then conv1, relu2, conv2, resadd follow it):
    /// out = E_resadd(x + E_conv2(convB(E_relu2(relu(h))))), h = E_conv1(convA(E_relu1(relu(x)))), x and h as edited,
    /// and each E's backward runs where the chain rule meets it.
    /// </summary>
    private void ResidualBackwardData(ConvLayer convA, ConvLayer convB, float* x, float* h, float* d, PartWorkspace ws, int b,
                                      ActivationEdits? edits, int point, int sample)
    {
        var p = convA.Output;
        float* w = Packed;
        float* t1 = ws.T1[b], t2 = ws.T2[b];
        float* dConv2 = d;
        if (edits is not null)
        {
            EditBackward(edits, point + 4, d, p, sample);                    // d(x + conv2 path)
            if (edits.Any(point + 3))
            {
                // The skip path takes d as it is; only the conv2 path goes through conv2's edits (t2 is free until below).
                new ReadOnlySpan<float>(d, p.Floats).CopyTo(new Span<float>(t2, p.Floats));
                EditBackward(edits, point + 3, t2, p, sample);
                dConv2 = t2;
            }
        }
        ConvKernels.Forward(dConv2, p, w + convB.Backward, Zeros, t1, p, null); // d relu(h)
        if (edits is not null) EditBackward(edits, point + 2, t1, p, sample);
        MaskByPositive(t1, h, p);                                            // dh
        if (edits is not null) EditBackward(edits, point + 1, t1, p, sample);
        ConvKernels.Forward(t1, p, w + convA.Backward, Zeros, t2, p, null);  // d relu(x)
        if (edits is not null) EditBackward(edits, point, t2, p, sample);
        AddMasked(d, t2, x, p);                                              // dx = dOut + d relu(x) * (x > 0)
    }

    private static void EditBackward(ActivationEdits edits, int point, float* gradient, Plane geometry, int sample)
    {
        if (edits.Any(point)) edits.Backward(point, ActivationView.Of(gradient, geometry), sample);
    }

    /// <summary>Heads, fc and body backward for a run of observations, data gradients only, down to the inputs.</summary>
    private void PartBackwardToInputs(int start, int end, float* dLogits, float* dValues, float* dInputs, PartWorkspace ws, float* dInputPlane)
    {
        var kept = store!;
        var edits = inputEdits;
        int rows = end - start, hs = HiddenStride, actions = Config.Actions, hidden = Config.Hidden;
        float* w = Packed;
        float* dHidden = ws.DHidden, dFlat = ws.DFlat;
        float* dl = stackalloc float[actions];
        for (int n = 0; n < rows; n++)
        {
            int i = start + n;
            float* z = kept.PreActivation + (long)i * hs;
            float* dh = dHidden + n * hs;
            float dv = dValues[i];
            for (int a = 0; a < actions; a++) dl[a] = dLogits[i * actions + a];
            if (edits is not null)
            {
                // The given gradients are with respect to the edited heads; back through their edits first.
                if (edits.Any(ValuePoint)) edits.Backward(ValuePoint, ActivationView.OfVector(&dv, 1), i);
                if (edits.Any(PolicyPoint)) edits.Backward(PolicyPoint, ActivationView.OfVector(dl, actions), i);
            }
            for (int j = 0; j < hs; j++) dh[j] = dv * w[ValueAt + j];
            for (int a = 0; a < actions; a++)
            {
                float* wp = w + PolicyAt + a * hs;
                for (int j = 0; j < hs; j++) dh[j] += dl[a] * wp[j];
            }
            if (edits is not null && edits.Any(ReluFcPoint)) edits.Backward(ReluFcPoint, ActivationView.OfVector(dh, hidden), i);
            for (int j = 0; j < hs; j++) if (!(z[j] > 0)) dh[j] = 0;   // z as edited at embedder.fc: the patched ReLU pattern
            if (edits is not null && edits.Any(FcPoint)) edits.Backward(FcPoint, ActivationView.OfVector(dh, hidden), i);
        }
        new Span<float>(dFlat, rows * FlatFloats).Clear();
        Gemm.Accumulate(rows, FlatFloats, hidden, dHidden, hs, 1, FcWeights, FlatFloats, dFlat, FlatFloats);
        var last = Blocks[2].Pooled;
        int spatial = last.Height * last.Width, channels = last.Channels;
        var inputGeometry = Plane.Of(Config.InputSize, Config.InputSize, Config.Channels);
        int size = Config.InputSize, cin = Config.Channels;
        for (int n = 0; n < rows; n++)
        {
            int i = start + n;
            float* slot = kept.Slot(i);
            byte* argmax = kept.Argmax(i);
            float* d = ws.DOut[2];
            float* r2 = slot + Blocks[2].R2;
            bool relu3Edited = edits is not null && edits.Any(Relu3Point);
            for (int y = 0; y < last.Height; y++)
                for (int x = 0; x < last.Width; x++)
                {
                    int o = last.Offset(y, x);
                    float* src = dFlat + n * FlatFloats + y * last.Width + x;
                    for (int c = 0; c < last.Stride; c++) d[o + c] = c < channels && (relu3Edited || r2[o + c] > 0) ? src[c * spatial] : 0f;
                }
            if (relu3Edited)
            {
                // d(relu3 as edited) back through its edits, then through the ReLU.
                EditBackward(edits!, Relu3Point, d, last, i);
                MaskByPositive(d, r2, last);
            }
            for (int b = 2; b >= 0; b--)
            {
                var block = Blocks[b];
                int point = b * PointsPerBlock;
                d = ws.DOut[b];
                ResidualBackwardData(Convs[5 * b + 3], Convs[5 * b + 4], slot + block.R1, slot + block.H2, d, ws, b, edits, point + 7, i);
                ResidualBackwardData(Convs[5 * b + 1], Convs[5 * b + 2], slot + block.P, slot + block.H1, d, ws, b, edits, point + 2, i);
                if (edits is not null) EditBackward(edits, point + 1, d, block.Pooled, i);
                PoolKernels.MaxPoolBackward(d, block.Pooled, argmax + block.Argmax, ws.DConv[b], block.Conv);
                if (edits is not null) EditBackward(edits, point, ws.DConv[b], block.Conv, i);
                if (b > 0) ConvKernels.Forward(ws.DConv[b], block.Conv, w + Convs[5 * b].Backward, Zeros, ws.DOut[b - 1], block.Input, null);
                else ConvKernels.Forward(ws.DConv[0], block.Conv, firstLayerToInput!.Pointer, Zeros, dInputPlane, inputGeometry, null);
            }
            float* target = dInputs + (long)i * observationBytes;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    float* src = dInputPlane + inputGeometry.Offset(y, x);
                    float* dst = target + (y * size + x) * cin;
                    for (int c = 0; c < cin; c++) dst[c] = src[c];
                }
        }
    }

    private sealed class InputGradientWork(ImpalaCnn model) : IParallelWork
    {
        private float* dLogits, dValues, dInputs;
        private int batch;

        public void Set(int count, float* dl, float* dv, float* dx)
        {
            batch = count; dLogits = dl; dValues = dv; dInputs = dx;
        }

        public void Execute(int part)
        {
            var (start, end) = PartRange(batch, PartsFor(batch), part);
            model.PartBackwardToInputs(start, end, dLogits, dValues, dInputs, model.workspaces[part], model.inputGradientPlanes![part].Pointer);
        }
    }
}
