namespace Misgen.Nn;

/// <summary>
/// A hook reads or edits, in place, the activation at one hook point (NCHW for images, [N, F] for
/// vectors) during one call; the edited values are what flows on through the network.
/// </summary>
public delegate void ActivationHook(Tensor activation, string hookPoint);

/// <summary>Outputs of a hooked or cached pass: logits [N, Actions], values [N] and the cached activations by hook-point name.</summary>
public sealed record HookedOutput(Tensor Logits, float[] Values, IReadOnlyDictionary<string, Tensor> Cache);

public sealed unsafe partial class ImpalaCnn
{
    /// <summary>Every hook point, in forward order (names as in DESIGN.md and procgen-tools, without the _out suffix).</summary>
    public static IReadOnlyList<string> HookPoints { get; } = BuildHookPoints();

    private static string[] BuildHookPoints()
    {
        var names = new List<string>();
        for (int b = 1; b <= 3; b++)
        {
            names.Add($"embedder.block{b}.conv");
            names.Add($"embedder.block{b}.maxpool");
            for (int r = 1; r <= 2; r++)
                foreach (var part in new[] { "relu1", "conv1", "relu2", "conv2", "resadd" }) names.Add($"embedder.block{b}.res{r}.{part}");
        }
        names.AddRange(["embedder.relu3", "embedder.fc", "embedder.relufc", "fc_policy", "fc_value"]);
        return names.ToArray();
    }

    /// <summary>
    /// Forward pass that returns the activations at the named hook points (all when names is null),
    /// as TransformerLens's run_with_cache.
    /// </summary>
    public HookedOutput RunWithCache(ReadOnlySpan<byte> observations, int batch, IEnumerable<string>? names = null) =>
        RunWithHooks(observations, batch, [], names ?? HookPoints);

