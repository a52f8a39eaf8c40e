namespace Misgen.Nn;

public sealed unsafe partial class ImpalaCnn
{
    // Positions in HookPoints: 12 per block (conv, maxpool, then relu1, conv1, relu2, conv2, resadd of each residual), then the head.
    private const int PointsPerBlock = 12, Relu3Point = 36, FcPoint = 37, ReluFcPoint = 38, PolicyPoint = 39, ValuePoint = 40;

    // In a nested class so it is built after HookPoints (static initialisers of partial files have no set order).
    private static class PointTable
    {
        public static readonly Dictionary<string, int> Indices = HookPoints.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
    }

    /// <summary>The position of a hook point in <see cref="HookPoints"/>; MisgenInputException names the valid ones.</summary>
    public static int HookPointIndex(string hookPoint) =>
        PointTable.Indices.TryGetValue(hookPoint, out int index) ? index : throw MisgenInputException.Unknown("hook point", hookPoint, HookPoints);

    /// <summary>
    /// The activation shape (channels, height, width) of one observation at a hook point; vectors are (features, 1, 1).
    /// </summary>
    public (int Channels, int Height, int Width) HookShape(string hookPoint)
    {
        int index = HookPointIndex(hookPoint);
        if (index < Relu3Point)
        {
            var block = Blocks[index / PointsPerBlock];
            var plane = index % PointsPerBlock == 0 ? block.Conv : block.Pooled;
            return (plane.Channels, plane.Height, plane.Width);
        }
        return index switch
        {
            Relu3Point => (Blocks[2].Pooled.Channels, Blocks[2].Pooled.Height, Blocks[2].Pooled.Width),
            FcPoint or ReluFcPoint => (Config.Hidden, 1, 1),
            PolicyPoint => (Config.Actions, 1, 1),
            _ => (1, 1, 1),
        };
    }

    /// <summary>
    /// Inference with activation edits: like <see cref="Forward(ReadOnlySpan{byte}, int, Span{float}, Span{float})"/>
    /// (the same kernels and the same split into parts), with every edit applied to every observation at its hook
    /// point. Edits that change nothing leave the outputs bit-identical; nothing is allocated after warm-up.
    /// </summary>
    public void Forward(ReadOnlySpan<byte> observations, int batch, Span<float> logits, Span<float> values, ActivationEdits? edits)
    {
        CheckArguments(observations, batch, observationBytes, logits.Length, values.Length, Config.Actions);
        EnsureBatch(batch, training: false);
        PackWeights(forBackward: false);
        fixed (byte* obs = observations)
        fixed (float* l = logits)
        fixed (float* v = values)
        {
            forwardWork.Set(obs, batch, l, v, training: false, edits);
            Pool.Run(forwardWork, PartsFor(batch));
        }
    }

    private void Edit(ActivationEdits edits, int point, float* plane, Plane geometry, int sample)
    {
        if (edits.Any(point)) edits.Apply(point, ActivationView.Of(plane, geometry), sample);
    }

    /// <summary>
    /// <see cref="BodyForward"/> with edits: each hook point is materialised and edited in place. With
    /// <paramref name="argmax"/> (a training slot's), the max-pools record their choices for a backward pass.
    /// </summary>
    private void BodyForwardEdited(float* input, float* slot, PartWorkspace ws, ActivationEdits edits, int sample, int first = 0, byte* argmax = null)
    {
        if (first > 0) input = slot + Blocks[first - 1].R2;
        for (int b = first; b < 3; b++)
        {
            var block = Blocks[b];
            var p = block.Pooled;
            int point = b * PointsPerBlock;
            float* relu = ws.Relu[b];
            ConvForward(Convs[5 * b], input, ws.Conv[b], null);
            Edit(edits, point, ws.Conv[b], block.Conv, sample);
            PoolKernels.MaxPool(ws.Conv[b], block.Conv, slot + block.P, p, argmax == null ? null : argmax + block.Argmax);
            Edit(edits, point + 1, slot + block.P, p, sample);
            float* x = slot + block.P;
            for (int r = 0; r < 2; r++)
            {
                int q = point + 2 + 5 * r;
                float* hidden = slot + (r == 0 ? block.H1 : block.H2);
                float* output = slot + (r == 0 ? block.R1 : block.R2);
                Relu(x, relu, p);
                Edit(edits, q, relu, p, sample);
                ConvForward(Convs[5 * b + 1 + 2 * r], relu, hidden, null);
                Edit(edits, q + 1, hidden, p, sample);
                Relu(hidden, relu, p);
                Edit(edits, q + 2, relu, p, sample);
                if (edits.Any(q + 3))
                {
                    // conv2 on its own, edited, then the residual sum (the plain pass fuses the two).
                    ConvForward(Convs[5 * b + 2 + 2 * r], relu, output, null);
                    Edit(edits, q + 3, output, p, sample);
                    AddInterior(output, x, p);
                }
                else ConvForward(Convs[5 * b + 2 + 2 * r], relu, output, x);
                Edit(edits, q + 4, output, p, sample);
                x = output;
            }
            input = slot + block.R2;
        }
    }

