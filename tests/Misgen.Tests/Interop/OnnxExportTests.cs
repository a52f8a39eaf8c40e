using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Misgen.Interop;
using Misgen.Nn;
using Misgen.Nn.Onnx;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Interop;

/// <summary>
/// The exported ONNX model, run by ONNX Runtime, gives Misgen's logits, values and activations;
/// Debian's onnx checker accepts the file; bad input is refused with exit code 2.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("misgen-onnx-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A tiny agent directory holding a random model (non-zero biases, lively heads).</summary>
    private (string Directory, ImpalaCnn Model) Agent(ImpalaConfig config, ulong seed, string name = "agent")
    {
        var model = ImpalaCnnTests.RandomModel(config, seed);
        string dir = Path.Combine(folder, name);
        Directory.CreateDirectory(dir);
        Safetensors.Save(Path.Combine(dir, "model.safetensors"), model);
        return (dir, model);
    }

    private static OrtValue[] RunOrt(InferenceSession session, byte[] obs, int batch, ImpalaConfig config, params string[] outputs)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(obs, [batch, config.InputSize, config.InputSize, config.Channels]);
        using var options = new RunOptions();
        return session.Run(options, [ImpalaOnnx.Input], [input], outputs).ToArray();
    }

    public static TheoryData<int, int, int, int, int, int> Shapes => new()
    {
        { 32, 8, 16, 16, 256, 3 },  // the `fast` preset's network
        { 64, 16, 32, 32, 256, 3 }, // the study's (`paper`) network
        { 48, 4, 5, 6, 32, 3 },     // any size and widths the weights have
        { 16, 4, 4, 4, 16, 5 },     // and any channel count (one-hot gridworld planes)
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Onnx_runtime_gives_misgens_logits_and_values(int size, int w1, int w2, int w3, int hidden, int channels)
    {
        var config = new ImpalaConfig(size, w1, w2, w3, 15, hidden, channels);
        var (dir, model) = Agent(config, 7);
        string path = Path.Combine(folder, "policy.onnx");
        var result = OnnxExport.Export(dir, path);
        Assert.Equal(model.Config, result.Config);
        using var session = new InferenceSession(path, new SessionOptions { IntraOpNumThreads = 1 });
        foreach (int batch in new[] { 5, 1 }) // one session, two batch sizes: the batch dimension is free
        {
            var obs = RandomBytes(batch * size * size * channels, (ulong)(11 + batch));
            var logits = new float[batch * 15];
            var values = new float[batch];
            model.Forward(obs, batch, logits, values);
            var outputs = RunOrt(session, obs, batch, config, ImpalaOnnx.Logits, ImpalaOnnx.Value);
            try
            {
                Assert.Equal([batch, 15], outputs[0].GetTensorTypeAndShape().Shape);
                Assert.Equal([batch], outputs[1].GetTensorTypeAndShape().Shape);
                AssertClose(logits, outputs[0].GetTensorDataAsSpan<float>().ToArray(), "logits");
                AssertClose(values, outputs[1].GetTensorDataAsSpan<float>().ToArray(), "value");
            }
            finally
            {
                foreach (var o in outputs) o.Dispose();
            }
        }
    }

    private static byte[] RandomBytes(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var bytes = new byte[count];
        for (int i = 0; i < count; i++) bytes[i] = (byte)rng.NextInt(256);
        return bytes;
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Max(MathF.Abs) > 0.05f, $"{what} are all near zero: the comparison would prove nothing");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-4f, $"{what}[{i}]: Misgen {expected[i]}, ONNX Runtime {actual[i]}");
    }

    [Fact]
    public void Hook_points_are_tensors_of_the_graph_with_misgens_activations()
    {
        var (_, model) = Agent(new ImpalaConfig(32, 8, 16, 16), 3);
        string[] hooks = ["embedder.block1.conv", "embedder.block2.res1.resadd", "embedder.relu3", "embedder.relufc", "fc_value"];
        string path = Path.Combine(folder, "hooks.onnx");
        ImpalaOnnx.Write(model, path, hooks);
        const int batch = 3;
        var obs = ImpalaCnnTests.RandomObservations(batch, 32, 5);
        var cache = model.RunWithCache(obs, batch, hooks).Cache;
        using var session = new InferenceSession(path);
        var outputs = RunOrt(session, obs, batch, model.Config, hooks);
        try
        {
            for (int i = 0; i < hooks.Length; i++)
            {
                var expected = cache[hooks[i]];
                Assert.Equal(expected.Shape.Select(d => (long)d), outputs[i].GetTensorTypeAndShape().Shape);
                AssertClose(expected.Data, outputs[i].GetTensorDataAsSpan<float>().ToArray(), hooks[i]);
            }
        }
        finally
        {
            foreach (var o in outputs) o.Dispose();
        }
    }

    private const string CheckerScript = """
        import json, sys, onnx
        model = onnx.load(sys.argv[1])
        onnx.checker.check_model(model, full_check=True)
        graph = model.graph
        print(json.dumps({
            "ir_version": model.ir_version,
            "opset": [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")],
            "initializers": [t.name for t in graph.initializer],
            "node_outputs": [o for n in graph.node for o in n.output],
            "inputs": [[i.name, i.type.tensor_type.elem_type, [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]] for i in graph.input],
            "outputs": [[o.name, o.type.tensor_type.elem_type, [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]] for o in graph.output],
            "metadata": {p.key: p.value for p in model.metadata_props},
        }, separators=(",", ":")))
        """;

    [Fact]
    public void Debian_onnx_checker_accepts_the_file_and_sees_the_study_names()
    {
        DebianPython.Require("onnx");
        var (dir, model) = Agent(new ImpalaConfig(32, 8, 16, 16), 2, "maze_yellow-line_black-s2");
        string path = Path.Combine(folder, "policy.onnx");
        OnnxExport.Export(dir, path);
        var (code, output, errors) = DebianPython.Run(CheckerScript, path);
        Assert.True(code == 0, $"onnx.checker rejected the model:\n{errors}");
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.Equal(8, root.GetProperty("ir_version").GetInt32());
        Assert.Equal([17], root.GetProperty("opset").EnumerateArray().Select(e => e.GetInt32()));
        var initializers = root.GetProperty("initializers").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        foreach (var p in model.Parameters) Assert.Contains(p.Name, initializers);
        var tensors = root.GetProperty("node_outputs").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        foreach (var hook in ImpalaCnn.HookPoints) Assert.Contains(hook, tensors);
        Assert.Equal("""[["obs",2,["batch",32,32,3]]]""", root.GetProperty("inputs").GetRawText());
        Assert.Equal("""[["logits",1,["batch",15]],["value",1,["batch"]]]""", root.GetProperty("outputs").GetRawText());
        var metadata = root.GetProperty("metadata");
        Assert.Equal("maze_yellow-line_black-s2", metadata.GetProperty("agent").GetString());
        Assert.Equal("8/16/16", metadata.GetProperty("widths").GetString());
    }

    [Fact]
    public void Export_is_reproducible_byte_for_byte()
    {
        var (dir, _) = Agent(new ImpalaConfig(32, 8, 16, 16), 4);
        string a = Path.Combine(folder, "a.onnx"), b = Path.Combine(folder, "b.onnx");
        OnnxExport.Export(dir, a);
        OnnxExport.Export(Path.Combine(dir, "model.safetensors"), b); // a weights file works as well as its directory
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void Verb_writes_the_file_and_refuses_bad_input_with_exit_code_2()
    {
        var (dir, model) = Agent(new ImpalaConfig(32, 8, 16, 16), 5);
        string output = Path.Combine(folder, "out", "policy.onnx");
        Assert.Equal(0, VerbRunner.Run("export-onnx", dir, "--out", output));
        Assert.True(new FileInfo(output).Length > 4 * model.ParameterCount); // the weights are in it
        byte[] good = File.ReadAllBytes(output);

        Assert.Equal(2, VerbRunner.Run("export-onnx", Path.Combine(folder, "no-such-agent"), "--out", output));
        string empty = Path.Combine(folder, "empty");
        Directory.CreateDirectory(empty);
        Assert.Equal(2, VerbRunner.Run("export-onnx", empty, "--out", output));
        string corrupt = Path.Combine(folder, "corrupt");
        Directory.CreateDirectory(corrupt);
        File.WriteAllBytes(Path.Combine(corrupt, "model.safetensors"), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Assert.Equal(2, VerbRunner.Run("export-onnx", corrupt, "--out", output));
        Assert.Equal(2, VerbRunner.Run("export-onnx", dir, "--out", output, "--hook", "embedder.block9.conv"));
        string file = Path.Combine(folder, "a-file");
        File.WriteAllText(file, "x");
        Assert.Equal(2, VerbRunner.Run("export-onnx", dir, "--out", Path.Combine(file, "policy.onnx"))); // its folder is a file
        Assert.Equal(2, VerbRunner.Run("export-onnx", dir, "--out", folder)); // a directory

        Assert.Equal(good, File.ReadAllBytes(output)); // failed runs left the earlier file alone
        Assert.Equal(["policy.onnx"], Directory.GetFiles(Path.GetDirectoryName(output)!).Select(Path.GetFileName)); // and no temporary files
    }
}
