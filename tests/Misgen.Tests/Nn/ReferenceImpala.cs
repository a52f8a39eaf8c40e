using Misgen.Nn;

namespace Misgen.Tests.Nn;

/// <summary>
/// An independent, deliberately naive double-precision IMPALA-CNN in PyTorch semantics (NCHW,
/// state-dict layouts), written from the architecture in docs/ORIGINS.md and not from the kernels: the reference
/// the fast network is checked against, and the function finite differences are taken of.
/// </summary>
internal sealed class ReferenceImpala
{
    private readonly ImpalaConfig config;
    private readonly Dictionary<string, double[]> weights;

    public ReferenceImpala(ImpalaCnn model)
    {
        config = model.Config;
        weights = model.Parameters.ToDictionary(p => p.Name, p => p.Value.ToArray().Select(v => (double)v).ToArray());
    }

    public double[] this[string name] => weights[name];

    /// <summary>Every named intermediate (NCHW, flattened) plus "logits" and "values" for one observation.</summary>
    public Dictionary<string, double[]> Run(ReadOnlySpan<byte> observation, Func<string, double[], double[]>? edit = null)
    {
        int size = config.InputSize, c = config.Channels;
        var x = new double[c * size * size];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < size; y++)
                for (int xx = 0; xx < size; xx++)
                    x[(ch * size + y) * size + xx] = (double)(float)(observation[(y * size + xx) * c + ch] / 255f);
        return RunInput(x, edit);
    }

    /// <summary>
    /// The same for an input already scaled (CHW doubles, the values the network sees); <paramref name="edit"/>, when
    /// given, may replace each named activation (as a hook does) before it flows on.
    /// </summary>
    public Dictionary<string, double[]> RunInput(double[] input, Func<string, double[], double[]>? edit = null)
    {
        var acts = new Dictionary<string, double[]>();
        double[] Point(string name, double[] value)
        {
            if (edit is not null) value = edit(name, value);
            acts[name] = value;
            return value;
        }
        int size = config.InputSize, c = config.Channels;
        var x = input;
        int[] widths = [config.Width1, config.Width2, config.Width3];
        for (int b = 1; b <= 3; b++)
        {
            string p = $"embedder.block{b}";
            int w = widths[b - 1];
            x = Point($"{p}.conv", Conv(x, c, size, w, weights[$"{p}.conv.weight"], weights[$"{p}.conv.bias"]));
            x = Point($"{p}.maxpool", MaxPool(x, w, size, out size));
            c = w;
            for (int r = 1; r <= 2; r++)
            {
                string q = $"{p}.res{r}";
                var a = Point($"{q}.relu1", Relu(x));
                var h = Point($"{q}.conv1", Conv(a, c, size, c, weights[$"{q}.conv1.weight"], weights[$"{q}.conv1.bias"]));
                var a2 = Point($"{q}.relu2", Relu(h));
                var h2 = Point($"{q}.conv2", Conv(a2, c, size, c, weights[$"{q}.conv2.weight"], weights[$"{q}.conv2.bias"]));
                x = Point($"{q}.resadd", x.Zip(h2, (u, v) => u + v).ToArray());
            }
        }
        x = Point("embedder.relu3", Relu(x));
        var fc = Point("embedder.fc", Linear(x, weights["embedder.fc.weight"], weights["embedder.fc.bias"], config.Hidden));
        var hidden = Point("embedder.relufc", Relu(fc));
        acts["logits"] = Point("fc_policy", Linear(hidden, weights["fc_policy.weight"], weights["fc_policy.bias"], config.Actions));
        acts["values"] = Point("fc_value", Linear(hidden, weights["fc_value.weight"], weights["fc_value.bias"], 1));
        return acts;
    }

    private static double[] Relu(double[] x) => x.Select(v => Math.Max(v, 0)).ToArray();

    private static double[] Conv(double[] x, int cin, int size, int cout, double[] w, double[] bias)
    {
        var y = new double[cout * size * size];
        for (int o = 0; o < cout; o++)
            for (int yy = 0; yy < size; yy++)
                for (int xx = 0; xx < size; xx++)
                {
                    double s = bias[o];
                    for (int i = 0; i < cin; i++)
                        for (int ky = 0; ky < 3; ky++)
                            for (int kx = 0; kx < 3; kx++)
                            {
                                int iy = yy + ky - 1, ix = xx + kx - 1;
                                if (iy < 0 || ix < 0 || iy >= size || ix >= size) continue;
                                s += x[(i * size + iy) * size + ix] * w[((o * cin + i) * 3 + ky) * 3 + kx];
                            }
                    y[(o * size + yy) * size + xx] = s;
                }
        return y;
    }

    private static double[] MaxPool(double[] x, int c, int size, out int pooled)
    {
        pooled = (size + 2 - 3) / 2 + 1;
        var y = new double[c * pooled * pooled];
        for (int ch = 0; ch < c; ch++)
            for (int oy = 0; oy < pooled; oy++)
                for (int ox = 0; ox < pooled; ox++)
                {
                    double best = double.NegativeInfinity;
                    for (int ky = 0; ky < 3; ky++)
                        for (int kx = 0; kx < 3; kx++)
                        {
                            int iy = 2 * oy - 1 + ky, ix = 2 * ox - 1 + kx;
                            if (iy < 0 || ix < 0 || iy >= size || ix >= size) continue;
                            best = Math.Max(best, x[(ch * size + iy) * size + ix]);
                        }
                    y[(ch * pooled + oy) * pooled + ox] = best;
                }
        return y;
    }

    private static double[] Linear(double[] x, double[] w, double[] bias, int outputs)
    {
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double s = bias[o];
            for (int i = 0; i < x.Length; i++) s += w[o * x.Length + i] * x[i];
            y[o] = s;
        }
        return y;
    }
}
