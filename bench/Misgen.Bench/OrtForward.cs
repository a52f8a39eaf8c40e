using Microsoft.ML.OnnxRuntime;
using Misgen.Nn;
using Misgen.Nn.Onnx;

namespace Misgen.Bench;

/// <summary>
/// ONNX Runtime running the same IMPALA-CNN forward pass as Misgen: the model exported by
/// <see cref="ImpalaOnnx"/> (uint8 NHWC in, Transpose, Cast and /255 inside), the same weights and
/// observations, IntraOpNumThreads = the thread count, full graph optimisation, outputs written
/// into preallocated buffers. ORT's other settings are its defaults (what a user gets).
/// </summary>
internal sealed class OrtForward : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly OrtValue input, logits, values;
    private readonly string[] inputNames = [ImpalaOnnx.Input];
    private readonly string[] outputNames = [ImpalaOnnx.Logits, ImpalaOnnx.Value];

    public OrtForward(ImpalaCnn model, byte[] observations, int batch, int threads)
    {
        var config = model.Config;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        session = new InferenceSession(ImpalaOnnx.ToBytes(model), options);
        input = OrtValue.CreateTensorValueFromMemory(observations, [batch, config.InputSize, config.InputSize, config.Channels]);
        logits = OrtValue.CreateTensorValueFromMemory(new float[batch * config.Actions], [batch, config.Actions]);
        values = OrtValue.CreateTensorValueFromMemory(new float[batch], [batch]);
    }

    public static string Version => OrtEnv.Instance().GetVersionString();

    public void Run() => session.Run(runOptions, inputNames, [input], outputNames, [logits, values]);

    public void Dispose()
    {
        input.Dispose();
        logits.Dispose();
        values.Dispose();
        runOptions.Dispose();
        session.Dispose();
    }
}