    /// <summary>
    /// Forward pass with hooks attached for this call only (as run_with_hooks: nothing stays attached
    /// afterwards). Several hooks on one point run in list order; cached activations are taken after the hooks.
    /// </summary>
    public HookedOutput RunWithHooks(ReadOnlySpan<byte> observations, int batch, IReadOnlyList<(string HookPoint, ActivationHook Hook)> hooks, IEnumerable<string>? cacheNames = null)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "must be at least 1");
        if (observations.Length < (long)batch * observationBytes)
            throw new ArgumentException($"observations hold {observations.Length} bytes, {batch} observations need {(long)batch * observationBytes}");
        var known = HookPoints.ToHashSet();
        foreach (var (name, _) in hooks)
            if (!known.Contains(name)) throw MisgenInputException.Unknown("hook point", name, HookPoints);
        var cacheSet = new HashSet<string>();
        foreach (var name in cacheNames ?? [])
        {
            if (!known.Contains(name)) throw MisgenInputException.Unknown("hook point", name, HookPoints);
            cacheSet.Add(name);
        }
        var run = new HookedRun(this, observations[..(batch * observationBytes)].ToArray(), batch, hooks, cacheSet);
        return run.Execute();
    }

    /// <summary>One layer-by-layer pass over the whole batch (every activation materialised, so hooks see the batch).</summary>
    private sealed class HookedRun(ImpalaCnn model, byte[] observations, int batch, IReadOnlyList<(string HookPoint, ActivationHook Hook)> hooks, HashSet<string> cacheNames)
    {
        private readonly Dictionary<string, Tensor> cache = [];

        private sealed class PerSample(int batch, Action<int> body) : IParallelWork
        {
            public void Execute(int part)
            {
                var (start, end) = PartRange(batch, PartsFor(batch), part);
                for (int i = start; i < end; i++) body(i);
            }
        }

        private void ForEach(Action<int> body) => model.Pool.Run(new PerSample(batch, body), PartsFor(batch));

        private bool Wanted(string name) => cacheNames.Contains(name) || hooks.Any(h => h.HookPoint == name);

        /// <summary>Applies the hooks of one point to a batch of planes and records it in the cache.</summary>
        private void Point(string name, AlignedFloats planes, Plane plane)
        {
            if (!Wanted(name)) return;
            var tensor = new Tensor([batch, plane.Channels, plane.Height, plane.Width]);
            float* src = planes.Pointer;
            for (int n = 0; n < batch; n++)
                for (int c = 0; c < plane.Channels; c++)
                    for (int y = 0; y < plane.Height; y++)
                        for (int x = 0; x < plane.Width; x++)
                            tensor[n, c, y, x] = src[(long)n * plane.Floats + plane.Offset(y, x) + c];
            bool edited = false;
            foreach (var (point, hook) in hooks)
                if (point == name) { hook(tensor, name); edited = true; }
            if (edited)
                for (int n = 0; n < batch; n++)
                    for (int c = 0; c < plane.Channels; c++)
                        for (int y = 0; y < plane.Height; y++)
                            for (int x = 0; x < plane.Width; x++)
                                src[(long)n * plane.Floats + plane.Offset(y, x) + c] = tensor[n, c, y, x];
            if (cacheNames.Contains(name)) cache[name] = edited ? tensor.Clone() : tensor;
        }

        private void Point(string name, float[] rows, int width, int stride)
        {
            if (!Wanted(name)) return;
            var tensor = new Tensor([batch, width]);
            for (int n = 0; n < batch; n++)
                for (int j = 0; j < width; j++) tensor[n, j] = rows[n * stride + j];
            bool edited = false;
            foreach (var (point, hook) in hooks)
                if (point == name) { hook(tensor, name); edited = true; }
            if (edited)
                for (int n = 0; n < batch; n++)
                    for (int j = 0; j < width; j++) rows[n * stride + j] = tensor[n, j];
            if (cacheNames.Contains(name)) cache[name] = edited ? tensor.Clone() : tensor;
        }

        private AlignedFloats Planes(Plane plane) => new((long)batch * plane.Floats);

        public HookedOutput Execute()
        {
            model.PackWeights(forBackward: false);
            var inputPlane = model.InputPlane;
            var input = Planes(inputPlane);
            fixed (byte* obs = observations)
            {
                byte* o = obs;
                ForEach(n => model.PackObservation(o + (long)n * model.ObservationBytes, input.Pointer + (long)n * inputPlane.Floats));
            }
            AlignedFloats x = input;
            Plane xPlane = inputPlane;
            for (int b = 0; b < 3; b++)
            {
                var block = model.Blocks[b];
                string prefix = $"embedder.block{b + 1}";
                var conv = Planes(block.Conv);
                var layer = model.Convs[5 * b];
                AlignedFloats source = x;
                Plane sourcePlane = xPlane;
                ForEach(n => model.ConvForward(layer, source.Pointer + (long)n * sourcePlane.Floats, conv.Pointer + (long)n * block.Conv.Floats, null));
                Point($"{prefix}.conv", conv, block.Conv);
                var p = block.Pooled;
                var pooled = Planes(p);
                ForEach(n => PoolKernels.MaxPool(conv.Pointer + (long)n * block.Conv.Floats, block.Conv, pooled.Pointer + (long)n * p.Floats, p, null));
                Point($"{prefix}.maxpool", pooled, p);
                x = pooled;
                for (int r = 0; r < 2; r++)
                {
                    string q = $"{prefix}.res{r + 1}";
                    var c1 = model.Convs[5 * b + 1 + 2 * r];
                    var c2 = model.Convs[5 * b + 2 + 2 * r];
                    AlignedFloats residual = x;
                    var relu1 = Planes(p);
                    ForEach(n => Relu(residual.Pointer + (long)n * p.Floats, relu1.Pointer + (long)n * p.Floats, p));
                    Point($"{q}.relu1", relu1, p);
                    var h1 = Planes(p);
                    ForEach(n => model.ConvForward(c1, relu1.Pointer + (long)n * p.Floats, h1.Pointer + (long)n * p.Floats, null));
                    Point($"{q}.conv1", h1, p);
                    var relu2 = Planes(p);
                    ForEach(n => Relu(h1.Pointer + (long)n * p.Floats, relu2.Pointer + (long)n * p.Floats, p));
                    Point($"{q}.relu2", relu2, p);
                    var h2 = Planes(p);
                    ForEach(n => model.ConvForward(c2, relu2.Pointer + (long)n * p.Floats, h2.Pointer + (long)n * p.Floats, null));
                    Point($"{q}.conv2", h2, p);
                    var sum = Planes(p);
                    ForEach(n =>
                    {
                        float* a = residual.Pointer + (long)n * p.Floats, c = h2.Pointer + (long)n * p.Floats, s = sum.Pointer + (long)n * p.Floats;
                        for (int y = 0; y < p.Height; y++)
                            for (int i = p.Offset(y, 0), e = i + p.Width * p.Stride; i < e; i++) s[i] = a[i] + c[i];
                    });
                    Point($"{q}.resadd", sum, p);
                    x = sum;
                }
                xPlane = p;
            }
            var last = xPlane;
            var relu3 = Planes(last);
            AlignedFloats final = x;
            ForEach(n => Relu(final.Pointer + (long)n * last.Floats, relu3.Pointer + (long)n * last.Floats, last));
            Point("embedder.relu3", relu3, last);

            int hs = model.HiddenStride, flatFloats = model.FlatFloats, actions = model.Config.Actions, hidden = model.Config.Hidden;
            var flat = new AlignedFloats((long)batch * flatFloats);
            ForEach(n => model.Flatten(relu3.Pointer + (long)n * last.Floats, flat.Pointer + (long)n * flatFloats, relu: false));
            var z = new float[batch * hs];
            float* w = model.Packed;
            fixed (float* zp = z)
            {
                float* zz = zp;
                ForEach(n =>
                {
                    new Span<float>(w + model.FcBiasAt, hs).CopyTo(new Span<float>(zz + n * hs, hs));
                    Gemm.AccumulateTransposedB(1, hidden, flatFloats, flat.Pointer + (long)n * flatFloats, flatFloats, model.FcWeights, flatFloats, zz + n * hs, hs);
                });
            }
            Point("embedder.fc", z, hidden, hs);
            var h = z.Select(v => MathF.Max(v, 0)).ToArray();
            Point("embedder.relufc", h, hidden, hs);
            var logits = new float[batch * actions];
            var values = new float[batch];
            fixed (float* hp = h)
                for (int n = 0; n < batch; n++)
                {
                    for (int a = 0; a < actions; a++) logits[n * actions + a] = w[model.PolicyBiasAt + a] + Dot(hp + n * hs, w + model.PolicyAt + a * hs, hs);
                    values[n] = w[model.ValueBiasAt] + Dot(hp + n * hs, w + model.ValueAt, hs);
                }
            Point("fc_policy", logits, actions, actions);
            Point("fc_value", values, 1, 1);
            return new HookedOutput(new Tensor([batch, actions], logits), values, cache);
        }
    }
}
