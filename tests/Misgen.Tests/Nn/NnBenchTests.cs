using System.Text.Json;
using Misgen.Bench;

namespace Misgen.Tests.Nn;

public sealed class NnBenchTests
{
    [Fact]
    public void Forward_cases_are_measured_on_onnx_runtime_beside_misgen()
    {
        var output = new StringWriter();
        var results = NnBench.Run(1, json: true, output, ["forward-32"], repeats: 1);
        Assert.Equal([NnBench.Misgen, NnBench.OnnxRuntime], results.Select(r => r.Impl));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        for (int i = 0; i < 2; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.Equal("forward-32", root.GetProperty("case").GetString());
            Assert.Equal(results[i].Impl, root.GetProperty("impl").GetString());
            Assert.Equal(256, root.GetProperty("batch").GetInt32());
            Assert.True(root.GetProperty("value").GetDouble() > 0);
        }
    }

    [Fact]
    public void Training_cases_have_no_onnx_runtime_peer()
    {
        var result = Assert.Single(NnBench.MeasureWithPeers("train-32", 1, repeats: 1));
        Assert.Equal(NnBench.Misgen, result.Impl);
        Assert.Throws<MisgenInputException>(() => NnBench.Measure("train-32", 1, 1, impl: NnBench.OnnxRuntime));
    }
}
