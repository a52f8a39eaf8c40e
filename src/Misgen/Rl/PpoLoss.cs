namespace Misgen.Rl;

/// <summary>Diagnostics of one minibatch's loss (CleanRL's logged quantities).</summary>
public readonly record struct PpoLossStats(
    double Loss, double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl, double ClipFraction);

/// <summary>
/// The PPO objective on one minibatch and its exact gradient with respect to the network outputs
/// (logits and values); the network's Backward takes it from there. Written out by hand because
/// there is no autograd here - the finite-difference test in Rl/PpoLossTests keeps it honest.
///
///   loss = mean(max(-A*r, -A*clip(r, 1-e, 1+e)))                        policy (clipped surrogate)
///        + vf_coef * 0.5 * mean(max((v-R)^2, (v_old + clip(v-v_old, -e, e) - R)^2))  value
///        - ent_coef * mean(H(pi))                                       entropy bonus
/// with r = exp(logp(a) - logp_old(a)) and A normalised per minibatch (unbiased std, + 1e-8).
/// </summary>
public static class PpoLoss
{
    public const int MaxActions = 64;

    public static PpoLossStats Compute(
        ReadOnlySpan<float> logits, ReadOnlySpan<float> values, int batch, int actions,
        ReadOnlySpan<int> takenActions, ReadOnlySpan<float> oldLogProbs, ReadOnlySpan<float> oldValues,
        ReadOnlySpan<float> advantages, ReadOnlySpan<float> returns, PpoConfig config,
        Span<float> dLogits, Span<float> dValues)
    {
        if (actions > MaxActions) throw new ArgumentOutOfRangeException(nameof(actions));
        if (batch < 2) throw new ArgumentOutOfRangeException(nameof(batch), "advantage normalisation needs 2 samples");
        double e = config.ClipCoef;

        double advMean = 0, advStd = 1;
        if (config.NormAdv)
        {
            for (int i = 0; i < batch; i++) advMean += advantages[i];
            advMean /= batch;
            double ss = 0;
            for (int i = 0; i < batch; i++) ss += (advantages[i] - advMean) * (advantages[i] - advMean);
            advStd = Math.Sqrt(ss / (batch - 1)) + 1e-8;
        }

        double pgSum = 0, vSum = 0, entSum = 0, klSum = 0;
        int clipped = 0;
        double invB = 1.0 / batch;
        Span<double> logp = stackalloc double[actions];
        for (int i = 0; i < batch; i++)
        {
            var z = logits.Slice(i * actions, actions);
            var dz = dLogits.Slice(i * actions, actions);
            LogSoftmax(z, logp);
            double entropy = 0;
            for (int j = 0; j < actions; j++) entropy -= Math.Exp(logp[j]) * logp[j];

            int a = takenActions[i];
            double logRatio = logp[a] - oldLogProbs[i];
            double ratio = Math.Exp(logRatio);
            double adv = config.NormAdv ? (advantages[i] - advMean) / advStd : advantages[i];

            double clippedRatio = Math.Clamp(ratio, 1 - e, 1 + e);
            double unclippedLoss = -adv * ratio, clippedLoss = -adv * clippedRatio;
            pgSum += Math.Max(unclippedLoss, clippedLoss);
            // d(max)/d(ratio): the unclipped branch always carries -A; the clipped one only inside the range.
            double dRatio = unclippedLoss >= clippedLoss || (ratio > 1 - e && ratio < 1 + e) ? -adv : 0;
            if (Math.Abs(ratio - 1) > e) clipped++;
            klSum += ratio - 1 - logRatio;
            entSum += entropy;

            // dlogp(a)/dz_j = onehot - p_j ; dH/dz_j = -p_j (logp_j + H).
            double gPolicy = dRatio * ratio * invB;
            double gEntropy = config.EntCoef * invB;   // loss has -ent_coef * H
            for (int j = 0; j < actions; j++)
            {
                double p = Math.Exp(logp[j]);
                double g = gPolicy * ((j == a ? 1 : 0) - p) + gEntropy * p * (logp[j] + entropy);
                dz[j] = (float)g;
            }

            double v = values[i], ret = returns[i];
            double vUnclipped = (v - ret) * (v - ret);
            double dv;
            if (config.ClipVloss)
            {
                double diff = v - oldValues[i];
                double vClipped = oldValues[i] + Math.Clamp(diff, -e, e);
                double vClippedLoss = (vClipped - ret) * (vClipped - ret);
                if (vUnclipped >= vClippedLoss)
                {
                    vSum += vUnclipped;
                    dv = 2 * (v - ret);
                }
                else
                {
                    vSum += vClippedLoss;
                    dv = diff > -e && diff < e ? 2 * (vClipped - ret) : 0;
                }
            }
            else
            {
                vSum += vUnclipped;
                dv = 2 * (v - ret);
            }
            dValues[i] = (float)(config.VfCoef * 0.5 * dv * invB);
        }

        double pgLoss = pgSum * invB, vLoss = 0.5 * vSum * invB, ent = entSum * invB;
        return new PpoLossStats(pgLoss - config.EntCoef * ent + config.VfCoef * vLoss,
            pgLoss, vLoss, ent, klSum * invB, clipped * invB);
    }

    private static void LogSoftmax(ReadOnlySpan<float> z, Span<double> logp)
    {
        double max = double.NegativeInfinity;
        foreach (float x in z) max = Math.Max(max, x);
        double sum = 0;
        for (int j = 0; j < z.Length; j++) sum += Math.Exp(z[j] - max);
        double logSum = max + Math.Log(sum);
        for (int j = 0; j < z.Length; j++) logp[j] = z[j] - logSum;
    }
}
