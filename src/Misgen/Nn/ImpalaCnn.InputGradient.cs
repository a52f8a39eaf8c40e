namespace Misgen.Nn;

/// <remarks>
/// The gradient with respect to the input, for attribution (saliency, integrated gradients): a forward pass
/// on float observations that keeps the activations, then a backward pass that computes only the data
/// gradients (no parameter gradients) down to the input plane.
/// </remarks>
public sealed unsafe partial class ImpalaCnn
{
    private AlignedFloats? firstLayerToInput;  // block1 conv, packed for the data gradient into a 16-channel-padded plane
    private AlignedFloats[]? inputGradientPlanes;
    private InputGradientWork? inputGradientWork;
    private bool trainedOnInputs;

    /// <summary>Floats of one observation for <see cref="ForwardInputs"/>: InputSize x InputSize x Channels.</summary>
    public int InputFloats => observationBytes;

    /// <summary>
    /// Forward pass on float observations (HWC, the values the network sees: a byte observation is byte / 255),
    /// keeping what <see cref="BackwardToInputs"/> needs. Integrated gradients feed it scaled observations.
    /// </summary>
    public void ForwardInputs(ReadOnlySpan<float> inputs, int batch, Span<float> logits, Span<float> values)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "must be at least 1");
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
            forwardWork.SetInputs(x, batch, l, v);
            Pool.Run(forwardWork, PartsFor(batch));
        }
        trainedBatch = batch;
        trainedOnInputs = true;
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

    /// <summary>Data gradient through one residual block: out = x + convB(relu(h)), h = convA(relu(x)); d holds dOut, becomes dx.</summary>
    private void ResidualBackwardData(ConvLayer convA, ConvLayer convB, float* x, float* h, float* d, PartWorkspace ws, int b)
    {
        var p = convA.Output;
        float* w = Packed;
        float* t1 = ws.T1[b], t2 = ws.T2[b];
        ConvKernels.Forward(d, p, w + convB.Backward, Zeros, t1, p, null);   // d relu(h)
        MaskByPositive(t1, h, p);                                            // dh
        ConvKernels.Forward(t1, p, w + convA.Backward, Zeros, t2, p, null);  // d relu(x)
        AddMasked(d, t2, x, p);                                              // dx = dOut + d relu(x) * (x > 0)
    }

    /// <summary>Heads, fc and body backward for a run of observations, data gradients only, down to the inputs.</summary>
    private void PartBackwardToInputs(int start, int end, float* dLogits, float* dValues, float* dInputs, PartWorkspace ws, float* dInputPlane)
    {
        var kept = store!;
        int rows = end - start, hs = HiddenStride, actions = Config.Actions, hidden = Config.Hidden;
        float* w = Packed;
        float* dHidden = ws.DHidden, dFlat = ws.DFlat;
        for (int n = 0; n < rows; n++)
        {
            int i = start + n;
            float* z = kept.PreActivation + (long)i * hs;
            float* dh = dHidden + n * hs;
            float dv = dValues[i];
            for (int j = 0; j < hs; j++) dh[j] = dv * w[ValueAt + j];
            for (int a = 0; a < actions; a++)
            {
                float dl = dLogits[i * actions + a];
                float* wp = w + PolicyAt + a * hs;
                for (int j = 0; j < hs; j++) dh[j] += dl * wp[j];
            }
            for (int j = 0; j < hs; j++) if (!(z[j] > 0)) dh[j] = 0;
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
            for (int y = 0; y < last.Height; y++)
                for (int x = 0; x < last.Width; x++)
                {
                    int o = last.Offset(y, x);
                    float* src = dFlat + n * FlatFloats + y * last.Width + x;
                    for (int c = 0; c < last.Stride; c++) d[o + c] = c < channels && r2[o + c] > 0 ? src[c * spatial] : 0f;
                }
            for (int b = 2; b >= 0; b--)
            {
                var block = Blocks[b];
                d = ws.DOut[b];
                ResidualBackwardData(Convs[5 * b + 3], Convs[5 * b + 4], slot + block.R1, slot + block.H2, d, ws, b);
                ResidualBackwardData(Convs[5 * b + 1], Convs[5 * b + 2], slot + block.P, slot + block.H1, d, ws, b);
                PoolKernels.MaxPoolBackward(d, block.Pooled, argmax + block.Argmax, ws.DConv[b], block.Conv);
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