    /// <summary>target += addend over the interior of a plane.</summary>
    private static void AddInterior(float* target, float* addend, Plane plane)
    {
        int row = plane.Width * plane.Stride;
        for (int y = 0; y < plane.Height; y++)
        {
            int o = plane.Offset(y, 0);
            float* t = target + o, a = addend + o;
            for (int i = 0; i < row; i++) t[i] += a[i];
        }
    }

    /// <summary>The last block's output, relu'd (edited at embedder.relu3 if asked) and flattened.</summary>
    private void FlattenEdited(float* slot, float* flat, PartWorkspace ws, ActivationEdits edits, int sample)
    {
        var last = Blocks[2].Pooled;
        if (!edits.Any(Relu3Point))
        {
            Flatten(slot + Blocks[2].R2, flat);
            return;
        }
        float* relu = ws.Relu[2];
        Relu(slot + Blocks[2].R2, relu, last);
        Edit(edits, Relu3Point, relu, last, sample);
        Flatten(relu, flat, relu: false);
    }

    /// <summary><see cref="HeadForward"/> with edits at embedder.fc, embedder.relufc, fc_policy and fc_value.</summary>
    private void HeadForwardEdited(int start, int rows, float* flat, float* preActivation, float* hidden, float* logits, float* values, ActivationEdits edits)
    {
        if (!edits.Any(FcPoint) && !edits.Any(ReluFcPoint) && !edits.Any(PolicyPoint) && !edits.Any(ValuePoint))
        {
            HeadForward(rows, flat, preActivation, hidden, logits, values);
            return;
        }
        float* w = Packed;
        int hs = HiddenStride, actions = Config.Actions;
        for (int n = 0; n < rows; n++) new Span<float>(w + FcBiasAt, hs).CopyTo(new Span<float>(preActivation + n * hs, hs));
        Gemm.AccumulateTransposedB(rows, Config.Hidden, FlatFloats, flat, FlatFloats, FcWeights, FlatFloats, preActivation, hs);
        for (int n = 0; n < rows; n++)
        {
            float* z = preActivation + n * hs, h = hidden + n * hs;
            if (edits.Any(FcPoint)) edits.Apply(FcPoint, ActivationView.OfVector(z, Config.Hidden), start + n);
            ReluRow(z, h, hs);
            if (edits.Any(ReluFcPoint)) edits.Apply(ReluFcPoint, ActivationView.OfVector(h, Config.Hidden), start + n);
            for (int a = 0; a < actions; a++) logits[n * actions + a] = w[PolicyBiasAt + a] + Dot(h, w + PolicyAt + a * hs, hs);
            values[n] = w[ValueBiasAt] + Dot(h, w + ValueAt, hs);
            if (edits.Any(PolicyPoint)) edits.Apply(PolicyPoint, ActivationView.OfVector(logits + n * actions, actions), start + n);
            if (edits.Any(ValuePoint)) edits.Apply(ValuePoint, ActivationView.OfVector(values + n, 1), start + n);
        }
    }
}
