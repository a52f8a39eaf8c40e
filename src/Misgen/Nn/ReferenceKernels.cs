namespace Misgen.Nn;

/// <summary>
/// Plain scalar versions of the SIMD kernels, with the same memory layouts: the fallback on
/// hardware without vector support, and the reference the tests compare the fast kernels with.
/// </summary>
internal static unsafe class ReferenceKernels
{
    public static void ConvForward(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend) =>
        ConvForward(input, inPlane, weights, bias, output, outPlane, addend, Window.All(outPlane));

    public static void ConvForward(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, Window window)
    {
        int cs = inPlane.Stride, co = outPlane.Stride;
        for (int y = window.Y0; y < window.Y1; y++)
            for (int x = window.X0; x < window.X1; x++)
                for (int o = 0; o < co; o++)
                {
                    float sum = bias[o];
                    for (int ky = 0; ky < 3; ky++)
                    {
                        float* src = input + ((y + ky) * (inPlane.Width + 2) + x) * cs;
                        float* w = weights + ky * 3 * cs * co + o;
                        for (int k = 0; k < 3 * cs; k++) sum += src[k] * w[k * co];
                    }
                    int offset = outPlane.Offset(y, x) + o;
                    if (addend != null) sum += addend[offset];
                    output[offset] = sum;
                }
    }

    public static void ConvWeightGrad(float* input, Plane inPlane, float* dOut, Plane outPlane, float* dWeights, float* dBias)
    {
        int cs = inPlane.Stride, co = outPlane.Stride;
        for (int ky = 0; ky < 3; ky++)
            for (int k = 0; k < 3 * cs; k++)
                for (int o = 0; o < co; o++)
                {
                    float sum = 0;
                    for (int y = 0; y < outPlane.Height; y++)
                        for (int x = 0; x < outPlane.Width; x++)
                            sum += input[((y + ky) * (inPlane.Width + 2) + x) * cs + k] * dOut[outPlane.Offset(y, x) + o];
                    dWeights[(ky * 3 * cs + k) * co + o] += sum;
                }
        for (int o = 0; o < co; o++)
        {
            float sum = 0;
            for (int y = 0; y < outPlane.Height; y++)
                for (int x = 0; x < outPlane.Width; x++)
                    sum += dOut[outPlane.Offset(y, x) + o];
            dBias[o] += sum;
        }
    }

    public static void MaxPool(float* input, Plane inPlane, float* output, Plane outPlane, byte* argmax) =>
        MaxPool(input, inPlane, output, outPlane, argmax, Window.All(outPlane));

    public static void MaxPool(float* input, Plane inPlane, float* output, Plane outPlane, byte* argmax, Window window)
    {
        int cs = inPlane.Stride;
        for (int oy = window.Y0; oy < window.Y1; oy++)
            for (int ox = window.X0; ox < window.X1; ox++)
                for (int c = 0; c < cs; c++)
                {
                    float best = float.NegativeInfinity;
                    int bestK = 0;
                    for (int k = 0; k < 9; k++)
                    {
                        int iy = 2 * oy - 1 + k / 3, ix = 2 * ox - 1 + k % 3;
                        if (iy < 0 || ix < 0 || iy >= inPlane.Height || ix >= inPlane.Width) continue;
                        float v = input[inPlane.Offset(iy, ix) + c];
                        if (v > best) { best = v; bestK = k; }
                    }
                    output[outPlane.Offset(oy, ox) + c] = best;
                    if (argmax != null) argmax[(oy * outPlane.Width + ox) * cs + c] = (byte)bestK;
                }
    }

    /// <summary>C[m, j] += sum_k A[m * aRow + k * aCol] * B[k * ldb + j] for m &lt; rows, j &lt; cols.</summary>
    public static void Gemm(int rows, int cols, int depth, float* a, int aRow, int aCol, float* b, int ldb, float* c, int ldc)
    {
        for (int m = 0; m < rows; m++)
            for (int j = 0; j < cols; j++)
            {
                float sum = 0;
                for (int k = 0; k < depth; k++) sum += a[m * aRow + k * aCol] * b[k * ldb + j];
                c[m * ldc + j] += sum;
            }
    }
}
