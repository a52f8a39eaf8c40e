namespace Misgen.Analysis;

/// <summary>A feature that makes an agent unusual: its value, the agents' median, and the robust z-score.</summary>
public sealed record OutlierReason(Feature Feature, double Value, double Median, double RobustZ);

/// <summary>
/// One agent's outlier scores: <see cref="RobustScore"/> is its largest |robust z| over the features;
/// <see cref="IsolationScore"/> is the isolation forest's anomaly score in (0, 1), about 0.5 for a
/// typical agent and near 1 for one that is easy to isolate. <see cref="Reasons"/> lists the features
/// that make it unusual, most unusual first.
/// </summary>
public sealed record AgentOutlier(string Agent, double RobustScore, double IsolationScore, bool Flagged, IReadOnlyList<OutlierReason> Reasons);

public sealed record OutlierOptions(
    double RobustThreshold = 3.5,    // Iglewicz & Hoaglin's cut-off for modified z-scores
    double IsolationThreshold = 0.62,
    double ReasonThreshold = 2.5,
    int Trees = 200,
    double PreferenceScaleFloor = 0.05,   // preferences closer than this are not called unusual, however alike the others are
    double CapabilityScaleFloor = 0.1,    // likewise, as a fraction of the median mean steps (at least one step)
    int SampleSize = 256,
    ulong Seed = 0);

/// <summary>
/// Finds agents that generalized differently, with two complementary detectors over the agent
/// matrix: robust z-scores per feature (median and MAD, so the outliers do not hide themselves by
/// inflating the spread) catch an agent extreme in one setting; an isolation forest on the
/// robust-standardised matrix catches an agent unusual in a combination of settings. An agent is
/// flagged when either detector passes its threshold.
/// </summary>
public static class Outliers
{
    private const double MadToSigma = 1.482602218505602;     // 1 / Phi^-1(3/4)
    private const double MeanDeviationToSigma = 1.2533141373155; // sqrt(pi / 2)

    public static IReadOnlyList<AgentOutlier> Detect(AgentMatrix matrix, OutlierOptions? options = null)
    {
        options ??= new OutlierOptions();
        int n = matrix.Agents.Count, d = matrix.Features.Count;
        var z = RobustZ(matrix, out double[] medians, options);
        var isolation = n >= 3 && d > 0 ? IsolationForest.Scores(z, options.Trees, Math.Min(options.SampleSize, n), options.Seed) : new double[n];
        var result = new List<AgentOutlier>(n);
        for (int a = 0; a < n; a++)
        {
            double robust = 0;
            var reasons = new List<OutlierReason>();
            for (int f = 0; f < d; f++)
            {
                double abs = Math.Abs(z[a, f]);
                robust = Math.Max(robust, abs);
                if (abs >= options.ReasonThreshold)
                    reasons.Add(new OutlierReason(matrix.Features[f], matrix.Values[a, f], medians[f], z[a, f]));
            }
            reasons.Sort((x, y) => Math.Abs(y.RobustZ).CompareTo(Math.Abs(x.RobustZ)));
            bool flagged = n >= 3 && (robust >= options.RobustThreshold || isolation[a] >= options.IsolationThreshold);
            if (flagged && reasons.Count == 0)
            {
                // Flagged by the forest only: name its three most deviating features anyway.
                reasons = Enumerable.Range(0, d).OrderByDescending(f => Math.Abs(z[a, f])).Take(3)
                    .Select(f => new OutlierReason(matrix.Features[f], matrix.Values[a, f], medians[f], z[a, f])).ToList();
            }
            result.Add(new AgentOutlier(matrix.Agents[a], robust, isolation[a], flagged, reasons));
        }
        return result;
    }

    /// <summary>
    /// (x - median) / (1.4826 MAD) per feature; when more than half the agents share one value (MAD 0)
    /// the mean absolute deviation stands in. With <paramref name="options"/>, the scale is at least
    /// the floor of its metric, so a few near-identical agents do not turn a small difference into a
    /// huge z. A constant feature scores 0; missing values get 0.
    /// </summary>
    public static double[,] RobustZ(AgentMatrix matrix, out double[] medians, OutlierOptions? options = null)
    {
        int n = matrix.Agents.Count, d = matrix.Features.Count;
        var z = new double[n, d];
        medians = new double[d];
        var column = new List<double>(n);
        for (int f = 0; f < d; f++)
        {
            column.Clear();
            for (int a = 0; a < n; a++)
                if (double.IsFinite(matrix.Values[a, f])) column.Add(matrix.Values[a, f]);
            if (column.Count == 0) { medians[f] = double.NaN; continue; }
            double median = Median(column);
            double mad = Median(column.Select(v => Math.Abs(v - median)).ToList());
            double scale = mad * MadToSigma;
            if (scale < 1e-12) scale = column.Average(v => Math.Abs(v - median)) * MeanDeviationToSigma;
            if (options is not null)
                scale = Math.Max(scale, matrix.Features[f].Metric == Feature.Preference
                    ? options.PreferenceScaleFloor
                    : Math.Max(1, options.CapabilityScaleFloor * Math.Abs(median)));
            medians[f] = median;
            for (int a = 0; a < n; a++)
            {
                double v = matrix.Values[a, f];
                z[a, f] = !double.IsFinite(v) || scale < 1e-12 ? 0 : (v - median) / scale;
            }
        }
        return z;
    }

    public static double Median(List<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
