using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Misgen.Nn;

/// <summary>
/// The IMPALA-CNN actor-critic of the study (docs/ORIGINS.md §3): three blocks of
/// [conv3x3 -> maxpool(3, 2, 1) -> residual -> residual], then relu, flatten, fc, relu and the
/// policy and value heads. Parameters keep the PyTorch names and layouts; the kernels work on
/// packed copies (NHWC activations, channels padded to 16), repacked at the start of every pass so
/// any change to <see cref="Parameter.Value"/> takes effect.
/// </summary>
/// <remarks>
/// Work is split into a number of parts that depends only on the batch size (at most 16 runs of
/// consecutive observations); each part writes its own outputs and its own partial gradient,
/// and partial gradients are summed in part order, so results are bit-identical on any thread count.
/// After the first call at a given batch size nothing is allocated. A model is not safe for
/// concurrent calls from several threads (its workspaces are shared); use one model per thread.
/// A training pass keeps about 0.65 MB per 64x64 observation (16/32/32) for the backward pass, so
/// very large minibatches are best split into chunks whose gradients <see cref="Backward"/> accumulates.
/// </remarks>
public sealed unsafe partial class ImpalaCnn : IPolicy
{
    internal const int MaxParts = 16;

    private readonly List<Parameter> parameters = [];
    internal readonly ConvLayer[] Convs = new ConvLayer[15];
    internal readonly Block[] Blocks = new Block[3];
    internal readonly int FlatFloats;   // width3 * F * F: the flattened embedding, in PyTorch's CHW order
    internal readonly int HiddenStride; // Hidden rounded up to 16
    private readonly Parameter fcWeight, fcBias, policyWeight, policyBias, valueWeight, valueBias;
    private readonly AlignedFloats packed;
    private readonly AlignedFloats zeros;
    internal readonly int FcBiasAt, PolicyAt, PolicyBiasAt, ValueAt, ValueBiasAt;
    internal readonly int GradFloats, GradFc, GradFcBias, GradPolicy, GradPolicyBias, GradValue, GradValueBias;
    internal readonly int SlotFloats, SlotArgmax; // per-observation stored activations (floats) and pooling argmaxes (bytes)
    private readonly Plane inputPlane;
    private readonly int observationBytes;

    public ImpalaCnn(ImpalaConfig config, ulong seed) : this(config)
    {
        Initialise(Rng.ForStream(seed, "weights"));
    }

    /// <summary>All weights zero; for loaders that fill <see cref="Parameters"/> themselves.</summary>
    internal ImpalaCnn(ImpalaConfig config)
    {
        config.Validate();
        Config = config;
        int size = config.InputSize, cin = config.Channels;
        int[] widths = [config.Width1, config.Width2, config.Width3];
        inputPlane = new Plane(size, size, cin, cin);
        observationBytes = size * size * cin;
        int packedFloats = 0, gradFloats = 0, slot = 0, argmax = 0;
        Plane inPlane = inputPlane;
        for (int b = 0; b < 3; b++)
        {
            int width = widths[b];
            var y = Plane.Of(size, size, width);
            int pooled = ImpalaConfig.Pooled(size);
            var p = Plane.Of(pooled, pooled, width);
            string prefix = $"embedder.block{b + 1}";
            Convs[5 * b] = NewConv($"{prefix}.conv", cin, width, inPlane, y, ref packedFloats, ref gradFloats);
            for (int r = 0; r < 2; r++)
                for (int c = 0; c < 2; c++)
                    Convs[5 * b + 1 + 2 * r + c] = NewConv($"{prefix}.res{r + 1}.conv{c + 1}", width, width, p, p, ref packedFloats, ref gradFloats);
            Blocks[b] = new Block(inPlane, y, p, slot, argmax);
            slot += 5 * p.Floats;
            argmax += Plane.RoundUp16(p.Height * p.Width * p.Stride);
            inPlane = p;
            size = pooled;
            cin = width;
        }
        SlotFloats = slot;
        SlotArgmax = argmax;
        FlatFloats = config.Flat;
        HiddenStride = Plane.RoundUp16(config.Hidden);
        fcWeight = Add(new Parameter("embedder.fc.weight", [config.Hidden, config.Flat]));
        fcBias = Add(new Parameter("embedder.fc.bias", [config.Hidden]));
        policyWeight = Add(new Parameter("fc_policy.weight", [config.Actions, config.Hidden]));
        policyBias = Add(new Parameter("fc_policy.bias", [config.Actions]));
        valueWeight = Add(new Parameter("fc_value.weight", [1, config.Hidden]));
        valueBias = Add(new Parameter("fc_value.bias", [1]));
        FcBiasAt = packedFloats; packedFloats += HiddenStride;
        PolicyAt = packedFloats; packedFloats += config.Actions * HiddenStride;
        PolicyBiasAt = packedFloats; packedFloats += Plane.RoundUp16(config.Actions);
        ValueAt = packedFloats; packedFloats += HiddenStride;
        ValueBiasAt = packedFloats; packedFloats += 16;
        GradFc = gradFloats; gradFloats += config.Hidden * FlatFloats;
        GradFcBias = gradFloats; gradFloats += HiddenStride;
        GradPolicy = gradFloats; gradFloats += config.Actions * HiddenStride;
        GradPolicyBias = gradFloats; gradFloats += Plane.RoundUp16(config.Actions);
        GradValue = gradFloats; gradFloats += HiddenStride;
        GradValueBias = gradFloats; gradFloats += 16;
        GradFloats = gradFloats;
        packed = new AlignedFloats(packedFloats);
        zeros = new AlignedFloats(4096 + 16);
        forwardWork = new ForwardWork(this);
        backwardWork = new BackwardWork(this);
        reduceWork = new ReduceWork(this);
    }

