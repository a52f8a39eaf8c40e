namespace Misgen.Analysis;

/// <summary>
/// Isolation forest (Liu, Ting and Zhou 2008): random axis-aligned splits isolate an unusual row in
/// few steps. The anomaly score is 2^(-E[path length] / c(sample size)): about 0.5 for ordinary
/// rows, towards 1 for rows isolated early. Seeded, so the same matrix always gets the same scores.
/// </summary>
public static class IsolationForest
{
    public static double[] Scores(double[,] data, int trees, int sampleSize, ulong seed)
    {
        int n = data.GetLength(0), d = data.GetLength(1);
        var rng = Rng.ForStream(seed, "isolation-forest");
        int heightLimit = (int)Math.Ceiling(Math.Log2(Math.Max(2, sampleSize)));
        var pathSums = new double[n];
        var indices = new int[n];
        for (int t = 0; t < trees; t++)
        {
            for (int i = 0; i < n; i++) indices[i] = i;
            rng.Shuffle(indices.AsSpan());
            var root = Build(data, indices[..sampleSize], 0, heightLimit, rng, d);
            for (int i = 0; i < n; i++) pathSums[i] += PathLength(root, data, i, 0);
        }
        double c = AveragePath(sampleSize);
        var scores = new double[n];
        for (int i = 0; i < n; i++) scores[i] = Math.Pow(2, -(pathSums[i] / trees) / c);
        return scores;
    }

    /// <summary>c(n): the average path length of an unsuccessful search in a binary search tree of n points.</summary>
    public static double AveragePath(int n) =>
        n <= 1 ? 0 : n == 2 ? 1 : 2 * (Math.Log(n - 1) + 0.5772156649015329) - 2.0 * (n - 1) / n;

    private sealed class Node
    {
        public int Feature = -1, Size;
        public double Split;
        public Node? Left, Right;
    }

    private static Node Build(double[,] data, int[] rows, int depth, int limit, Rng rng, int d)
    {
        var node = new Node { Size = rows.Length };
        if (depth >= limit || rows.Length <= 1) return node;
        // Pick a random feature that still varies among these rows.
        var varying = new List<(int Feature, double Min, double Max)>();
        for (int f = 0; f < d; f++)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (int r in rows)
            {
                min = Math.Min(min, data[r, f]);
                max = Math.Max(max, data[r, f]);
            }
            if (max > min) varying.Add((f, min, max));
        }
        if (varying.Count == 0) return node;
        var (feature, lo, hi) = varying[rng.NextInt(varying.Count)];
        double split = lo + rng.NextDouble() * (hi - lo);
        node.Feature = feature;
        node.Split = split;
        node.Left = Build(data, rows.Where(r => data[r, feature] < split).ToArray(), depth + 1, limit, rng, d);
        node.Right = Build(data, rows.Where(r => data[r, feature] >= split).ToArray(), depth + 1, limit, rng, d);
        return node;
    }

    private static double PathLength(Node node, double[,] data, int row, int depth)
    {
        while (node.Feature >= 0)
        {
            node = data[row, node.Feature] < node.Split ? node.Left! : node.Right!;
            depth++;
        }
        return depth + AveragePath(node.Size);
    }
}
