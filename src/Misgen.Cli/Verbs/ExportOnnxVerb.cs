using System.CommandLine;
using Misgen.Interop;

namespace Misgen.Cli.Verbs;

internal static class ExportOnnxVerb
{
    public static Command Create()
    {
        var agent = new Argument<string>("agent") { Description = "Agent directory (with model.safetensors) or a weights file; widths and input size are read from the weights" };
        var output = new Option<string>("--out") { Description = "ONNX file to write", DefaultValueFactory = _ => "policy.onnx" };
        var hooks = new Option<string[]>("--hook")
        {
            Description = "also output the activation at this hook point (NCHW or [N, F]; repeatable), e.g. embedder.block2.res1.resadd",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("export-onnx",
            "Write an agent's policy as an ONNX model (opset 17): input 'obs' uint8 [batch, S, S, 3] (RGB frames as Misgen renders them; /255 inside; other channel counts as the agent has), outputs 'logits' [batch, 15] and 'value' [batch].")
            { agent, output, hooks };
        command.SetAction(parse =>
        {
            var result = OnnxExport.Export(parse.GetValue(agent)!, parse.GetValue(output)!, parse.GetValue(hooks) ?? []);
            var c = result.Config;
            Console.WriteLine($"wrote {result.Path} ({result.Bytes:N0} bytes): IMPALA-CNN {c.Width1}/{c.Width2}/{c.Width3}, input obs uint8 [batch, {c.InputSize}, {c.InputSize}, {c.Channels}], outputs {string.Join(", ", result.Outputs)}");
            return Cli.Done;
        });
        return command;
    }
}
