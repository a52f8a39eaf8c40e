using System.Globalization;

namespace Misgen.Nn.Onnx;

/// <summary>What <see cref="ImpalaOnnx.Write"/> wrote: the file, its size and the network's shape.</summary>
public sealed record OnnxExportResult(string Path, long Bytes, ImpalaConfig Config, IReadOnlyList<string> Outputs);

/// <summary>
/// Writes an IMPALA-CNN policy as a standard ONNX model (docs/ONNX.md): opset 17, IR version 8,
/// so ONNX Runtime, onnx 1.12+ and the browser and mobile runtimes built on them load it.
/// </summary>
/// <remarks>
/// The graph takes raw frames, exactly what <see cref="ImpalaCnn.Forward"/> takes: input
/// <c>obs</c>, uint8 [batch, S, S, C] (NHWC; C = 3, RGB, for the procgen games), and does
/// Transpose to NCHW, Cast to float32 and Div by 255 itself (a float32 division, as Misgen's
/// forward pass does, not a multiply by 1/255). Outputs: <c>logits</c> float32 [batch, actions] and <c>value</c> float32 [batch]; the
/// batch dimension is free. Initializers carry the PyTorch state-dict names
/// (embedder.block1.conv.weight ... fc_value.bias) and every intermediate tensor is named after
/// its hook point (<see cref="ImpalaCnn.HookPoints"/>, e.g. embedder.block2.res1.resadd), so any
/// of them can be made an extra output.
/// </remarks>
public static class ImpalaOnnx
{
    public const long IrVersion = 8;
    public const long Opset = 17;
    public const string Input = "obs", Logits = "logits", Value = "value", Batch = "batch";

    public static string InputContract(ImpalaConfig config) =>
        $"uint8 [batch, {config.InputSize}, {config.InputSize}, {config.Channels}]: "
        + (config.Channels == 3 ? "RGB frames" : $"{config.Channels}-byte pixels")
        + ", NHWC, as Misgen's environments produce them; the graph transposes to NCHW, casts to float32 and divides by 255";

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="outPath"/> atomically, with the hook points
    /// in <paramref name="hookOutputs"/> as extra outputs and <paramref name="metadata"/> among the
    /// model's metadata. An unknown hook point or an unwritable path is a <see cref="MisgenInputException"/>.
    /// </summary>
    public static OnnxExportResult Write(ImpalaCnn model, string outPath, IEnumerable<string>? hookOutputs = null,
                                         IReadOnlyDictionary<string, string>? metadata = null)
    {
        var outputs = (hookOutputs ?? []).ToList();
        var file = Encode(model, outputs, metadata ?? new Dictionary<string, string>());
        string full = Path.GetFullPath(outPath);
        if (Directory.Exists(full)) throw new MisgenInputException($"output '{outPath}' is a directory; give a file name such as policy.onnx");
        try
        {
            AtomicFile.Write(full, file.WriteTo);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MisgenInputException($"cannot write '{outPath}': {e.Message}", e);
        }
        return new OnnxExportResult(full, file.Length, model.Config, [Logits, Value, .. outputs]);
    }

    /// <summary>The ONNX file of a model in memory (for runtimes that load from bytes).</summary>
    public static byte[] ToBytes(ImpalaCnn model, IEnumerable<string>? hookOutputs = null) =>
        Encode(model, (hookOutputs ?? []).ToList(), new Dictionary<string, string>()).ToArray();

