using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Misgen.Media;
using Misgen.Nn;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Hostile;

/// <summary>
/// Issue 18, items 12 to 14 for weights and images: malformed safetensors headers (invalid UTF-8, keys given
/// twice, a header over the 100 MB cap) are bad input with their own message; inputs that are not regular
/// files are refused without being read; `forward --json` stays valid JSON when the network outputs NaN.
/// </summary>
public sealed class WeightsHostileTests : HostileKit
{
    private static readonly ImpalaConfig Small = new(16, 2, 3, 4, 15, 8);

    private string Weights(string name, Action<ImpalaCnn>? edit = null)
    {
        var model = ImpalaCnnTests.RandomModel(Small, 1);
        edit?.Invoke(model);
        string path = PathOf(name);
        Safetensors.Save(path, model);
        return path;
    }

    private string Observation()
    {
        string path = PathOf("obs.png");
        if (!File.Exists(path)) Png.Write(path, Enumerable.Range(0, 16 * 16 * 3).Select(i => (byte)i).ToArray(), 16, 16);
        return path;
    }

    private static (byte[] Prefix, string Header, byte[] Data) Split(byte[] file)
    {
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return (file[..8], Encoding.UTF8.GetString(file, 8, length), file[(8 + length)..]);
    }

    private static byte[] Join(byte[] header, byte[] data)
    {
        var result = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        data.CopyTo(result, 8 + header.Length);
        return result;
    }

    [Fact]
    public void A_header_with_invalid_utf8_is_bad_input()
    {
        string path = Weights("utf8.safetensors");
        var bytes = File.ReadAllBytes(path);
        int at = bytes.AsSpan().IndexOf("fc_value.bias"u8);
        bytes[at + 12] = 0xFF; // "fc_value.bia\xFF": same length, not UTF-8
        File.WriteAllBytes(path, bytes);
        RefusedWithoutChanges(["forward", path, "--obs", Observation()], path, "UTF-8");
    }

    [Theory]
    [InlineData("tensor")]
    [InlineData("metadata")]
    public void A_key_given_twice_is_bad_input(string where)
    {
        string path = Weights("twice.safetensors");
        var (_, header, data) = Split(File.ReadAllBytes(path));
        using var doc = JsonDocument.Parse(header);
        string edited = where == "tensor"
            ? header.TrimEnd()[..^1] + ",\"fc_value.bias\":" + doc.RootElement.GetProperty("fc_value.bias").GetRawText() + "}"
            : header.Replace("\"format\":\"pt\"", "\"format\":\"pt\",\"format\":\"tf\"");
        Assert.NotEqual(header, edited);
        File.WriteAllBytes(path, Join(Encoding.UTF8.GetBytes(edited), data));
        RefusedWithoutChanges(["forward", path, "--obs", Observation()], path, where == "tensor" ? "'fc_value.bias' appears twice" : "'format' appears twice");
    }

    [Fact]
    public void A_header_over_the_cap_gets_its_own_message()
    {
        string path = PathOf("huge-header.safetensors");
        var bytes = new byte[4096];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 200_000_000);
        File.WriteAllBytes(path, bytes);
        RefusedWithoutChanges(["forward", path, "--obs", Observation()], path, "200,000,000", "limit of 100,000,000");
    }

    [Theory]
    [InlineData("weights")]
    [InlineData("obs")]
    public void Inputs_that_are_not_regular_files_are_refused_without_reading_them(string which)
    {
        string weights = Weights("w.safetensors"), obs = Observation();
        string endless = PathOf("endless");
        File.CreateSymbolicLink(endless, "/dev/zero");
        var o = RefusedWithoutChanges(["forward", which == "weights" ? endless : weights, "--obs", which == "obs" ? endless : obs], endless, "character device");
        Assert.DoesNotContain("failed", o.Stderr);
    }

    [Fact]
    public void Forward_json_writes_null_for_numbers_json_cannot_hold()
    {
        string path = Weights("nan.safetensors", model => model.Parameters.First(p => p.Name == "fc_value.bias").Value.Fill(float.NaN));
        var o = Misgen("forward", path, "--obs", Observation(), "--json");
        Assert.True(o.ExitCode == 0, o.ToString());
        using var doc = JsonDocument.Parse(o.Stdout); // throws on a bare NaN
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("value").ValueKind);
        Assert.All(doc.RootElement.GetProperty("logits").EnumerateArray(), l => Assert.Equal(JsonValueKind.Number, l.ValueKind));
    }
}
