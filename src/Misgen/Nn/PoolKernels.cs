using System.Runtime.Intrinsics;

namespace Misgen.Nn;

/// <summary>
/// MaxPool2d(kernel 3, stride 2, padding 1) on padded NHWC planes, vectorised over channels.
/// Ties go to the first maximum in window order (row by row), as in PyTorch; the argmax (window
/// index 0..8 per output value) routes the gradient in the backward pass.
/// </summary>
internal static unsafe class PoolKernels
{
    public static void MaxPool(float* input, Plane inPlane, float* output, Plane outPlane, byte* argmax) =>
        MaxPool(input, inPlane, output, outPlane, argmax, Window.All(outPlane));

    /// <summary>The same for the output pixels of <paramref name="window"/> only, each computed as the whole-plane pass does.</summary>
    public static void MaxPool(float* input, Plane inPlane, float* output, Plane outPlane, byte* argmax, Window window)
    {
        if (!ConvKernels.Simd)
        {
            ReferenceKernels.MaxPool(input, inPlane, output, outPlane, argmax, window);
            return;
        }
        int cs = inPlane.Stride;
        int* index = stackalloc int[16];
        // Window tap k as an offset from the window centre (2oy, 2ox).
        int* relative = stackalloc int[9];
        for (int k = 0; k < 9; k++) relative[k] = ((k / 3 - 1) * (inPlane.Width + 2) + (k % 3 - 1)) * cs;
        for (int oy = window.Y0; oy < window.Y1; oy++)
        {
            bool rowInside = oy >= 1 && 2 * oy + 1 < inPlane.Height;
            for (int ox = window.X0; ox < window.X1; ox++)
            {
                float* dst = output + outPlane.Offset(oy, ox);
                if (rowInside && ox >= 1 && 2 * ox + 1 < inPlane.Width)
                {
                    // All nine taps inside: no bounds checks; without argmax (inference) a plain vector max.
                    float* centre = input + inPlane.Offset(2 * oy, 2 * ox);
                    if (argmax != null)
                    {
                        for (int c = 0; c < cs; c += 16)
                        {
                            float* q = centre + c;
                            Vector512<float> best = Vector512.Load(q + relative[0]);
                            Vector512<int> bestK = Vector512<int>.Zero;
                            for (int k = 1; k < 9; k++)
                            {
                                Vector512<float> v = Vector512.Load(q + relative[k]);
                                Vector512<float> greater = Vector512.GreaterThan(v, best);
                                best = Vector512.ConditionalSelect(greater, v, best);
                                bestK = Vector512.ConditionalSelect(greater.AsInt32(), Vector512.Create(k), bestK);
                            }
                            best.Store(dst + c);
                            bestK.Store(index);
                            byte* a = argmax + (oy * outPlane.Width + ox) * cs + c;
                            for (int i = 0; i < 16; i++) a[i] = (byte)index[i];
                        }
                        continue;
                    }
                    for (int c = 0; c < cs; c += 16)
                    {
                        float* q = centre + c;
                        var m = Vector512.Max(Vector512.Max(Vector512.Load(q + relative[0]), Vector512.Load(q + relative[1])), Vector512.Load(q + relative[2]));
                        m = Vector512.Max(m, Vector512.Max(Vector512.Max(Vector512.Load(q + relative[3]), Vector512.Load(q)), Vector512.Load(q + relative[5])));
                        m = Vector512.Max(m, Vector512.Max(Vector512.Max(Vector512.Load(q + relative[6]), Vector512.Load(q + relative[7])), Vector512.Load(q + relative[8])));
                        m.Store(dst + c);
                    }
                    continue;
                }
                for (int c = 0; c < cs; c += 16)
                {
                    Vector512<float> best = Vector512.Create(float.NegativeInfinity);
                    Vector512<int> bestK = Vector512<int>.Zero;
                    for (int k = 0; k < 9; k++)
                    {
                        int iy = 2 * oy - 1 + k / 3, ix = 2 * ox - 1 + k % 3;
                        if (iy < 0 || ix < 0 || iy >= inPlane.Height || ix >= inPlane.Width) continue;
                        Vector512<float> v = Vector512.Load(input + inPlane.Offset(iy, ix) + c);
                        Vector512<float> greater = Vector512.GreaterThan(v, best);
                        best = Vector512.ConditionalSelect(greater, v, best);
                        bestK = Vector512.ConditionalSelect(greater.AsInt32(), Vector512.Create(k), bestK);
                    }
                    best.Store(dst + c);
                    if (argmax != null)
                    {
                        bestK.Store(index);
                        byte* a = argmax + (oy * outPlane.Width + ox) * cs + c;
                        for (int i = 0; i < 16; i++) a[i] = (byte)index[i];
                    }
                }
            }
        }
    }

    /// <summary>dInput (interior cleared first) receives each dOutput value at its window's argmax.</summary>
    public static void MaxPoolBackward(float* dOutput, Plane outPlane, byte* argmax, float* dInput, Plane inPlane)
    {
        int cs = inPlane.Stride;
        for (int y = 0; y < inPlane.Height; y++)
            new Span<float>(dInput + inPlane.Offset(y, 0), inPlane.Width * cs).Clear();
        // Window index k (row-major in the 3x3 window) as an offset from the window centre (2oy, 2ox).
        int* relative = stackalloc int[9];
        for (int k = 0; k < 9; k++) relative[k] = ((k / 3 - 1) * (inPlane.Width + 2) + (k % 3 - 1)) * cs;
        for (int oy = 0; oy < outPlane.Height; oy++)
            for (int ox = 0; ox < outPlane.Width; ox++)
            {
                float* d = dOutput + outPlane.Offset(oy, ox);
                byte* a = argmax + (oy * outPlane.Width + ox) * cs;
                float* centre = dInput + inPlane.Offset(2 * oy, 2 * ox);
                for (int c = 0; c < cs; c++) centre[relative[a[c]] + c] += d[c];
            }
    }
}
