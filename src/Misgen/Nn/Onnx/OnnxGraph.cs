using System.Buffers.Binary;

namespace Misgen.Nn.Onnx;

/// <summary>
/// An ONNX graph under construction (GraphProto) and the model file around it (ModelProto).
/// Nodes are added in execution order; every tensor name is defined once, and every node input
/// must already be defined (a graph input, an initializer or an earlier node's output), which is
/// what ONNX's checker demands of a graph.
/// </summary>
internal sealed class OnnxGraph(string name)
{
    private readonly List<OnnxNode> nodes = [];
    private readonly List<OnnxTensor> initializers = [];
    private readonly List<OnnxValueInfo> inputs = [];
    private readonly List<OnnxValueInfo> outputs = [];
    private readonly HashSet<string> defined = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public void Input(OnnxValueInfo input)
    {
        Define(input.Name);
        inputs.Add(input);
    }

    public void Output(OnnxValueInfo output)
    {
        if (!defined.Contains(output.Name)) throw new InvalidOperationException($"graph output '{output.Name}' is not computed by the graph");
        if (outputs.Any(o => o.Name == output.Name)) throw new InvalidOperationException($"graph output '{output.Name}' is declared twice");
        outputs.Add(output);
    }

    /// <summary>A float32 constant (e.g. a weight in PyTorch's layout); returns its name.</summary>
    public string Initializer(string name, IReadOnlyList<int> shape, ReadOnlySpan<float> values)
    {
        var raw = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), values[i]);
        return Initializer(new OnnxTensor(name, OnnxElementType.Float, shape.Select(d => (long)d).ToArray(), raw));
    }

    /// <summary>An int64 vector constant (e.g. the axes of a Squeeze); returns its name.</summary>
    public string Initializer(string name, params long[] values)
    {
        var raw = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * i), values[i]);
        return Initializer(new OnnxTensor(name, OnnxElementType.Int64, [values.Length], raw));
    }

    private string Initializer(OnnxTensor tensor)
    {
        long count = tensor.Dims.Aggregate(1L, (a, d) => a * d);
        int size = tensor.Type == OnnxElementType.Int64 ? 8 : tensor.Type == OnnxElementType.Float ? 4 : 1;
        if (count * size != tensor.RawData.Length)
            throw new InvalidOperationException($"initializer '{tensor.Name}': shape [{string.Join(", ", tensor.Dims)}] does not match {tensor.RawData.Length} bytes");
        Define(tensor.Name);
        initializers.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node named after its (single) output; returns the output's name.</summary>
    public string Node(string opType, string output, string[] nodeInputs, params OnnxAttribute[] attributes)
    {
        foreach (var input in nodeInputs)
            if (!defined.Contains(input)) throw new InvalidOperationException($"node '{output}' ({opType}) reads '{input}' before it is defined");
        Define(output);
        nodes.Add(new OnnxNode(opType, output, nodeInputs, [output], attributes));
        return output;
    }

    private void Define(string tensor)
    {
        if (!defined.Add(tensor)) throw new InvalidOperationException($"tensor '{tensor}' is defined twice");
    }

    public void Encode(ProtoWriter w)
    {
        foreach (var node in nodes) w.Message(1, node.Encode);
        w.String(2, Name);
        foreach (var tensor in initializers) w.Message(5, tensor.Encode);
        foreach (var input in inputs) w.Message(11, input.Encode);
        foreach (var output in outputs) w.Message(12, output.Encode);
    }

    /// <summary>The model file (ModelProto): IR version, one default-domain opset, producer, description, metadata, this graph.</summary>
    public ProtoWriter ToModel(long irVersion, long opset, string producer, string producerVersion, string doc,
                               IEnumerable<KeyValuePair<string, string>> metadata)
    {
        if (outputs.Count == 0) throw new InvalidOperationException("a model needs at least one graph output");
        var model = new ProtoWriter();
        model.Int64(1, irVersion).String(2, producer).String(3, producerVersion).String(6, doc);
        model.Message(7, Encode);
        model.Message(8, set => set.String(1, "").Int64(2, opset));
        foreach (var (key, value) in metadata) model.Message(14, entry => entry.String(1, key).String(2, value));
        return model;
    }
}
