using System.Buffers.Binary;
using System.Text;
using Misgen.Nn;

namespace Misgen.Tests.Nn;

public sealed class SafetensorsTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-safetensors-");
    private string folder => temp.Path;

    public void Dispose() => temp.Dispose();

    private string PathOf(string name) => Path.Combine(folder, name);

    [Theory]
    [InlineData(64, 16, 32, 32)]
    [InlineData(32, 8, 16, 16)]
    [InlineData(48, 4, 5, 6)]
    [InlineData(40, 3, 3, 3)] // 40 -> 20 -> 10 -> 5: only the metadata tells it from 37..40
    public void Round_trip_keeps_config_weights_and_outputs(int size, int w1, int w2, int w3)
    {
        var config = new ImpalaConfig(size, w1, w2, w3, 15, 32);
        var model = ImpalaCnnTests.RandomModel(config, 4);
        string path = PathOf("model.safetensors");
        Safetensors.Save(path, model, new Dictionary<string, string> { ["seed"] = "4" });
        var loaded = Safetensors.Load(path);
        Assert.Equal(config, loaded.Config);
        for (int i = 0; i < model.Parameters.Count; i++) Assert.True(model.Parameters[i].Value.SequenceEqual(loaded.Parameters[i].Value));
        var obs = ImpalaCnnTests.RandomObservations(2, size, 3);
        var (l1, v1, l2, v2) = (new float[30], new float[2], new float[30], new float[2]);
        model.Forward(obs, 2, l1, v1);
        loaded.Forward(obs, 2, l2, v2);
        Assert.Equal(l1, l2);
        Assert.Equal(v1, v2);
        Assert.Equal("4", Safetensors.ReadHeader(File.ReadAllBytes(path), path).Metadata["seed"]);
    }

    [Fact]
    public void File_layout_is_the_open_format_with_pytorch_layouts()
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(16, 2, 3, 4, 15, 8), 1);
        string path = PathOf("m.safetensors");
        Safetensors.Save(path, model);
        var bytes = File.ReadAllBytes(path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (int)((8 + headerLength) % 8));
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.Contains("\"embedder.block1.conv.weight\":{\"dtype\":\"F32\",\"shape\":[2,3,3,3],\"data_offsets\":[0,216]}", header);
        // First float of the data is weight[0,0,0,0]; the fc weight is [hidden, width3*2*2].
        Assert.Equal(model.Parameters[0].Value[0], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)headerLength)));
        Assert.Contains("\"embedder.fc.weight\":{\"dtype\":\"F32\",\"shape\":[8,16]", header);
    }

    private byte[] ValidFile()
    {
        string path = PathOf("valid.safetensors");
        Safetensors.Save(path, ImpalaCnnTests.RandomModel(new ImpalaConfig(16, 2, 3, 4, 15, 8), 1));
        return File.ReadAllBytes(path);
    }

    private static byte[] WithHeader(byte[] file, Func<string, string> edit)
    {
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(file, 8, length)));
        var result = new byte[8 + header.Length + file.Length - 8 - length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        file.AsSpan(8 + length).CopyTo(result.AsSpan(8 + header.Length));
        return result;
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "truncated", "outside the" },
        { "tiny", "too short" },
        { "huge-header", "header length" },
        { "not-json", "not JSON" },
        { "dtype", "unknown dtype" },
        { "shape-bytes", "data bytes" },
        { "missing", "is missing" },
        { "extra", "unexpected tensor 'extra.weight'" },
        { "overlap", "overlap" },
        { "bad-shape", "has shape" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Corrupt_or_mismatched_files_are_rejected_with_a_clear_message(string corruption, string message)
    {
        var file = ValidFile();
        byte[] bad = corruption switch
        {
            "truncated" => file[..^10],
            "tiny" => file[..5],
            "huge-header" => Set(file, 0, 1UL << 40),
            "not-json" => WithHeader(file, h => "{\"a\": [" + h[1..]),
            "dtype" => WithHeader(file, h => h.Replace("\"F32\"", "\"I64\"")),
            "shape-bytes" => WithHeader(file, h => h.Replace("\"shape\":[2,3,3,3]", "\"shape\":[2,3,3,2]")),
            "missing" => WithHeader(file, h => h.Replace("fc_value.bias", "fc_value.biaz")),
            "extra" => WithHeader(file, h => h.Replace("fc_value.bias", "extra.weight")),
            "overlap" => WithHeader(file, h => h.Replace("\"data_offsets\":[0,216]", "\"data_offsets\":[4,220]")),
            "bad-shape" => WithHeader(file, h => h.Replace("\"shape\":[3,2,3,3]", "\"shape\":[2,3,3,3]")),
            _ => throw new ArgumentException(corruption),
        };
        string path = PathOf($"{corruption}.safetensors");
        File.WriteAllBytes(path, bad);
        var e = Assert.Throws<MisgenInputException>(() => Safetensors.Load(path));
        Assert.Contains(message, e.Message);
        Assert.Contains(path, e.Message);
    }

    private static byte[] Set(byte[] file, int at, ulong value)
    {
        var copy = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(at), value);
        return copy;
    }

    [Fact]
    public void Forward_verb_prints_logits_groups_and_value_and_rejects_bad_files()
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(16, 2, 3, 4, 15, 8), 1);
        string weights = PathOf("w.safetensors"), png = PathOf("obs.png"), junk = PathOf("junk.safetensors");
        Safetensors.Save(weights, model);
        var rgb = ImpalaCnnTests.RandomObservations(1, 16, 9);
        Misgen.Media.Png.Write(png, rgb, 16, 16);
        File.WriteAllText(junk, "not weights");
        var expected = PolicyOutput.Of(model, rgb, 16, 16);
        Assert.Equal(1f, expected.GroupProbabilities.Sum(), 1e-5);

        var output = new StringWriter();
        var saved = Console.Out;
        int code, bad, wrongSize;
        try
        {
            Console.SetOut(output);
            code = Run("forward", weights, "--obs", png, "--json");
            Console.SetOut(TextWriter.Null);
            bad = Run("forward", junk, "--obs", png);
            Misgen.Media.Png.Write(png, new byte[8 * 8 * 3], 8, 8);
            wrongSize = Run("forward", weights, "--obs", png);
        }
        finally
        {
            Console.SetOut(saved);
        }
        Assert.Equal(0, code);
        Assert.Equal(expected.ToJson(), output.ToString().Trim());
        Assert.Contains("\"groups\": {\"left\": ", output.ToString());
        Assert.Equal(2, bad);
        Assert.Equal(2, wrongSize);
    }

    private static int Run(params string[] args) => VerbRunner.Run(args);
}
