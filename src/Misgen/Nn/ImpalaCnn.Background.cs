namespace Misgen.Nn;

/// <summary>
/// A policy that can run a batch of observations that are one background picture with small changes (a vector
/// field: one level with the agent on each cell) faster than one by one, with the same outputs.
/// </summary>
public interface IBackgroundPolicy : IPolicy
{
    /// <summary>Like <see cref="IPolicy.Forward"/>; every observation should differ from <paramref name="background"/> in a small region.</summary>
    void ForwardOverBackground(ReadOnlySpan<byte> background, ReadOnlySpan<byte> observations, int batch, Span<float> logits, Span<float> values);
}

/// <remarks>
/// Observations over a shared background: block 1 (the full-resolution convolution and the residual blocks at half
/// resolution, about 45 % of a 64x64 pass) is computed once for the background, and for each observation only where
/// the observation differs from it: the rectangle of changed pixels, grown by one pixel per convolution and mapped
/// through the max-pool. Every recomputed value is computed exactly as the whole-plane pass computes it (the window
/// kernels share the whole-plane kernels' order of operations), so outputs are bit-identical to
/// <see cref="Forward(ReadOnlySpan{byte}, int, Span{float}, Span{float})"/>; blocks 2 and 3 and the heads run as usual.
/// </remarks>
public sealed unsafe partial class ImpalaCnn : IBackgroundPolicy
{
    private AlignedFloats? backgroundPlanes; // block 1 of the background: the conv plane, then the five slot planes
    private BackgroundWork? backgroundWork;

    public void ForwardOverBackground(ReadOnlySpan<byte> background, ReadOnlySpan<byte> observations, int batch, Span<float> logits, Span<float> values) =>
        ForwardOverBackground(background, observations, batch, logits, values, null);

    /// <summary>With activation edits; edits in block 1 fall back to the plain edited pass (block 1 is then computed in full).</summary>
    public void ForwardOverBackground(ReadOnlySpan<byte> background, ReadOnlySpan<byte> observations, int batch, Span<float> logits, Span<float> values, ActivationEdits? edits)
    {
        if (background.Length < observationBytes) throw new ArgumentException($"the background holds {background.Length} bytes, an observation {observationBytes}");
        if (edits is not null && Enumerable.Range(0, PointsPerBlock).Any(edits.Any))
        {
            Forward(observations, batch, logits, values, edits);
            return;
        }
        CheckArguments(observations, batch, observationBytes, logits.Length, values.Length, Config.Actions);
        EnsureBatch(batch, training: false);
        PackWeights(forBackward: false);
        var block = Blocks[0];
        int convFloats = block.Conv.Floats, slotFloats = 5 * block.Pooled.Floats;
        backgroundPlanes ??= new AlignedFloats(convFloats + slotFloats);
        backgroundWork ??= new BackgroundWork(this);
        var ws = workspaces[0];
        fixed (byte* bg = background)
            BodyForward(bg, ws.Slot, null, ws);
        new Span<float>(ws.Conv[0], convFloats).CopyTo(new Span<float>(backgroundPlanes.Pointer, convFloats));
        new Span<float>(ws.Slot + block.Slot, slotFloats).CopyTo(new Span<float>(backgroundPlanes.Pointer + convFloats, slotFloats));
        fixed (byte* bg = background)
        fixed (byte* obs = observations)
        fixed (float* l = logits)
        fixed (float* v = values)
        {
            backgroundWork.Set(bg, obs, batch, l, v, edits);
            Pool.Run(backgroundWork, PartsFor(batch));
        }
    }

    /// <summary>The rectangle of pixels where two HWC observations differ (empty when equal).</summary>
    private Window ChangedPixels(byte* background, byte* observation)
    {
        int size = Config.InputSize, row = size * Config.Channels;
        int y0 = -1, y1 = -1, x0 = size, x1 = -1;
        for (int y = 0; y < size; y++)
        {
            var a = new ReadOnlySpan<byte>(background + y * row, row);
            var b = new ReadOnlySpan<byte>(observation + y * row, row);
            int first = a.CommonPrefixLength(b);
            if (first == row) continue;
            int last = row - 1;
            while (a[last] == b[last]) last--;
            if (y0 < 0) y0 = y;
            y1 = y;
            x0 = Math.Min(x0, first / Config.Channels);
            x1 = Math.Max(x1, last / Config.Channels);
        }
        return y0 < 0 ? Window.Empty : new Window(y0, y1 + 1, x0, x1 + 1);
    }

    /// <summary>Relu of a window of a plane into the same window of another.</summary>
    private static void Relu(float* source, float* target, Plane plane, Window window)
    {
        int count = (window.X1 - window.X0) * plane.Stride;
        for (int y = window.Y0; y < window.Y1; y++)
        {
            int o = plane.Offset(y, window.X0);
            ReluRow(source + o, target + o, count);
        }
    }

    /// <summary>Copies a window of a plane from <paramref name="source"/> into <paramref name="target"/>.</summary>
    private static void CopyWindow(float* source, float* target, Plane plane, Window window)
    {
        if (window.IsEmpty) return;
        int count = (window.X1 - window.X0) * plane.Stride;
        for (int y = window.Y0; y < window.Y1; y++)
        {
            int o = plane.Offset(y, window.X0);
            new ReadOnlySpan<float>(source + o, count).CopyTo(new Span<float>(target + o, count));
        }
    }

