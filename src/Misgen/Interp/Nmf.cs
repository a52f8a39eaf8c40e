namespace Misgen.Interp;

/// <summary>A factorisation X ~ W H of a non-negative rows x cols matrix: W is rows x k, H is k x cols.</summary>
public sealed record NmfResult(int Rows, int Cols, int K, float[] W, float[] H, IReadOnlyList<double> Errors)
{
    /// <summary>The relative error ||X - WH||_F / ||X||_F after the last update.</summary>
    public double RelativeError => Errors.Count == 0 ? double.NaN : Errors[^1];
}

/// <summary>
/// Non-negative matrix factorisation by Lee and Seung's multiplicative updates for the Frobenius norm (2001):
/// H &lt;- H * (W'X) / (W'W H), then W &lt;- W * (X H') / (W (H H')). Each update never increases ||X - WH||, so the
/// error decreases until it settles. Starts from uniform random values scaled to the data's mean, drawn from a
/// seeded stream (reproducible). Used on a layer's activations (rows: positions of observations, cols: channels),
/// whose k rows of H are the features.
/// </summary>
public static class Nmf
{
    private const double Epsilon = 1e-12;

    public static NmfResult Factorize(ReadOnlySpan<float> x, int rows, int cols, int k, int iterations = 200, ulong seed = 1)
    {
        if (rows < 1 || cols < 1 || x.Length != (long)rows * cols) throw new ArgumentException($"X must be {rows} x {cols}");
        if (k < 1 || k > cols) throw new MisgenInputException($"{k} NMF features is invalid; valid: 1..{cols} (the layer's channels)");
        if (iterations < 1) throw new MisgenInputException($"{iterations} NMF iterations is invalid; valid: 1 or more");
        double total = 0, norm = 0;
        foreach (float v in x)
        {
            if (v < 0 || !float.IsFinite(v)) throw new ArgumentException("NMF needs a finite non-negative matrix");
            total += v;
            norm += (double)v * v;
        }
        var rng = Rng.ForStream(seed, "nmf");
        double start = Math.Sqrt(Math.Max(total / x.Length, 1e-6) / k);
        var w = new double[rows * k];
        var h = new double[k * cols];
        for (int i = 0; i < w.Length; i++) w[i] = start * (0.5 + rng.NextDouble());
        for (int i = 0; i < h.Length; i++) h[i] = start * (0.5 + rng.NextDouble());
        var wtx = new double[k * cols];
        var wtw = new double[k * k];
        var xht = new double[rows * k];
        var hht = new double[k * k];
        var errors = new List<double>(iterations);
        for (int it = 0; it < iterations; it++)
        {
            // H <- H * (W'X) / (W'W H)
            Array.Clear(wtx);
            Array.Clear(wtw);
            for (int r = 0; r < rows; r++)
            {
                var xr = x.Slice(r * cols, cols);
                for (int a = 0; a < k; a++)
                {
                    double war = w[r * k + a];
                    if (war == 0) continue;
                    for (int c = 0; c < cols; c++) wtx[a * cols + c] += war * xr[c];
                    for (int b = 0; b < k; b++) wtw[a * k + b] += war * w[r * k + b];
                }
            }
            for (int a = 0; a < k; a++)
                for (int c = 0; c < cols; c++)
                {
                    double denominator = 0;
                    for (int b = 0; b < k; b++) denominator += wtw[a * k + b] * h[b * cols + c];
                    h[a * cols + c] *= wtx[a * cols + c] / (denominator + Epsilon);
                }
            // W <- W * (X H') / (W (H H'))
            Array.Clear(hht);
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++)
                {
                    double s = 0;
                    for (int c = 0; c < cols; c++) s += h[a * cols + c] * h[b * cols + c];
                    hht[a * k + b] = s;
                }
            double cross = 0;
            for (int r = 0; r < rows; r++)
            {
                var xr = x.Slice(r * cols, cols);
                for (int a = 0; a < k; a++)
                {
                    double s = 0;
                    for (int c = 0; c < cols; c++) s += xr[c] * h[a * cols + c];
                    xht[r * k + a] = s;
                }
                for (int a = 0; a < k; a++)
                {
                    double denominator = 0;
                    for (int b = 0; b < k; b++) denominator += w[r * k + b] * hht[b * k + a];
                    w[r * k + a] *= xht[r * k + a] / (denominator + Epsilon);
                }
                for (int a = 0; a < k; a++) cross += w[r * k + a] * xht[r * k + a];
            }
            // ||X - WH||^2 = ||X||^2 - 2 tr(W' X H') + tr(W'W H H'), with the updated W (X H' is unchanged by it).
            Array.Clear(wtw);
            for (int r = 0; r < rows; r++)
                for (int a = 0; a < k; a++)
                {
                    double war = w[r * k + a];
                    for (int b = 0; b < k; b++) wtw[a * k + b] += war * w[r * k + b];
                }
            double quadratic = 0;
            for (int i = 0; i < k * k; i++) quadratic += wtw[i] * hht[i];
            double squared = Math.Max(0, norm - 2 * cross + quadratic);
            errors.Add(norm > 0 ? Math.Sqrt(squared / norm) : 0);
        }
        return new NmfResult(rows, cols, k, w.Select(v => (float)v).ToArray(), h.Select(v => (float)v).ToArray(), errors);
    }
}