    internal static ProtoWriter Encode(ImpalaCnn model, IReadOnlyList<string> hookOutputs, IReadOnlyDictionary<string, string> metadata)
    {
        var known = ImpalaCnn.HookPoints.ToHashSet();
        foreach (var hook in hookOutputs)
            if (!known.Contains(hook)) throw MisgenInputException.Unknown("hook point", hook, ImpalaCnn.HookPoints);
        if (hookOutputs.Distinct().Count() != hookOutputs.Count) throw new MisgenInputException($"hook points are listed twice: {string.Join(", ", hookOutputs)}");

        var config = model.Config;
        var graph = new OnnxGraph("impala_cnn_policy");
        var shapes = new Dictionary<string, OnnxDim[]>(); // of the hook points, for extra outputs
        var batch = OnnxDim.Named(Batch);
        var parameters = model.Parameters.ToDictionary(p => p.Name);
        string Weight(string name) => graph.Initializer(name, parameters[name].Shape, parameters[name].Value);
        string Image(string op, string output, int channels, int size, string[] inputs, params OnnxAttribute[] attributes)
        {
            shapes[output] = [batch, channels, size, size];
            return graph.Node(op, output, inputs, attributes);
        }
        string Conv(string name, string input, int channels, int size) =>
            Image("Conv", name, channels, size, [input, Weight($"{name}.weight"), Weight($"{name}.bias")],
                OnnxAttribute.Of("kernel_shape", 3, 3), OnnxAttribute.Of("pads", 1, 1, 1, 1), OnnxAttribute.Of("strides", 1, 1));

        int s = config.InputSize;
        graph.Input(new OnnxValueInfo(Input, OnnxElementType.Uint8, [batch, s, s, config.Channels], InputContract(config)));
        string x = graph.Node("Transpose", "obs.nchw", [Input], OnnxAttribute.Of("perm", 0, 3, 1, 2));
        x = graph.Node("Cast", "obs.float", [x], OnnxAttribute.Of("to", (long)OnnxElementType.Float));
        x = graph.Node("Div", "obs.scaled", [x, graph.Initializer("obs.divisor", [], [255f])]);
        int[] widths = [config.Width1, config.Width2, config.Width3];
        for (int b = 1; b <= 3; b++)
        {
            string block = $"embedder.block{b}";
            int w = widths[b - 1];
            x = Conv($"{block}.conv", x, w, s);
            s = ImpalaConfig.Pooled(s);
            x = Image("MaxPool", $"{block}.maxpool", w, s, [x],
                OnnxAttribute.Of("kernel_shape", 3, 3), OnnxAttribute.Of("strides", 2, 2), OnnxAttribute.Of("pads", 1, 1, 1, 1));
            for (int r = 1; r <= 2; r++)
            {
                string res = $"{block}.res{r}";
                string h = Image("Relu", $"{res}.relu1", w, s, [x]);
                h = Conv($"{res}.conv1", h, w, s);
                h = Image("Relu", $"{res}.relu2", w, s, [h]);
                h = Conv($"{res}.conv2", h, w, s);
                x = Image("Add", $"{res}.resadd", w, s, [x, h]);
            }
        }
        x = Image("Relu", "embedder.relu3", config.Width3, s, [x]);
        // Flatten keeps PyTorch's CHW order, the order embedder.fc.weight's columns are in.
        x = graph.Node("Flatten", "embedder.flatten", [x], OnnxAttribute.Of("axis", 1L));
        string Linear(string name, string input, int units)
        {
            shapes[name] = [batch, units];
            return graph.Node("Gemm", name, [input, Weight($"{name}.weight"), Weight($"{name}.bias")], OnnxAttribute.Of("transB", 1L));
        }
        x = Linear("embedder.fc", x, config.Hidden);
        shapes["embedder.relufc"] = [batch, config.Hidden];
        x = graph.Node("Relu", "embedder.relufc", [x]);
        string policy = Linear("fc_policy", x, config.Actions);
        string value = Linear("fc_value", x, 1);
        graph.Node("Identity", Logits, [policy]);
        graph.Node("Squeeze", Value, [value, graph.Initializer("value.axes", 1L)]);

        graph.Output(new OnnxValueInfo(Logits, OnnxElementType.Float, [batch, config.Actions], "unnormalised log-probabilities of the actions (fc_policy)"));
        graph.Output(new OnnxValueInfo(Value, OnnxElementType.Float, [batch], "state value (fc_value)"));
        foreach (var hook in hookOutputs)
            graph.Output(new OnnxValueInfo(hook, OnnxElementType.Float, shapes[hook], $"activation at hook point {hook}"));

        string Text(int v) => v.ToString(CultureInfo.InvariantCulture);
        var properties = new Dictionary<string, string>
        {
            ["misgen_model"] = "impala-cnn",
            ["input"] = InputContract(config),
            ["input_size"] = Text(config.InputSize),
            ["channels"] = Text(config.Channels),
            ["widths"] = $"{Text(config.Width1)}/{Text(config.Width2)}/{Text(config.Width3)}",
            ["hidden"] = Text(config.Hidden),
            ["actions"] = Text(config.Actions),
        };
        foreach (var (key, v) in metadata) if (v.Length > 0) properties[key] = v;
        string version = typeof(ImpalaOnnx).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        string doc = $"IMPALA-CNN policy {properties["widths"]}, {config.InputSize}x{config.InputSize}, {config.Actions} actions. "
                   + $"Input '{Input}': {InputContract(config)}. Outputs '{Logits}' [batch, {config.Actions}] and '{Value}' [batch].";
        return graph.ToModel(IrVersion, Opset, "misgen", version, doc, properties);
    }
}