    public ImpalaConfig Config { get; }
    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>Number of learnable values (626,256 for the default configuration).</summary>
    public long ParameterCount => parameters.Sum(p => (long)p.Count);

    private Parameter Add(Parameter parameter)
    {
        parameters.Add(parameter);
        return parameter;
    }

    private ConvLayer NewConv(string name, int cin, int cout, Plane input, Plane output, ref int packedFloats, ref int gradFloats)
    {
        var weight = Add(new Parameter($"{name}.weight", [cout, cin, 3, 3]));
        var bias = Add(new Parameter($"{name}.bias", [cout]));
        int forwardFloats = 9 * input.Stride * output.Stride;
        var layer = new ConvLayer(weight, bias, cin, cout, input, output,
            packedFloats, packedFloats + forwardFloats, packedFloats + 2 * forwardFloats, gradFloats, gradFloats + forwardFloats);
        packedFloats += 2 * forwardFloats + output.Stride;
        gradFloats += forwardFloats + output.Stride;
        return layer;
    }

    /// <summary>Original initialisation: Xavier-uniform body, zero biases, orthogonal heads (gains 0.01, 1).</summary>
    private void Initialise(Rng rng)
    {
        foreach (var p in parameters)
        {
            if (p.Shape.Length == 1) continue; // biases stay zero
            if (p == policyWeight) Init.Orthogonal(p, 0.01, rng);
            else if (p == valueWeight) Init.Orthogonal(p, 1.0, rng);
            else Init.XavierUniform(p, 1.0, rng);
        }
    }

    public void ZeroGrad()
    {
        foreach (var p in parameters) p.Grad.Clear();
    }

    public void CopyWeightsFrom(ImpalaCnn other)
    {
        if (other.Config != Config) throw new ArgumentException($"cannot copy weights of {other.Config} into {Config}");
        for (int i = 0; i < parameters.Count; i++) other.parameters[i].Value.CopyTo(parameters[i].Value);
    }

    /// <summary>Rebuilds the kernels' packed weights from the PyTorch-layout parameters.</summary>
    internal void PackWeights(bool forBackward)
    {
        float* w = packed.Pointer;
        foreach (var conv in Convs)
        {
            ConvKernels.PackForward(conv.Weight.Value, conv.Cout, conv.Cin, conv.Input.Stride, conv.Output.Stride, new Span<float>(w + conv.Forward, 9 * conv.Input.Stride * conv.Output.Stride));
            if (forBackward)
                ConvKernels.PackBackward(conv.Weight.Value, conv.Cout, conv.Cin, conv.Input.Stride, conv.Output.Stride, new Span<float>(w + conv.Backward, 9 * conv.Input.Stride * conv.Output.Stride));
            conv.Bias_.Value.CopyTo(new Span<float>(w + conv.Bias, conv.Cout));
        }
        int hidden = Config.Hidden;
        fcBias.Value.CopyTo(new Span<float>(w + FcBiasAt, hidden));
        for (int a = 0; a < Config.Actions; a++)
            policyWeight.Value.Slice(a * hidden, hidden).CopyTo(new Span<float>(w + PolicyAt + a * HiddenStride, hidden));
        policyBias.Value.CopyTo(new Span<float>(w + PolicyBiasAt, Config.Actions));
        valueWeight.Value.CopyTo(new Span<float>(w + ValueAt, hidden));
        w[ValueBiasAt] = valueBias.Value[0];
    }

