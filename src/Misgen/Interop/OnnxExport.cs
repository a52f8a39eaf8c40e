using Misgen.Eval;
using Misgen.Nn;
using Misgen.Nn.Onnx;

namespace Misgen.Interop;

/// <summary>`misgen export-onnx`: an agent's policy as an ONNX model any ONNX runtime runs (docs/ONNX.md).</summary>
public static class OnnxExport
{
    /// <summary>
    /// Exports the policy of an agent directory (its model.safetensors), or of a weights file, to
    /// <paramref name="outPath"/>, atomically; widths and input size come from the weights.
    /// A missing agent, corrupt weights, an unknown hook point or an unwritable path is a
    /// <see cref="MisgenInputException"/>.
    /// </summary>
    public static OnnxExportResult Export(string agent, string outPath, IEnumerable<string>? hookOutputs = null)
    {
        string full = AgentDirectory.FullPath(agent);
        string weights = full;
        if (Directory.Exists(full))
        {
            weights = Path.Combine(full, AgentDirectory.ModelFile);
            if (!File.Exists(weights)) throw new MisgenInputException($"'{agent}' has no {AgentDirectory.ModelFile}; train an agent first (misgen train)");
        }
        else if (!File.Exists(full)) throw new MisgenInputException($"agent directory '{agent}' does not exist");
        var model = Safetensors.Load(weights);
        string name = Path.GetFileName(Path.GetDirectoryName(weights)) ?? "";
        return ImpalaOnnx.Write(model, outPath, hookOutputs, new Dictionary<string, string> { ["agent"] = name });
    }
}
