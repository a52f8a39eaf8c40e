namespace Misgen.Rl;

/// <summary>
/// Scales rewards by the running standard deviation of each env's discounted return, as baselines'
/// VecNormalize(ob=False, ret=True) did for the original: ret = ret*gamma + r; update the running
/// variance with the batch of rets; r' = clip(r / sqrt(var + 1e-8), -clip, clip); ret = 0 where done.
/// Doubles throughout; all state is checkpointed so a resumed run scales identically.
/// </summary>
public sealed class RewardNormalizer
{
    private const double Epsilon = 1e-8;
    private readonly double gamma;
    private readonly double clip;
    private readonly double[] returns;   // per env discounted return so far
    private double mean;
    private double var = 1.0;
    private double count = 1e-4;         // RunningMeanStd's prior pseudo-count

    public RewardNormalizer(int envs, double gamma = 0.99, double clip = 10.0)
    {
        this.gamma = gamma;
        this.clip = clip;
        returns = new double[envs];
    }

    public int Envs => returns.Length;
    public double Mean => mean;
    public double Variance => var;
    public double Count => count;

    /// <summary>Normalises one step's rewards of all envs in place; <paramref name="done"/> ends each env's return.</summary>
    public void Normalize(Span<float> rewards, ReadOnlySpan<bool> done)
    {
        if (rewards.Length != returns.Length || done.Length != returns.Length)
            throw new ArgumentException($"expected {returns.Length} rewards and done flags");
        for (int i = 0; i < returns.Length; i++) returns[i] = returns[i] * gamma + rewards[i];
        Update(returns);
        double scale = 1.0 / Math.Sqrt(var + Epsilon);
        for (int i = 0; i < returns.Length; i++)
        {
            rewards[i] = (float)Math.Clamp(rewards[i] * scale, -clip, clip);
            if (done[i]) returns[i] = 0;
        }
    }

    // Chan et al.'s parallel update of mean/variance with one batch (numpy's var: population).
    private void Update(ReadOnlySpan<double> batch)
    {
        double batchMean = 0;
        foreach (double x in batch) batchMean += x;
        batchMean /= batch.Length;
        double batchVar = 0;
        foreach (double x in batch) batchVar += (x - batchMean) * (x - batchMean);
        batchVar /= batch.Length;
        double batchCount = batch.Length;

        double delta = batchMean - mean;
        double total = count + batchCount;
        double m2 = var * count + batchVar * batchCount + delta * delta * count * batchCount / total;
        mean += delta * batchCount / total;
        var = m2 / total;
        count = total;
    }

    public void Save(BinaryWriter w)
    {
        w.Write(returns.Length);
        foreach (double r in returns) w.Write(r);
        w.Write(mean);
        w.Write(var);
        w.Write(count);
    }

    public void Load(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n != returns.Length) throw new InvalidDataException($"normalizer state is for {n} envs, not {returns.Length}");
        for (int i = 0; i < n; i++) returns[i] = r.ReadDouble();
        mean = r.ReadDouble();
        var = r.ReadDouble();
        count = r.ReadDouble();
    }
}
