using Misgen.Media;
using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>
/// Features of a layer in the manner of "Understanding RL Vision": the layer's activations over many observations,
/// one row per (observation, position) and one column per channel, factorised by NMF into k features (rows of H: a
/// pattern over channels). A signed layer (a residual sum) is split into its positive and negative parts, stacked as
/// extra rows, as that work did; a feature's map over one observation is then its positive-part weight minus its
/// negative-part weight.
/// </summary>
public sealed class NmfFeatures
{
    private NmfFeatures(string layer, int count, int channels, int height, int width, bool signed, NmfResult result)
    {
        Layer = layer;
        Observations = count;
        Channels = channels;
        Height = height;
        Width = width;
        Signed = signed;
        Result = result;
    }

    public string Layer { get; }
    public int Observations { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public bool Signed { get; }
    public NmfResult Result { get; }
    public int K => Result.K;

    public static NmfFeatures Fit(ImpalaCnn model, ReadOnlySpan<byte> observations, int count, string layer, int k, int iterations = 200, ulong seed = 1)
    {
        var acts = ActivationCapture.Run(model, observations, count, [layer])[layer];
        int channels = acts.Shape[1], height = acts.Shape[2], width = acts.Shape[3], area = height * width;
        bool signed = acts.Data.Any(v => v < 0);
        int rows = count * area * (signed ? 2 : 1);
        var x = new float[(long)rows * channels];
        for (int n = 0; n < count; n++)
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < area; p++)
                {
                    float v = acts.Data[(n * channels + c) * area + p];
                    int row = n * area + p;
                    x[(long)row * channels + c] = Math.Max(v, 0);
                    if (signed) x[(long)(count * area + row) * channels + c] = Math.Max(-v, 0);
                }
        return new NmfFeatures(layer, count, channels, height, width, signed, Nmf.Factorize(x, rows, channels, k, iterations, seed));
    }

    /// <summary>Feature <paramref name="feature"/>'s weight at each position of observation <paramref name="observation"/> (Height x Width, top row first).</summary>
    public float[] Map(int observation, int feature)
    {
        int area = Height * Width;
        var map = new float[area];
        for (int p = 0; p < area; p++)
        {
            int row = observation * area + p;
            map[p] = Result.W[row * K + feature];
            if (Signed) map[p] -= Result.W[(Observations * area + row) * K + feature];
        }
        return map;
    }

    /// <summary>
    /// A figure: one row per observation of <paramref name="shown"/> (the observation, then each feature laid over it);
    /// each feature keeps one colour scale over all rows.
    /// </summary>
    public (byte[] Rgb, int Width, int Height) Picture(IReadOnlyList<int> shown, ReadOnlySpan<byte> observations, Func<byte[], byte[]> toRgb, int size, int scale)
    {
        int bytes = observations.Length / Observations;
        var scales = Enumerable.Range(0, K).Select(f => Heatmap.Scale(shown.SelectMany(n => Map(n, f)).ToArray())).ToArray();
        var rows = new List<byte[]>();
        int rowWidth = 0, rowHeight = 0;
        foreach (int n in shown)
        {
            var rgb = toRgb(observations.Slice(n * bytes, bytes).ToArray());
            var panels = new List<byte[]> { rgb };
            for (int f = 0; f < K; f++) panels.Add(Heatmap.Overlay(rgb, Map(n, f), Width, Height, size, scales[f]));
            var (row, w, h) = Heatmap.Panels(panels, size, scale);
            rows.Add(row);
            (rowWidth, rowHeight) = (w, h);
        }
        if (rows.Count == 1) return (rows[0], rowWidth, rowHeight);
        var grid = Compose.Stack(rows, rowWidth, rowHeight, Math.Max(4, scale), out int height);
        return (grid, rowWidth, height);
    }
}
