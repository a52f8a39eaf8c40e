using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>
/// Records activations during fast forward passes (<see cref="ImpalaCnn.Forward(ReadOnlySpan{byte}, int, Span{float}, Span{float}, ActivationEdits?)"/>):
/// NCHW tensors by layer name, taken after any patch at the same layer (as <see cref="ImpalaCnn.RunWithHooks"/> caches).
/// </summary>
public static class ActivationCapture
{
    /// <summary>Copies each observation's activation into its row of a [N, C, H, W] tensor.</summary>
    private sealed class Recorder(string layer, Tensor target) : ActivationEdit(layer)
    {
        public int FirstRow { get; set; }

        public override void Apply(ActivationView activation, int sample)
        {
            int per = activation.Count;
            activation.CopyTo(target.Data.AsSpan((FirstRow + sample) * per, per));
        }
    }

    /// <summary>Per-channel sums over positions into a [N, C] tensor (what a channel search compares).</summary>
    private sealed class ChannelSummer(string layer, Tensor target) : ActivationEdit(layer)
    {
        public int FirstRow { get; set; }

        public override void Apply(ActivationView activation, int sample)
        {
            int channels = activation.Channels;
            for (int c = 0; c < channels; c++) target[FirstRow + sample, c] = activation.ChannelSum(c);
        }
    }

    /// <summary>
    /// Activations of <paramref name="layers"/> for <paramref name="count"/> HWC byte observations, in chunks of at most
    /// <paramref name="chunk"/>; <paramref name="patches"/> (optional) are applied first.
    /// </summary>
    public static Dictionary<string, Tensor> Run(ImpalaCnn model, ReadOnlySpan<byte> observations, int count, IReadOnlyList<string> layers,
                                                 IReadOnlyList<ActivationEdit>? patches = null, int chunk = 256)
    {
        var tensors = new Dictionary<string, Tensor>();
        var recorders = new List<Recorder>();
        foreach (string layer in layers.Distinct())
        {
            var (c, h, w) = model.HookShape(layer);
            var tensor = new Tensor([count, c, h, w]);
            tensors[layer] = tensor;
            recorders.Add(new Recorder(layer, tensor));
        }
        RunChunks(model, observations, count, chunk, [.. patches ?? [], .. recorders], first => recorders.ForEach(r => r.FirstRow = first));
        return tensors;
    }

    /// <summary>Per-channel sums over positions of one layer: [N, C].</summary>
    public static Tensor ChannelSums(ImpalaCnn model, ReadOnlySpan<byte> observations, int count, string layer,
                                     IReadOnlyList<ActivationEdit>? patches = null, int chunk = 256)
    {
        var (c, _, _) = model.HookShape(layer);
        var sums = new Tensor([count, c]);
        var summer = new ChannelSummer(layer, sums);
        RunChunks(model, observations, count, chunk, [.. patches ?? [], summer], first => summer.FirstRow = first);
        return sums;
    }

    private static void RunChunks(ImpalaCnn model, ReadOnlySpan<byte> observations, int count, int chunk, List<ActivationEdit> edits, Action<int> startChunk)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "must be at least 1");
        int bytes = model.InputFloats;
        if (observations.Length < (long)count * bytes)
            throw new ArgumentException($"observations hold {observations.Length} bytes, {count} observations need {(long)count * bytes}");
        var prepared = new ActivationEdits(edits);
        int size = Math.Min(chunk, count);
        if (model.MaxBatch < size) model.MaxBatch = size;
        var logits = new float[size * model.Config.Actions];
        var values = new float[size];
        for (int first = 0; first < count; first += size)
        {
            int n = Math.Min(size, count - first);
            startChunk(first);
            model.Forward(observations.Slice(first * bytes, n * bytes), n, logits, values, prepared);
        }
    }
}
