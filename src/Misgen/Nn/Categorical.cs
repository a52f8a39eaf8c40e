namespace Misgen.Nn;

/// <summary>The policy head's categorical distribution over actions, one row of logits at a time.</summary>
public static class Categorical
{
    public static void LogSoftmax(ReadOnlySpan<float> logits, Span<float> logProbs)
    {
        if (logProbs.Length < logits.Length) throw new ArgumentException("logProbs is shorter than logits");
        float max = float.NegativeInfinity;
        foreach (float l in logits) max = MathF.Max(max, l);
        double sum = 0;
        foreach (float l in logits) sum += Math.Exp(l - max);
        float logSum = max + (float)Math.Log(sum);
        for (int i = 0; i < logits.Length; i++) logProbs[i] = logits[i] - logSum;
    }

    /// <summary>-sum p log p from log-probabilities.</summary>
    public static float Entropy(ReadOnlySpan<float> logProbs)
    {
        double entropy = 0;
        foreach (float lp in logProbs) entropy -= Math.Exp(lp) * lp;
        return (float)entropy;
    }

    /// <summary>One draw (inverse CDF of one uniform number); deterministic given the rng state.</summary>
    public static int Sample(ReadOnlySpan<float> logits, Rng rng)
    {
        float max = float.NegativeInfinity;
        foreach (float l in logits) max = MathF.Max(max, l);
        double total = 0;
        foreach (float l in logits) total += Math.Exp(l - max);
        double u = rng.NextDouble() * total, cumulative = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            cumulative += Math.Exp(logits[i] - max);
            if (u < cumulative) return i;
        }
        return logits.Length - 1;
    }

    /// <summary>Probabilities of the action groups used by interpretability tools: left, down, up, right, no-op.</summary>
    public static float[] GroupProbabilities(ReadOnlySpan<float> logits)
    {
        Span<float> logProbs = stackalloc float[logits.Length];
        LogSoftmax(logits, logProbs);
        var groups = new float[5];
        for (int a = 0; a < logits.Length; a++)
        {
            int move = a % 9;
            int group = a >= 9 || move == 4 ? 4 : move < 3 ? 0 : move == 3 ? 1 : move == 5 ? 2 : 3;
            groups[group] += MathF.Exp(logProbs[a]);
        }
        return groups;
    }

    public static readonly string[] GroupNames = ["left", "down", "up", "right", "noop"];
}
