using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Misgen.Nn;

/// <summary>
/// The safetensors format (8-byte little-endian header length, JSON header, raw little-endian
/// tensor data) with PyTorch IMPALA state-dict names and layouts, so Misgen weights load into the
/// PyTorch model with load_state_dict and back. Nothing in a weights file is ever executed; the
/// reader checks the header, every dtype, shape and offset against the file size and the model.
///
/// Integrity: Misgen records a SHA-256 in the metadata entry <c>misgen_sha256</c> (docs/FILES.md): the hash of
/// the whole file as written with those 64 hex digits set to '0'. <see cref="Load"/> verifies it, so a damaged
/// file is refused rather than trusted; files without the entry (PyTorch's, older Misgen's) load unverified.
/// </summary>
public static class Safetensors
{
    /// <summary>The largest header Misgen reads (the format's own reference implementation uses the same cap).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The metadata key of the file's SHA-256.</summary>
    public const string DigestKey = "misgen_sha256";

    private const int DigestHexLength = 64;

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
        meta.Remove(DigestKey);
        meta[DigestKey] = new string('0', DigestHexLength); // placeholder, filled in below
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
        var lengthPrefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthPrefix, (ulong)headerBytes.Length);

        // The digest covers the file as written with the placeholder in place; then the placeholder becomes it.
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            hash.AppendData(lengthPrefix);
            hash.AppendData(headerBytes);
            WriteData(model, (buffer, count) => hash.AppendData(buffer, 0, count));
            int at = DigestPosition(headerBytes, new string('0', DigestHexLength));
            Encoding.ASCII.GetBytes(Convert.ToHexStringLower(hash.GetHashAndReset())).CopyTo(headerBytes, at);
        }
        AtomicFile.Write(path, stream =>
        {
            stream.Write(lengthPrefix);
            stream.Write(headerBytes);
            WriteData(model, (buffer, count) => stream.Write(buffer, 0, count));
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
        byte[] file = InputFile.ReadAllBytes(path, "safetensors file");
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

    private static void WriteData(ImpalaCnn model, Action<byte[], int> sink)
    {
        var buffer = new byte[1 << 16];
        foreach (var p in model.Parameters)
        {
            ReadOnlySpan<float> values = p.Value;
            for (int start = 0; start < values.Length; start += buffer.Length / 4)
            {
                int count = Math.Min(buffer.Length / 4, values.Length - start);
                for (int i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * i), values[start + i]);
                sink(buffer, 4 * count);
            }
        }
    }

    // Where the digest's hex digits start in the header: after the one `"misgen_sha256":"` + digits + `"`
    // (JSON escapes any quote inside other keys and values, so the pattern cannot occur elsewhere); -1 if absent.
    private static int DigestPosition(ReadOnlySpan<byte> header, string hex)
    {
        byte[] pattern = Encoding.ASCII.GetBytes($"\"{DigestKey}\":\"{hex}\"");
        int at = header.IndexOf(pattern);
        if (at < 0 || header[(at + 1)..].IndexOf(pattern) >= 0) return -1;
        return at + pattern.Length - 1 - hex.Length;
    }

    /// <summary>Checks the file against its recorded SHA-256 (a no-op for files without one).</summary>
    private static void VerifyDigest(ReadOnlySpan<byte> file, long dataStart, Dictionary<string, string> metadata, string source)
    {
        if (!metadata.TryGetValue(DigestKey, out var recorded)) return;
        string Bad(string why) => $"'{source}' is damaged: {why}";
        if (recorded.Length != DigestHexLength || !recorded.All(char.IsAsciiHexDigitLower))
            throw new MisgenInputException(Bad($"its {DigestKey} '{recorded}' is not 64 lowercase hex digits"));
        int at = DigestPosition(file[8..(int)dataStart], recorded);
        if (at < 0) throw new MisgenInputException(Bad($"its {DigestKey} entry is not written the way Misgen writes it"));
        byte[] blanked = file[..(int)dataStart].ToArray();
        blanked.AsSpan(8 + at, DigestHexLength).Fill((byte)'0');
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(blanked);
        hash.AppendData(file[(int)dataStart..]);
        string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != recorded)
            throw new MisgenInputException(Bad($"its SHA-256 is {actual}, not the {recorded} recorded in it when it was written"));
    }

    /// <summary>Loads an IMPALA-CNN, inferring its configuration from the tensor shapes.</summary>
    public static ImpalaCnn Load(string path) => LoadWithMetadata(path).Model;

    /// <summary>The model and the header's <c>__metadata__</c> (spec, seed, timesteps ... for Misgen's files).</summary>
    public static (ImpalaCnn Model, IReadOnlyDictionary<string, string> Metadata) LoadWithMetadata(string path)
    {
        byte[] file = InputFile.ReadAllBytes(path, "weights file");
        var model = Read(file, path, out var metadata);
        return (model, metadata);
    }

    /// <summary>A tensor entry of a safetensors header, already checked against the file.</summary>
    public sealed record TensorEntry(string Name, string Dtype, int[] Shape, long Begin, long End);

    /// <summary>Parses and validates the header: every entry's dtype, shape and offsets against the data length.</summary>
    public static (List<TensorEntry> Tensors, Dictionary<string, string> Metadata, long DataStart) ReadHeader(ReadOnlySpan<byte> file, string source)
    {
        string Bad(string why) => $"'{source}' is not a valid safetensors file: {why}";
        if (file.Length < 8) throw new MisgenInputException(Bad($"{file.Length} bytes, too short for the 8-byte header length"));
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes)
            throw new MisgenInputException(Bad($"header length {headerLength:N0} is larger than Misgen's limit of {MaxHeaderBytes:N0} bytes"));
        if (headerLength < 2 || headerLength > (ulong)(file.Length - 8))
            throw new MisgenInputException(Bad($"header length {headerLength} does not fit a file of {file.Length} bytes"));
        long dataStart = 8 + (long)headerLength;
        long dataLength = file.Length - dataStart;
        var headerBytes = file.Slice(8, (int)headerLength);
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
            throw new MisgenInputException(Bad($"header is not valid UTF-8 (byte {8 + FirstInvalidUtf8(headerBytes)} of the file)"));
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes.ToArray());
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
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                // JSON parsers disagree on which of two equal keys wins, so a file with one is refused.
                if (!names.Add(property.Name)) throw new MisgenInputException(Bad($"key '{property.Name}' appears twice in the header"));
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object) throw new MisgenInputException(Bad("__metadata__ is not an object"));
                    foreach (var m in property.Value.EnumerateObject())
                        if (!metadata.TryAdd(m.Name, m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText()))
                            throw new MisgenInputException(Bad($"metadata key '{m.Name}' appears twice in the header"));
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

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int offset = 0;
        while (offset < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed);
            if (status != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }

    internal static ImpalaCnn Read(ReadOnlySpan<byte> file, string source) => Read(file, source, out _);

    internal static ImpalaCnn Read(ReadOnlySpan<byte> file, string source, out IReadOnlyDictionary<string, string> metadataRead)
    {
        var (tensors, metadata, dataStart) = ReadHeader(file, source);
        metadataRead = metadata;
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
        // Last, so that a file edited by hand gets the specific message above; any other damage is found here.
        VerifyDigest(file, dataStart, metadata, source);
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