    /// <summary>Adds a packed gradient (summed over parts) into the parameters' PyTorch-layout gradients.</summary>
    private void UnpackGradients(float* g)
    {
        foreach (var conv in Convs)
        {
            ConvKernels.UnpackAdd(new ReadOnlySpan<float>(g + conv.GradWeight, 9 * conv.Input.Stride * conv.Output.Stride),
                conv.Cout, conv.Cin, conv.Input.Stride, conv.Output.Stride, conv.Weight.Grad);
            AddInto(conv.Bias_.Grad, g + conv.GradBias);
        }
        int hidden = Config.Hidden;
        AddInto(fcWeight.Grad, g + GradFc); // the fc gradient is already in PyTorch layout
        AddInto(fcBias.Grad, g + GradFcBias);
        for (int a = 0; a < Config.Actions; a++) AddInto(policyWeight.Grad.Slice(a * hidden, hidden), g + GradPolicy + a * HiddenStride);
        AddInto(policyBias.Grad, g + GradPolicyBias);
        AddInto(valueWeight.Grad, g + GradValue);
        AddInto(valueBias.Grad, g + GradValueBias);
    }

    private static void AddInto(Span<float> target, float* source)
    {
        for (int i = 0; i < target.Length; i++) target[i] += source[i];
    }

    internal float* Packed => packed.Pointer;

    /// <summary>embedder.fc.weight in place ([hidden, flat], pinned): the fc layer needs no repacking.</summary>
    internal float* FcWeights => (float*)Unsafe.AsPointer(ref fcWeight.Data[0]);
    internal float* Zeros => zeros.Pointer;
    internal Plane InputPlane => inputPlane;
    internal int ObservationBytes => observationBytes;

    /// <summary>Writes one HWC byte observation into the first layer's padded input plane, scaled by 1/255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void PackObservation(byte* observation, float* plane)
    {
        int size = Config.InputSize;
        int row = size * Config.Channels;
        for (int y = 0; y < size; y++)
        {
            float* dst = plane + inputPlane.Offset(y, 0);
            byte* src = observation + y * row;
            int i = 0;
            if (ConvKernels.Simd)
                for (; i + 16 <= row; i += 16)
                {
                    // Division (not a multiply by 1/255) so every value equals the original's float32 b / 255.
                    var (lo, hi) = Vector128.Widen(Vector128.Load(src + i));
                    var ints = Vector512.Create(
                        Vector256.Create(Vector128.WidenLower(lo), Vector128.WidenUpper(lo)),
                        Vector256.Create(Vector128.WidenLower(hi), Vector128.WidenUpper(hi)));
                    (Vector512.ConvertToSingle(ints.AsInt32()) / Vector512.Create(255f)).Store(dst + i);
                }
            for (; i < row; i++) dst[i] = src[i] / 255f;
        }
    }
}

/// <summary>One 3x3 convolution: its parameters, planes and offsets into the packed weights and gradients.</summary>
internal readonly record struct ConvLayer(Parameter Weight, Parameter Bias_, int Cin, int Cout, Plane Input, Plane Output,
    int Forward, int Backward, int Bias, int GradWeight, int GradBias);

/// <summary>Planes of one IMPALA block (input, conv output, pooled) and its offsets in a stored observation.</summary>
internal readonly record struct Block(Plane Input, Plane Conv, Plane Pooled, int Slot, int Argmax)
{
    // The five stored planes of a block, in slot order: pooled, res1 hidden, res1 out, res2 hidden, res2 out.
    public int P => Slot;
    public int H1 => Slot + Pooled.Floats;
    public int R1 => Slot + 2 * Pooled.Floats;
    public int H2 => Slot + 3 * Pooled.Floats;
    public int R2 => Slot + 4 * Pooled.Floats;
}
