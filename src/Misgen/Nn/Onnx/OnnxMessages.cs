namespace Misgen.Nn.Onnx;

// The few ONNX messages (onnx.proto, IR version 8) a policy network needs, each with its encoding.
// Field numbers are onnx.proto's; repeated numbers are written unpacked, proto2's default, which
// every protobuf parser reads.

/// <summary>ONNX element types (TensorProto.DataType) used by Misgen's exports.</summary>
public enum OnnxElementType
{
    Float = 1,
    Uint8 = 2,
    Int64 = 7,
}

/// <summary>One node attribute (AttributeProto): an int, a list of ints or a float.</summary>
internal sealed record OnnxAttribute(string Name, long? Int = null, long[]? Ints = null, float? Float = null)
{
    // AttributeProto.AttributeType
    private const int FloatType = 1, IntType = 2, IntsType = 7;

    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);
    public static OnnxAttribute Of(string name, params long[] values) => new(name, Ints: values);
    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);

    public void Encode(ProtoWriter w)
    {
        w.String(1, Name);
        if (Int is { } i) w.Int64(20, IntType).Int64(3, i);
        else if (Ints is { } list)
        {
            w.Int64(20, IntsType);
            foreach (long v in list) w.Int64(8, v);
        }
        else if (Float is { } f) w.Int64(20, FloatType).Float(2, f);
        else throw new InvalidOperationException($"attribute '{Name}' has no value");
    }
}

/// <summary>One operator application (NodeProto) in the default ONNX domain.</summary>
internal sealed record OnnxNode(string OpType, string Name, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes)
{
    public void Encode(ProtoWriter w)
    {
        foreach (var input in Inputs) w.String(1, input);
        foreach (var output in Outputs) w.String(2, output);
        w.String(3, Name).String(4, OpType);
        foreach (var a in Attributes) w.Message(5, a.Encode);
    }
}

/// <summary>A constant tensor (TensorProto) with little-endian raw data, e.g. a weight.</summary>
internal sealed record OnnxTensor(string Name, OnnxElementType Type, long[] Dims, byte[] RawData)
{
    public void Encode(ProtoWriter w)
    {
        foreach (long d in Dims) w.Int64(1, d);
        w.Int64(2, (int)Type).String(8, Name).Bytes(9, RawData);
    }
}

/// <summary>One dimension of a declared shape: a fixed size, or a named size (e.g. "batch") any value fits.</summary>
public readonly record struct OnnxDim(long Size, string? Name = null)
{
    public static OnnxDim Named(string name) => new(0, name);

    public static implicit operator OnnxDim(long size) => new(size);

    public override string ToString() => Name ?? Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A graph input or output (ValueInfoProto): name, element type, shape and a description.</summary>
internal sealed record OnnxValueInfo(string Name, OnnxElementType Type, OnnxDim[] Shape, string? Doc = null)
{
    public void Encode(ProtoWriter w)
    {
        w.String(1, Name);
        // TypeProto { tensor_type = 1: Tensor { elem_type = 1, shape = 2: TensorShapeProto { dim = 1 } } }
        w.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Int64(1, (int)Type);
            tensor.Message(2, shape =>
            {
                foreach (var d in Shape)
                    shape.Message(1, dim =>
                    {
                        if (d.Name is { } name) dim.String(2, name);
                        else dim.Int64(1, d.Size);
                    });
            });
        }));
        if (Doc is not null) w.String(3, Doc);
    }
}
