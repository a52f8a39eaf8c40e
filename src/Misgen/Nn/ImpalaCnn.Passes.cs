using System.Runtime.Intrinsics;

namespace Misgen.Nn;

public sealed unsafe partial class ImpalaCnn
{
    private PartWorkspace[] workspaces = [];
    private int maxBatch = 256;
    private TrainingStore? store;
    private AlignedFloats? partialGradients;
    private AlignedFloats? totalGradients;
    private readonly ForwardWork forwardWork;
    private readonly BackwardWork backwardWork;
    private readonly ReduceWork reduceWork;
    private int trainedBatch = -1;

    /// <summary>The threads this model runs on; null (the default) means <see cref="WorkerPool.Shared"/>.</summary>
    public WorkerPool? ThreadPool { get; set; }

    private WorkerPool Pool => ThreadPool ?? WorkerPool.Shared;

    /// <summary>Largest batch the workspaces hold; grows on demand (the only time a pass allocates).</summary>
    public int MaxBatch
    {
        get => maxBatch;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "must be at least 1");
            if (value == maxBatch) return;
            maxBatch = value;
            workspaces = [];
            store = null;
            trainedBatch = -1; // the kept activations went with the store
        }
    }

    /// <summary>Parts a batch is split into: a function of the batch size only (never of the thread count).</summary>
    internal static int PartsFor(int batch) => Math.Min(batch, MaxParts);

    private static (int Start, int End) PartRange(int batch, int parts, int part) =>
        ((int)((long)batch * part / parts), (int)((long)batch * (part + 1) / parts));

    private int ChunkCapacity => Math.Max(1, (maxBatch + MaxParts - 1) / MaxParts);

    private void EnsureBatch(int batch, bool training)
    {
        if (batch > maxBatch) MaxBatch = batch;
        if (workspaces.Length == 0)
        {
            workspaces = new PartWorkspace[MaxParts];
            for (int i = 0; i < MaxParts; i++) workspaces[i] = new PartWorkspace(this, ChunkCapacity);
        }
        if (training && store is null) store = new TrainingStore(this, maxBatch);
    }

    private static void CheckArguments(ReadOnlySpan<byte> observations, int batch, int bytesPerObservation, int logits, int values, int actions)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "must be at least 1");
        if (observations.Length < (long)batch * bytesPerObservation)
            throw new ArgumentException($"observations hold {observations.Length} bytes, {batch} observations need {(long)batch * bytesPerObservation}");
        if (logits < batch * actions) throw new ArgumentException($"logits hold {logits} values, need {batch * actions}");
        if (values < batch) throw new ArgumentException($"values hold {values} values, need {batch}");
    }

    /// <summary>Inference: logits (batch x Actions) and values (batch) for HWC RGB byte observations.</summary>
    public void Forward(ReadOnlySpan<byte> observations, int batch, Span<float> logits, Span<float> values)
    {
        CheckArguments(observations, batch, observationBytes, logits.Length, values.Length, Config.Actions);
        EnsureBatch(batch, training: false);
        PackWeights(forBackward: false);
        fixed (byte* obs = observations)
        fixed (float* l = logits)
        fixed (float* v = values)
        {
            forwardWork.Set(obs, batch, l, v, training: false);
            Pool.Run(forwardWork, PartsFor(batch));
        }
    }

    /// <summary>Like <see cref="Forward"/>, and keeps the activations <see cref="Backward"/> needs.</summary>
    public void ForwardTrain(ReadOnlySpan<byte> observations, int batch, Span<float> logits, Span<float> values)
    {
        CheckArguments(observations, batch, observationBytes, logits.Length, values.Length, Config.Actions);
        EnsureBatch(batch, training: true);
        PackWeights(forBackward: true);
        var kept = store!;
        observations[..(batch * observationBytes)].CopyTo(kept.Observations);
        fixed (byte* obs = kept.Observations)
        fixed (float* l = logits)
        fixed (float* v = values)
        {
            forwardWork.Set(obs, batch, l, v, training: true);
            Pool.Run(forwardWork, PartsFor(batch));
        }
        trainedBatch = batch;
        trainedOnInputs = false;
    }

    /// <summary>Accumulates dLoss/dParameter into <see cref="Parameter.Grad"/> for the last <see cref="ForwardTrain"/>.</summary>
    public void Backward(ReadOnlySpan<float> dLogits, ReadOnlySpan<float> dValues)
    {
        int batch = trainedBatch;
        if (batch < 1 || store is null || trainedOnInputs) throw new InvalidOperationException("Backward needs a ForwardTrain first");
        if (dLogits.Length < batch * Config.Actions || dValues.Length < batch)
            throw new ArgumentException($"gradients for {batch} observations need {batch * Config.Actions} logits and {batch} values");
        int parts = PartsFor(batch);
        partialGradients ??= new AlignedFloats((long)MaxParts * GradFloats);
        totalGradients ??= new AlignedFloats(GradFloats);
        fixed (float* dl = dLogits)
        fixed (float* dv = dValues)
        {
            backwardWork.Set(store.Observations, batch, dl, dv);
            Pool.Run(backwardWork, parts);
        }
        reduceWork.Set(parts);
        Pool.Run(reduceWork, ReduceWork.Slices);
        UnpackGradients(totalGradients.Pointer);
    }

    // ---------------------------------------------------------------- per-observation passes

    /// <summary>The convolutional body for one observation: stores the planes of every block in slot.</summary>
    internal void BodyForward(byte* observation, float* slot, byte* argmax, PartWorkspace ws)
    {
        PackObservation(observation, ws.Input);
        BodyForward(ws.Input, slot, argmax, ws);
    }

    /// <summary>The body for one observation already in the first layer's input plane (from block <paramref name="first"/>: the earlier blocks' planes are in the slot).</summary>
    private void BodyForward(float* input, float* slot, byte* argmax, PartWorkspace ws, int first = 0)
    {
        if (first > 0) input = slot + Blocks[first - 1].R2;
        for (int b = first; b < 3; b++)
        {
            var block = Blocks[b];
            var p = block.Pooled;
            float* relu = ws.Relu[b];
            ConvForward(Convs[5 * b], input, ws.Conv[b], null);
            PoolKernels.MaxPool(ws.Conv[b], block.Conv, slot + block.P, p, argmax == null ? null : argmax + block.Argmax);
            Relu(slot + block.P, relu, p);
            ConvForward(Convs[5 * b + 1], relu, slot + block.H1, null);
            Relu(slot + block.H1, relu, p);
            ConvForward(Convs[5 * b + 2], relu, slot + block.R1, slot + block.P);
            Relu(slot + block.R1, relu, p);
            ConvForward(Convs[5 * b + 3], relu, slot + block.H2, null);
            Relu(slot + block.H2, relu, p);
            ConvForward(Convs[5 * b + 4], relu, slot + block.R2, slot + block.R1);
            input = slot + block.R2;
        }
    }

    internal void ConvForward(ConvLayer conv, float* input, float* output, float* addend) =>
        ConvKernels.Forward(input, conv.Input, Packed + conv.Forward, Packed + conv.Bias, output, conv.Output, addend);

    /// <summary>relu of the interior of a plane into another plane of the same geometry (borders untouched, zero).</summary>
    internal static void Relu(float* source, float* target, Plane plane)
    {
        int row = plane.Width * plane.Stride;
        for (int y = 0; y < plane.Height; y++)
        {
            int o = plane.Offset(y, 0);
            ReluRow(source + o, target + o, row);
        }
    }

    internal static void ReluRow(float* source, float* target, int count)
    {
        int i = 0;
        if (ConvKernels.Simd)
            for (; i + 16 <= count; i += 16) Vector512.Max(Vector512.Load(source + i), Vector512<float>.Zero).Store(target + i);
        for (; i < count; i++) target[i] = MathF.Max(source[i], 0f);
    }

    /// <summary>relu (optional) of the last block's output, flattened in PyTorch's CHW order.</summary>
    internal void Flatten(float* plane, float* flat, bool relu = true)
    {
        var p = Blocks[2].Pooled;
        int channels = p.Channels, spatial = p.Height * p.Width;
        for (int y = 0; y < p.Height; y++)
            for (int x = 0; x < p.Width; x++)
            {
                float* src = plane + p.Offset(y, x);
                float* dst = flat + y * p.Width + x;
                for (int c = 0; c < channels; c++) dst[c * spatial] = relu ? MathF.Max(src[c], 0f) : src[c];
            }
    }

    /// <summary>fc + relu + heads for rows observations whose flattened embeddings are in flat.</summary>
    internal void HeadForward(int rows, float* flat, float* preActivation, float* hidden, float* logits, float* values)
    {
        float* w = Packed;
        int hs = HiddenStride;
        for (int n = 0; n < rows; n++) new Span<float>(w + FcBiasAt, hs).CopyTo(new Span<float>(preActivation + n * hs, hs));
        Gemm.AccumulateTransposedB(rows, Config.Hidden, FlatFloats, flat, FlatFloats, FcWeights, FlatFloats, preActivation, hs);
        ReluRow(preActivation, hidden, rows * hs);
        for (int n = 0; n < rows; n++)
        {
            float* h = hidden + n * hs;
            for (int a = 0; a < Config.Actions; a++) logits[n * Config.Actions + a] = w[PolicyBiasAt + a] + Dot(h, w + PolicyAt + a * hs, hs);
            values[n] = w[ValueBiasAt] + Dot(h, w + ValueAt, hs);
        }
    }

    internal static float Dot(float* a, float* b, int count)
    {
        int i = 0;
        float sum = 0;
        if (ConvKernels.Simd)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= count; i += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), acc);
            sum = Vector512.Sum(acc);
        }
        for (; i < count; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Backward through one residual block: out = x + convB(relu(h)), h = convA(relu(x)); d holds dOut, becomes dx.</summary>
    private void ResidualBackward(ConvLayer convA, ConvLayer convB, float* x, float* h, float* d, PartWorkspace ws, int b, float* grads)
    {
        var p = convA.Output;
        float* w = Packed;
        float* t1 = ws.T1[b], t2 = ws.T2[b], relu = ws.Relu[b];
        ConvKernels.Forward(d, p, w + convB.Backward, Zeros, t1, p, null);          // d relu(h)
        Relu(h, relu, p);
        ConvKernels.WeightGrad(relu, p, d, p, grads + convB.GradWeight, grads + convB.GradBias);
        MaskByPositive(t1, h, p);                                                   // dh
        ConvKernels.Forward(t1, p, w + convA.Backward, Zeros, t2, p, null);         // d relu(x)
        Relu(x, relu, p);
        ConvKernels.WeightGrad(relu, p, t1, p, grads + convA.GradWeight, grads + convA.GradBias);
        AddMasked(d, t2, x, p);                                                     // dx = dOut + d relu(x) * (x > 0)
    }

    /// <summary>values *= (reference &gt; 0) over the interior.</summary>
    private static void MaskByPositive(float* values, float* reference, Plane plane)
    {
        int row = plane.Width * plane.Stride;
        for (int y = 0; y < plane.Height; y++)
        {
            int o = plane.Offset(y, 0);
            float* v = values + o, r = reference + o;
            int i = 0;
            if (ConvKernels.Simd)
                for (; i + 16 <= row; i += 16)
                    Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Load(r + i), Vector512<float>.Zero), Vector512.Load(v + i), Vector512<float>.Zero).Store(v + i);
            for (; i < row; i++) v[i] = r[i] > 0 ? v[i] : 0f;
        }
    }

    /// <summary>target += addend * (reference &gt; 0) over the interior.</summary>
    private static void AddMasked(float* target, float* addend, float* reference, Plane plane)
    {
        int row = plane.Width * plane.Stride;
        for (int y = 0; y < plane.Height; y++)
        {
            int o = plane.Offset(y, 0);
            float* t = target + o, a = addend + o, r = reference + o;
            int i = 0;
            if (ConvKernels.Simd)
                for (; i + 16 <= row; i += 16)
                    (Vector512.Load(t + i) + Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Load(r + i), Vector512<float>.Zero), Vector512.Load(a + i), Vector512<float>.Zero)).Store(t + i);
            for (; i < row; i++) t[i] += r[i] > 0 ? a[i] : 0f;
        }
    }

    /// <summary>Backward through the body of one observation; dLast holds d(block3 output) and is overwritten.</summary>
    private void BodyBackward(byte* observation, float* slot, byte* argmax, PartWorkspace ws, float* grads)
    {
        float* w = Packed;
        for (int b = 2; b >= 0; b--)
        {
            var block = Blocks[b];
            float* d = ws.DOut[b];
            ResidualBackward(Convs[5 * b + 3], Convs[5 * b + 4], slot + block.R1, slot + block.H2, d, ws, b, grads);
            ResidualBackward(Convs[5 * b + 1], Convs[5 * b + 2], slot + block.P, slot + block.H1, d, ws, b, grads);
            PoolKernels.MaxPoolBackward(d, block.Pooled, argmax + block.Argmax, ws.DConv[b], block.Conv);
            var conv = Convs[5 * b];
            float* input;
            if (b == 0)
            {
                PackObservation(observation, ws.Input);
                input = ws.Input;
            }
            else input = slot + Blocks[b - 1].R2;
            ConvKernels.WeightGrad(input, block.Input, ws.DConv[b], block.Conv, grads + conv.GradWeight, grads + conv.GradBias);
            if (b > 0) ConvKernels.Forward(ws.DConv[b], block.Conv, w + conv.Backward, Zeros, ws.DOut[b - 1], block.Input, null);
        }
    }

    /// <summary>Backward of heads and fc for a run of observations, then of each body.</summary>
    private void PartBackward(int start, int end, byte* observations, float* dLogits, float* dValues, PartWorkspace ws, float* grads)
    {
        var kept = store!;
        int rows = end - start, hs = HiddenStride, actions = Config.Actions, hidden = Config.Hidden;
        float* w = Packed;
        new Span<float>(grads, GradFloats).Clear();
        float* dHidden = ws.DHidden, hiddenAct = ws.Hidden, flat = ws.Flat, dFlat = ws.DFlat;
        for (int n = 0; n < rows; n++)
        {
            int i = start + n;
            float* z = kept.PreActivation + (long)i * hs;
            float* h = hiddenAct + n * hs;
            ReluRow(z, h, hs);
            float* dh = dHidden + n * hs;
            float dv = dValues[i];
            for (int j = 0; j < hs; j++) dh[j] = dv * w[ValueAt + j];
            for (int a = 0; a < actions; a++)
            {
                float dl = dLogits[i * actions + a];
                float* wp = w + PolicyAt + a * hs;
                for (int j = 0; j < hs; j++) dh[j] += dl * wp[j];
                float* gp = grads + GradPolicy + a * hs;
                for (int j = 0; j < hs; j++) gp[j] += dl * h[j];
                grads[GradPolicyBias + a] += dl;
            }
            float* gv = grads + GradValue;
            for (int j = 0; j < hs; j++) gv[j] += dv * h[j];
            grads[GradValueBias] += dv;
            for (int j = 0; j < hs; j++) if (!(z[j] > 0)) dh[j] = 0;
            float* gb = grads + GradFcBias;
            for (int j = 0; j < hs; j++) gb[j] += dh[j];
            Flatten(kept.Slot(i) + Blocks[2].R2, flat + n * FlatFloats);
        }
        Gemm.Accumulate(hidden, FlatFloats, rows, dHidden, 1, hs, flat, FlatFloats, grads + GradFc, FlatFloats);
        new Span<float>(dFlat, rows * FlatFloats).Clear();
        Gemm.Accumulate(rows, FlatFloats, hidden, dHidden, hs, 1, FcWeights, FlatFloats, dFlat, FlatFloats);
        var last = Blocks[2].Pooled;
        int spatial = last.Height * last.Width, channels = last.Channels;
        for (int n = 0; n < rows; n++)
        {
            int i = start + n;
            float* slot = kept.Slot(i);
            float* d = ws.DOut[2];
            float* r2 = slot + Blocks[2].R2;
            for (int y = 0; y < last.Height; y++)
                for (int x = 0; x < last.Width; x++)
                {
                    int o = last.Offset(y, x);
                    float* src = dFlat + n * FlatFloats + y * last.Width + x;
                    for (int c = 0; c < last.Stride; c++) d[o + c] = c < channels && r2[o + c] > 0 ? src[c * spatial] : 0f;
                }
            BodyBackward(observations + (long)i * observationBytes, slot, kept.Argmax(i), ws, grads);
        }
    }

    // ---------------------------------------------------------------- parallel work items

    private sealed class ForwardWork(ImpalaCnn model) : IParallelWork
    {
        private byte* observations;
        private float* inputs; // float observations (the values the network sees) instead of bytes, for input gradients
        private float* logits, values;
        private int batch;
        private bool training;
        private ActivationEdits? edits;

        public void Set(byte* obs, int count, float* l, float* v, bool training, ActivationEdits? edits = null)
        {
            observations = obs; inputs = null; batch = count; logits = l; values = v; this.training = training; this.edits = edits;
        }

        public void SetInputs(float* floats, int count, float* l, float* v, ActivationEdits? edits)
        {
            observations = null; inputs = floats; batch = count; logits = l; values = v; training = true; this.edits = edits;
        }

        public void Execute(int part)
        {
            var (start, end) = PartRange(batch, PartsFor(batch), part);
            var ws = model.workspaces[part];
            var kept = model.store;
            int actions = model.Config.Actions;
            for (int i = start; i < end; i++)
            {
                float* slot = training ? kept!.Slot(i) : ws.Slot;
                float* flat = ws.Flat + (i - start) * model.FlatFloats;
                if (edits is not null)
                {
                    if (inputs != null) model.PackInputs(inputs + (long)i * model.observationBytes, ws.Input);
                    else model.PackObservation(observations + (long)i * model.observationBytes, ws.Input);
                    model.BodyForwardEdited(ws.Input, slot, ws, edits, i, argmax: training ? kept!.Argmax(i) : null);
                    model.FlattenEdited(slot, flat, ws, edits, i);
                    continue;
                }
                if (inputs != null)
                {
                    model.PackInputs(inputs + (long)i * model.observationBytes, ws.Input);
                    model.BodyForward(ws.Input, slot, kept!.Argmax(i), ws);
                }
                else model.BodyForward(observations + (long)i * model.observationBytes, slot, training ? kept!.Argmax(i) : null, ws);
                model.Flatten(slot + model.Blocks[2].R2, flat);
            }
            float* pre = training ? kept!.PreActivation + (long)start * model.HiddenStride : ws.PreActivation;
            if (edits is not null)
                model.HeadForwardEdited(start, end - start, ws.Flat, pre, ws.Hidden, logits + start * actions, values + start, edits);
            else model.HeadForward(end - start, ws.Flat, pre, ws.Hidden, logits + start * actions, values + start);
        }
    }

    private sealed class BackwardWork(ImpalaCnn model) : IParallelWork
    {
        private byte* observations;
        private float* dLogits, dValues;
        private int batch;

        public void Set(byte[] obs, int count, float* dl, float* dv)
        {
            fixed (byte* o = obs) observations = o; // the store's arrays are pinned
            batch = count; dLogits = dl; dValues = dv;
        }

        public void Execute(int part)
        {
            var (start, end) = PartRange(batch, PartsFor(batch), part);
            model.PartBackward(start, end, observations, dLogits, dValues, model.workspaces[part],
                model.partialGradients!.Pointer + (long)part * model.GradFloats);
        }
    }

    /// <summary>Sums the parts' partial gradients in part order, split over fixed slices of the gradient.</summary>
    private sealed class ReduceWork(ImpalaCnn model) : IParallelWork
    {
        public const int Slices = 16;
        private int parts;

        public void Set(int count) => parts = count;

        public void Execute(int slice)
        {
            long total = model.GradFloats;
            long start = total * slice / Slices & ~15L, end = slice == Slices - 1 ? total : total * (slice + 1) / Slices & ~15L;
            float* target = model.totalGradients!.Pointer;
            float* partial = model.partialGradients!.Pointer;
            new Span<float>(target + start, (int)(end - start)).Clear();
            for (int p = 0; p < parts; p++)
            {
                float* src = partial + p * total;
                long i = start;
                if (ConvKernels.Simd)
                    for (; i + 16 <= end; i += 16) (Vector512.Load(target + i) + Vector512.Load(src + i)).Store(target + i);
                for (; i < end; i++) target[i] += src[i];
            }
        }
    }
}
