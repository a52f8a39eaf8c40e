using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Misgen.Nn;

/// <summary>
/// The safetensors format (8-byte little-endian header length, JSON header, raw little-endian
/// tensor data) with PyTorch IMPALA state-dict names and layouts, so Misgen weights load into the
/// PyTorch model with load_state_dict and back. Nothing in a weights file is ever executed; the
/// reader checks the header, every dtype, shape and offset against the file size and the model.
/// </summary>
public static class Safetensors
{
    private const long MaxHeaderBytes = 100_000_000;

    public static void Save(string path, ImpalaCnn model, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new StringBuilder("{");
        var meta = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["misgen_model"] = "impala-cnn",
            ["input_size"] = model.Config.InputSize.ToString(CultureInfo.InvariantCulture),
        };
        if (metadata != null) foreach (var (k, v) in metadata) meta[k] = v;
        header.Append("\"__metadata__\":{");
        header.AppendJoin(',', meta.Select(kv => $"{JsonSerializer.Serialize(kv.Key)}:{JsonSerializer.Serialize(kv.Value)}"));
        header.Append('}');
        long offset = 0;
        foreach (var p in model.Parameters)
        {
            long bytes = 4L * p.Count;
            header.Append(CultureInfo.InvariantCulture, $",\"{p.Name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(',', p.Shape)}],\"data_offsets\":[{offset},{offset + bytes}]}}");
            offset += bytes;
        }
        header.Append('}');
        while ((Encoding.UTF8.GetByteCount(header.ToString()) + 8) % 8 != 0) header.Append(' ');
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
            stream.Write(length);
            stream.Write(headerBytes);
            var buffer = new byte[1 << 16];
            foreach (var p in model.Parameters)
            {
                ReadOnlySpan<float> values = p.Value;
                for (int start = 0; start < values.Length; start += buffer.Length / 4)
                {
                    int count = Math.Min(buffer.Length / 4, values.Length - start);
                    for (int i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * i), values[start + i]);
                    stream.Write(buffer, 0, 4 * count);
                }
            }
        });
    }

    /// <summary>
    /// Any named float32 tensors (e.g. activations, NCHW) with string metadata, in the order given; numpy's and
    /// torch's safetensors readers open the file as is.
    /// </summary>
    public static void SaveTensors(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (tensors.Select(t => t.Name).Distinct().Count() != tensors.Count) throw new ArgumentException("tensor names must be unique");
        var header = new StringBuilder("{");
        if (metadata is { Count: > 0 })
        {
            header.Append("\"__metadata__\":{");
            header.AppendJoin(',', metadata.Select(kv => $"{JsonSerializer.Serialize(kv.Key)}:{JsonSerializer.Serialize(kv.Value)}"));
            header.Append("},");
        }
        long offset = 0;
        header.AppendJoin(',', tensors.Select(t =>
        {
            long bytes = 4L * t.Tensor.Count;
            string entry = string.Create(CultureInfo.InvariantCulture,
                $"{JsonSerializer.Serialize(t.Name)}:{{\"dtype\":\"F32\",\"shape\":[{string.Join(',', t.Tensor.Shape)}],\"data_offsets\":[{offset},{offset + bytes}]}}");
            offset += bytes;
            return entry;
        }));
        header.Append('}');
        while ((Encoding.UTF8.GetByteCount(header.ToString()) + 8) % 8 != 0) header.Append(' ');
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
            stream.Write(length);
            stream.Write(headerBytes);
            var buffer = new byte[1 << 16];
            foreach (var (_, tensor) in tensors)
            {
                float[] values = tensor.Data;
                for (int start = 0; start < values.Length; start += buffer.Length / 4)
                {
                    int count = Math.Min(buffer.Length / 4, values.Length - start);
                    for (int i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * i), values[start + i]);
                    stream.Write(buffer, 0, 4 * count);
                }
            }
        });
    }

    /// <summary>Every tensor of a safetensors file as float32 (F32, F64, F16 and BF16 are read), with its metadata.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) ReadTensors(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MisgenInputException($"cannot read safetensors file '{path}': {e.Message}", e);
        }
        var (entries, metadata, dataStart) = ReadHeader(file, path);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var t in entries)
        {
            var tensor = new Tensor(t.Shape.Length == 0 ? [1] : t.Shape);
            Decode(file.AsSpan((int)(dataStart + t.Begin), (int)(t.End - t.Begin)), t.Dtype, tensor.Data);
            tensors[t.Name] = tensor;
        }
        return (tensors, metadata);
    }

    /// <summary>Loads an IMPALA-CNN, inferring its configuration from the tensor shapes.</summary>
    public static ImpalaCnn Load(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MisgenInputException($"cannot read weights file '{path}': {e.Message}", e);
        }
        return Read(file, path);
    }

    /// <summary>A tensor entry of a safetensors header, already checked against the file.</summary>
    public sealed record TensorEntry(string Name, string Dtype, int[] Shape, long Begin, long End);

    /// <summary>Parses and validates the header: every entry's dtype, shape and offsets against the data length.</summary>
    public static (List<TensorEntry> Tensors, Dictionary<string, string> Metadata, long DataStart) ReadHeader(ReadOnlySpan<byte> file, string source)
    {
        string Bad(string why) => $"'{source}' is not a valid safetensors file: {why}";
        if (file.Length < 8) throw new MisgenInputException(Bad($"{file.Length} bytes, too short for the 8-byte header length"));
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength < 2 || headerLength > MaxHeaderBytes || headerLength > (ulong)(file.Length - 8))
            throw new MisgenInputException(Bad($"header length {headerLength} does not fit a file of {file.Length} bytes"));
        long dataStart = 8 + (long)headerLength;
        long dataLength = file.Length - dataStart;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(file.Slice(8, (int)headerLength).ToArray());
        }
        catch (JsonException e)
        {
            throw new MisgenInputException(Bad($"header is not JSON ({e.Message})"), e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new MisgenInputException(Bad("header is not a JSON object"));
            var tensors = new List<TensorEntry>();
            var metadata = new Dictionary<string, string>();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object) throw new MisgenInputException(Bad("__metadata__ is not an object"));
                    foreach (var m in property.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                var t = property.Value;
                if (t.ValueKind != JsonValueKind.Object
                    || !t.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
                    || !t.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
                    || !t.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
                    || offsetsElement.GetArrayLength() != 2)
                    throw new MisgenInputException(Bad($"tensor '{property.Name}' needs dtype, shape and two data_offsets"));
                string dtype = dtypeElement.GetString()!;
                int size = DtypeSize(dtype);
                if (size == 0) throw MisgenInputException.Unknown($"dtype of tensor '{property.Name}' in '{source}':", dtype, ["F32", "F16", "BF16", "F64"]);
                var shape = new List<int>();
                long count = 1;
                foreach (var d in shapeElement.EnumerateArray())
                {
                    if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int dim) || dim < 0)
                        throw new MisgenInputException(Bad($"tensor '{property.Name}' has an invalid shape {shapeElement.GetRawText()}"));
                    shape.Add(dim);
                    count = count * dim > (long)int.MaxValue * 8 ? throw new MisgenInputException(Bad($"tensor '{property.Name}' is too large")) : count * dim;
                }
                long begin = ReadOffset(offsetsElement[0]), end = ReadOffset(offsetsElement[1]);
                if (begin < 0 || end < begin || end > dataLength)
                    throw new MisgenInputException(Bad($"tensor '{property.Name}' has data_offsets [{offsetsElement[0].GetRawText()}, {offsetsElement[1].GetRawText()}] outside the {dataLength} data bytes"));
                if (end - begin != count * size)
                    throw new MisgenInputException(Bad($"tensor '{property.Name}' has {end - begin} data bytes, its shape [{string.Join(", ", shape)}] of {dtype} needs {count * size}"));
                tensors.Add(new TensorEntry(property.Name, dtype, shape.ToArray(), begin, end));
            }
            var sorted = tensors.OrderBy(t => t.Begin).ThenBy(t => t.End).ToList();
            for (int i = 1; i < sorted.Count; i++)
                if (sorted[i].Begin < sorted[i - 1].End)
                    throw new MisgenInputException(Bad($"tensors '{sorted[i - 1].Name}' and '{sorted[i].Name}' overlap"));
            return (tensors, metadata, dataStart);
        }
    }

    private static long ReadOffset(JsonElement e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) ? v : -1;

    private static int DtypeSize(string dtype) => dtype switch { "F32" => 4, "F16" => 2, "BF16" => 2, "F64" => 8, _ => 0 };

    internal static ImpalaCnn Read(ReadOnlySpan<byte> file, string source)
    {
        var (tensors, metadata, dataStart) = ReadHeader(file, source);
        var byName = new Dictionary<string, TensorEntry>();
        foreach (var t in tensors) byName[t.Name] = t;
        var config = InferConfig(byName, metadata, source);
        var model = new ImpalaCnn(config);
        var expected = model.Parameters.Select(p => p.Name).ToHashSet();
        var problems = model.Parameters.Where(p => !byName.ContainsKey(p.Name)).Select(p => $"tensor '{p.Name}' is missing")
            .Concat(tensors.Where(t => !expected.Contains(t.Name)).Select(t => $"unexpected tensor '{t.Name}'")).ToList();
        if (problems.Count > 0)
            throw new MisgenInputException($"'{source}' is not an IMPALA-CNN weights file: {string.Join("; ", problems.Take(5))}");
        foreach (var p in model.Parameters)
        {
            var t = byName[p.Name];
            if (!t.Shape.SequenceEqual(p.Shape))
                throw new MisgenInputException($"'{source}': tensor '{p.Name}' has shape [{string.Join(", ", t.Shape)}], an IMPALA-CNN {Describe(config)} needs [{string.Join(", ", p.Shape)}]");
            Decode(file.Slice((int)(dataStart + t.Begin), (int)(t.End - t.Begin)), t.Dtype, p.Value);
        }
        return model;
    }

    private static void Decode(ReadOnlySpan<byte> data, string dtype, Span<float> target)
    {
        for (int i = 0; i < target.Length; i++)
            target[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(data[(2 * i)..]),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]) << 16),
            };
    }

    private static string Describe(ImpalaConfig c) => $"{c.Width1}/{c.Width2}/{c.Width3} at {c.InputSize}x{c.InputSize}" + (c.Channels == 3 ? "" : $"x{c.Channels}");

    /// <summary>Widths, hidden size and actions from the shapes; input size from metadata or 8x the final map size (64 -> 8).</summary>
    private static ImpalaConfig InferConfig(Dictionary<string, TensorEntry> t, Dictionary<string, string> metadata, string source)
    {
        int[] Shape(string name) => t.TryGetValue(name, out var e) ? e.Shape
            : throw new MisgenInputException($"'{source}' is not an IMPALA-CNN weights file: tensor '{name}' is missing");
        string Bad(string why) => $"'{source}' is not an IMPALA-CNN weights file: {why}";
        var c1 = Shape("embedder.block1.conv.weight");
        var c2 = Shape("embedder.block2.conv.weight");
        var c3 = Shape("embedder.block3.conv.weight");
        var fc = Shape("embedder.fc.weight");
        var policy = Shape("fc_policy.weight");
        if (c1.Length != 4 || c1[1] < 1 || c1[1] > 64 || c1[2] != 3 || c1[3] != 3) throw new MisgenInputException(Bad($"embedder.block1.conv.weight has shape [{string.Join(", ", c1)}], expected [width1, channels, 3, 3]"));
        if (c2.Length != 4 || c3.Length != 4) throw new MisgenInputException(Bad("block convolutions must have 4-dimensional weights"));
        if (fc.Length != 2 || policy.Length != 2) throw new MisgenInputException(Bad("embedder.fc.weight and fc_policy.weight must be matrices"));
        int w3 = c3[0];
        if (w3 < 1 || fc[1] % w3 != 0) throw new MisgenInputException(Bad($"embedder.fc.weight has {fc[1]} inputs, not a multiple of width3 {w3}"));
        int area = fc[1] / w3, final = (int)Math.Round(Math.Sqrt(area));
        if (final < 1 || final * final != area) throw new MisgenInputException(Bad($"embedder.fc.weight has {fc[1]} inputs, not width3 {w3} x a square map"));
        int size = 8 * final;
        if (metadata.TryGetValue("input_size", out var text))
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out size) || size < 1 || size > 4096)
                throw new MisgenInputException(Bad($"metadata input_size '{text}' is not a size"));
        }
        var config = new ImpalaConfig(size, c1[0], c2[0], w3, policy[0], fc[0], c1[1]);
        if (config.FinalSize != final)
            throw new MisgenInputException(Bad($"metadata input_size {size} gives a {config.FinalSize}x{config.FinalSize} map, embedder.fc.weight expects {final}x{final}"));
        return config;
    }
}
