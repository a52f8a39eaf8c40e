namespace Misgen.Nn;

/// <summary>The original's weight initialisers (torch.nn.init semantics), drawing from a seeded <see cref="Rng"/>.</summary>
public static class Init
{
    /// <summary>Uniform in [-a, a], a = gain * sqrt(6 / (fan_in + fan_out)); values drawn in PyTorch layout order.</summary>
    public static void XavierUniform(Parameter p, double gain, Rng rng)
    {
        int receptive = 1;
        for (int i = 2; i < p.Shape.Length; i++) receptive *= p.Shape[i];
        double fanIn = p.Shape[1] * receptive, fanOut = p.Shape[0] * receptive;
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        var value = p.Value;
        for (int i = 0; i < value.Length; i++) value[i] = (float)((2 * rng.NextDouble() - 1) * bound);
    }

    /// <summary>
    /// A (semi-)orthogonal matrix times gain, as torch.nn.init.orthogonal_: QR of a Gaussian matrix
    /// with the signs fixed so R has a positive diagonal (here: Gram-Schmidt, which gives exactly that Q).
    /// </summary>
    public static void Orthogonal(Parameter p, double gain, Rng rng)
    {
        int rows = p.Shape[0], cols = p.Count / rows;
        bool transpose = rows < cols;
        int n = transpose ? cols : rows, m = transpose ? rows : cols; // n x m with n >= m, orthonormal columns
        var a = new double[n * m];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextGaussian();
        for (int j = 0; j < m; j++)
        {
            for (int pass = 0; pass < 2; pass++) // twice for numerical orthogonality
                for (int k = 0; k < j; k++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += a[i * m + j] * a[i * m + k];
                    for (int i = 0; i < n; i++) a[i * m + j] -= dot * a[i * m + k];
                }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += a[i * m + j] * a[i * m + j];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++) a[i * m + j] /= norm;
        }
        var value = p.Value;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                value[r * cols + c] = (float)(gain * (transpose ? a[c * m + r] : a[r * m + c]));
    }
}