    /// <summary>
    /// Block 1 of one observation whose planes hold the background's: recomputes the changed windows in place and
    /// returns the windows changed (pooled input of the residual blocks), so they can be restored afterwards.
    /// </summary>
    private Window BlockOneOverBackground(float* input, float* slot, PartWorkspace ws, Window changed)
    {
        var block = Blocks[0];
        var p = block.Pooled;
        var conv = changed.Grow(1, block.Conv);
        ConvKernels.Forward(input, block.Input, Packed + Convs[0].Forward, Packed + Convs[0].Bias, ws.Conv[0], block.Conv, null, conv);
        var x = conv.Pooled(p);
        PoolKernels.MaxPool(ws.Conv[0], block.Conv, slot + block.P, p, null, x);
        float* relu = ws.Relu[0];
        for (int r = 0; r < 2; r++)
        {
            // out = in + conv2(relu(conv1(relu(in)))), in changed on x: conv1 changes x+1 (reading relu(in) on x+2),
            // conv2 and out change x+2 (reading relu(h) on x+3).
            float* input_ = slot + (r == 0 ? block.P : block.R1);
            float* hidden = slot + (r == 0 ? block.H1 : block.H2);
            float* output = slot + (r == 0 ? block.R1 : block.R2);
            Relu(input_, relu, p, x.Grow(2, p));
            ConvKernels.Forward(relu, p, Packed + Convs[1 + 2 * r].Forward, Packed + Convs[1 + 2 * r].Bias, hidden, p, null, x.Grow(1, p));
            Relu(hidden, relu, p, x.Grow(3, p));
            ConvKernels.Forward(relu, p, Packed + Convs[2 + 2 * r].Forward, Packed + Convs[2 + 2 * r].Bias, output, p, input_, x.Grow(2, p));
            x = x.Grow(2, p);
        }
        return conv;
    }

    /// <summary>Puts the background's block-1 values back where <see cref="BlockOneOverBackground"/> changed them.</summary>
    private void RestoreBlockOne(float* slot, PartWorkspace ws, Window conv)
    {
        var block = Blocks[0];
        var p = block.Pooled;
        float* saved = backgroundPlanes!.Pointer;
        float* savedSlot = saved + block.Conv.Floats - block.Slot; // so savedSlot + block.P is the saved P plane
        CopyWindow(saved, ws.Conv[0], block.Conv, conv);
        var x = conv.Pooled(p);
        CopyWindow(savedSlot + block.P, slot + block.P, p, x);
        CopyWindow(savedSlot + block.H1, slot + block.H1, p, x.Grow(1, p));
        CopyWindow(savedSlot + block.R1, slot + block.R1, p, x.Grow(2, p));
        CopyWindow(savedSlot + block.H2, slot + block.H2, p, x.Grow(3, p));
        CopyWindow(savedSlot + block.R2, slot + block.R2, p, x.Grow(4, p));
    }

    private sealed class BackgroundWork(ImpalaCnn model) : IParallelWork
    {
        private byte* background, observations;
        private float* logits, values;
        private int batch;
        private ActivationEdits? edits;

        public void Set(byte* bg, byte* obs, int count, float* l, float* v, ActivationEdits? edits)
        {
            background = bg; observations = obs; batch = count; logits = l; values = v; this.edits = edits;
        }

        public void Execute(int part)
        {
            var (start, end) = PartRange(batch, PartsFor(batch), part);
            var ws = model.workspaces[part];
            var block = model.Blocks[0];
            float* slot = ws.Slot, saved = model.backgroundPlanes!.Pointer;
            int convFloats = block.Conv.Floats, slotFloats = 5 * block.Pooled.Floats;
            new ReadOnlySpan<float>(saved, convFloats).CopyTo(new Span<float>(ws.Conv[0], convFloats));
            new ReadOnlySpan<float>(saved + convFloats, slotFloats).CopyTo(new Span<float>(slot + block.Slot, slotFloats));
            int actions = model.Config.Actions;
            for (int i = start; i < end; i++)
            {
                byte* obs = observations + (long)i * model.observationBytes;
                var changed = model.ChangedPixels(background, obs);
                model.PackObservation(obs, ws.Input);
                var conv = model.BlockOneOverBackground(ws.Input, slot, ws, changed);
                float* flat = ws.Flat + (i - start) * model.FlatFloats;
                if (edits is not null)
                {
                    model.BodyForwardEdited(ws.Input, slot, ws, edits, i, first: 1);
                    model.FlattenEdited(slot, flat, ws, edits, i);
                }
                else
                {
                    model.BodyForward(ws.Input, slot, null, ws, first: 1);
                    model.Flatten(slot + model.Blocks[2].R2, flat);
                }
                model.RestoreBlockOne(slot, ws, conv);
            }
            if (edits is not null)
                model.HeadForwardEdited(start, end - start, ws.Flat, ws.PreActivation, ws.Hidden, logits + start * actions, values + start, edits);
            else model.HeadForward(end - start, ws.Flat, ws.PreActivation, ws.Hidden, logits + start * actions, values + start);
        }
    }
}
