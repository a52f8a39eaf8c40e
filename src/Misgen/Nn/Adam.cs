using System.Buffers.Binary;

namespace Misgen.Nn;

/// <summary>
/// Adam as torch.optim.Adam (no weight decay): bias-corrected moments, denominator
/// sqrt(v) / sqrt(1 - beta2^t) + eps. The learning rate can change before any step (schedules).
/// </summary>
public sealed class Adam
{
    private readonly IReadOnlyList<Parameter> parameters;
    private readonly float[][] first, second;

    public Adam(IReadOnlyList<Parameter> parameters, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-5f)
    {
        this.parameters = parameters;
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        first = parameters.Select(p => new float[p.Count]).ToArray();
        second = parameters.Select(p => new float[p.Count]).ToArray();
    }

    public float LearningRate { get; set; }
    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }
    public long StepCount { get; private set; }

    public void Step()
    {
        StepCount++;
        double correction1 = 1 - Math.Pow(Beta1, StepCount), correction2 = 1 - Math.Pow(Beta2, StepCount);
        float stepSize = (float)(LearningRate / correction1);
        float rootCorrection2 = (float)Math.Sqrt(correction2);
        float b1 = Beta1, b2 = Beta2, eps = Eps;
        for (int k = 0; k < parameters.Count; k++)
        {
            var value = parameters[k].Value;
            ReadOnlySpan<float> grad = parameters[k].Grad;
            var m = first[k];
            var v = second[k];
            for (int i = 0; i < value.Length; i++)
            {
                float g = grad[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                value[i] -= stepSize * (m[i] / (MathF.Sqrt(v[i]) / rootCorrection2 + eps));
            }
        }
    }

    /// <summary>Step count and both moments, for bit-identical resume.</summary>
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write("misgen-adam-1");
        writer.Write(StepCount);
        writer.Write(parameters.Count);
        for (int k = 0; k < parameters.Count; k++)
        {
            writer.Write(first[k].Length);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(first[k].AsSpan()));
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(second[k].AsSpan()));
        }
    }

    public void Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != "misgen-adam-1") throw new MisgenInputException("not a Misgen Adam state");
            long steps = reader.ReadInt64();
            int count = reader.ReadInt32();
            if (count != parameters.Count) throw new MisgenInputException($"Adam state has {count} tensors, the model has {parameters.Count}");
            var m = new float[count][];
            var v = new float[count][];
            for (int k = 0; k < count; k++)
            {
                int length = reader.ReadInt32();
                if (length != first[k].Length) throw new MisgenInputException($"Adam state tensor {k} has {length} values, {parameters[k].Name} has {first[k].Length}");
                m[k] = ReadFloats(reader, length);
                v[k] = ReadFloats(reader, length);
            }
            for (int k = 0; k < count; k++) { m[k].CopyTo(first[k], 0); v[k].CopyTo(second[k], 0); }
            StepCount = steps;
        }
        catch (EndOfStreamException e)
        {
            throw new MisgenInputException("Adam state is truncated", e);
        }
    }

    private static float[] ReadFloats(BinaryReader reader, int count)
    {
        var bytes = reader.ReadBytes(count * 4);
        if (bytes.Length != count * 4) throw new EndOfStreamException();
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        return values;
    }
}
