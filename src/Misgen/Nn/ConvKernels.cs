using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Misgen.Nn;

/// <summary>
/// Direct 3x3 convolution (stride 1, padding 1) on padded NHWC planes (<see cref="Plane"/>), with
/// register-blocked micro-kernels: a row of 16 output pixels x 16 output channels, or 8 pixels x
/// 32 channels, held in zmm accumulators; each input value is broadcast once and multiplied into
/// a vector of weights. Packed weights are [ky][kx][ci (stride)][co (stride)], so for a fixed ky the
/// 3 x stride inputs of a pixel's neighbourhood row are contiguous in memory, like the weights.
/// The same kernel computes the input gradient with flipped, transposed weights.
/// Vector512 is used whenever Vector512 or Vector256 is accelerated (on AVX2-only hardware the
/// runtime executes each Vector512 operation as two Vector256 ones); otherwise the scalar
/// reference in <see cref="ReferenceKernels"/> runs.
/// </summary>
internal static unsafe class ConvKernels
{
    public static bool Simd { get; } = Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated;

    /// <summary>
    /// output[y, x, :] = bias + addend[y, x, :] + sum over taps and input channels. Input, output and
    /// addend are padded planes of the same height and width; addend (residual) may be null.
    /// </summary>
    public static void Forward(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend) =>
        Forward(input, inPlane, weights, bias, output, outPlane, addend, Window.All(outPlane));

    /// <summary>
    /// The same for the output pixels of <paramref name="window"/> only (the rest of the output is left as it is). Each
    /// pixel is computed exactly as the whole-plane pass computes it: every micro-kernel of one output-channel family
    /// accumulates in the same order, so results are bit-identical.
    /// </summary>
    public static void Forward(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, Window window)
    {
        if (window.IsEmpty) return;
        if (!Simd)
        {
            ReferenceKernels.ConvForward(input, inPlane, weights, bias, output, outPlane, addend, window);
            return;
        }
        // The first layer's RGB stride becomes a JIT-time constant (fixed broadcast displacements:
        // 117 -> 157 GFLOP/s measured). For strides 16 and 32 the specialised code measured slower
        // (165 vs 220 GFLOP/s at 16x16x32), so they keep the runtime stride.
        if (inPlane.Stride == 3)
            ForwardRows<Stride3>(input, inPlane, weights, bias, output, outPlane, addend, window);
        else
        {
            AnyStride.Current = inPlane.Stride;
            ForwardRows<AnyStride>(input, inPlane, weights, bias, output, outPlane, addend, window);
        }
    }

    private static void ForwardRows<TStride>(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, Window window)
        where TStride : struct, IStride
    {
        int width = window.X1, groups = outPlane.Stride / 16;
        for (int y = window.Y0; y < window.Y1; y++)
        {
            int g = 0;
            for (; g + 2 <= groups; g += 2)
            {
                int x = window.X0;
                for (; x + 8 <= width; x += 8) Pixels8Groups2<TStride>(input, inPlane, weights, bias, output, outPlane, addend, y, x, g);
                if (x + 4 <= width) { Pixels4Groups2<TStride>(input, inPlane, weights, bias, output, outPlane, addend, y, x, g); x += 4; }
                if (x + 2 <= width) { Pixels2Groups2<TStride>(input, inPlane, weights, bias, output, outPlane, addend, y, x, g); x += 2; }
                if (x < width) Pixels1Groups2<TStride>(input, inPlane, weights, bias, output, outPlane, addend, y, x, g);
            }
            if (g < groups)
            {
                int x = window.X0;
                for (; x + 16 <= width; x += 16) Pixels16Group1<TStride>(input, inPlane, weights, bias, output, outPlane, addend, y, x, g);
                if (x + 8 <= width) { Pixels8Group1<TStride>(input, inPlane, weights, bias, output, outPlane, addend, y, x, g); x += 8; }
                if (x + 4 <= width) { Pixels4Group1<TStride>(input, inPlane, weights, bias, output, outPlane, addend, y, x, g); x += 4; }
                if (x + 2 <= width) { Pixels2Group1<TStride>(input, inPlane, weights, bias, output, outPlane, addend, y, x, g); x += 2; }
                if (x < width) Pixels1Group1<TStride>(input, inPlane, weights, bias, output, outPlane, addend, y, x, g);
            }
        }
    }

    // Micro-kernels below are written out by hand, one per shape (16, 8, 4, 2 or 1 output pixels x 1 or 2
    // groups of 16 output channels), so the accumulators stay in registers: there is no generator. All
    // follow one pattern: load the bias into P x G accumulators; for each kernel row ky and input channel
    // broadcast the P + 2 input pixels of that row once and fused-multiply-add each into the accumulators
    // it feeds (pixel p uses taps kx = 0..2 of inputs p..p+2, hence the staircase of FMAs); then add the
    // residual addend if any and store. KernelTests checks every shape against the scalar reference.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixels16Group1<TStride>(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, int y, int x, int g)
        where TStride : struct, IStride
    {
        int cs = TStride.Value, co = outPlane.Stride, channels = inPlane.Channels; // padding channels are zero: skip them
        Vector512<float> b = Vector512.Load(bias + g * 16);
        Vector512<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b, a8 = b, a9 = b, a10 = b, a11 = b, a12 = b, a13 = b, a14 = b, a15 = b;
        for (int ky = 0; ky < 3; ky++)
        {
            float* src = input + ((y + ky) * (inPlane.Width + 2) + x) * cs;
            float* w = weights + ky * 3 * cs * co + g * 16;
            for (int ci = 0; ci < channels; ci++, src++, w += co)
            {
                Vector512<float> w0 = Vector512.Load(w), w1 = Vector512.Load(w + cs * co), w2 = Vector512.Load(w + 2 * cs * co);
                Vector512<float> s;
                s = Vector512.Create(src[0]); a0 = Vector512.FusedMultiplyAdd(s, w0, a0);
                s = Vector512.Create(src[cs]); a1 = Vector512.FusedMultiplyAdd(s, w0, a1); a0 = Vector512.FusedMultiplyAdd(s, w1, a0);
                s = Vector512.Create(src[2 * cs]); a2 = Vector512.FusedMultiplyAdd(s, w0, a2); a1 = Vector512.FusedMultiplyAdd(s, w1, a1); a0 = Vector512.FusedMultiplyAdd(s, w2, a0);
                s = Vector512.Create(src[3 * cs]); a3 = Vector512.FusedMultiplyAdd(s, w0, a3); a2 = Vector512.FusedMultiplyAdd(s, w1, a2); a1 = Vector512.FusedMultiplyAdd(s, w2, a1);
                s = Vector512.Create(src[4 * cs]); a4 = Vector512.FusedMultiplyAdd(s, w0, a4); a3 = Vector512.FusedMultiplyAdd(s, w1, a3); a2 = Vector512.FusedMultiplyAdd(s, w2, a2);
                s = Vector512.Create(src[5 * cs]); a5 = Vector512.FusedMultiplyAdd(s, w0, a5); a4 = Vector512.FusedMultiplyAdd(s, w1, a4); a3 = Vector512.FusedMultiplyAdd(s, w2, a3);
                s = Vector512.Create(src[6 * cs]); a6 = Vector512.FusedMultiplyAdd(s, w0, a6); a5 = Vector512.FusedMultiplyAdd(s, w1, a5); a4 = Vector512.FusedMultiplyAdd(s, w2, a4);
                s = Vector512.Create(src[7 * cs]); a7 = Vector512.FusedMultiplyAdd(s, w0, a7); a6 = Vector512.FusedMultiplyAdd(s, w1, a6); a5 = Vector512.FusedMultiplyAdd(s, w2, a5);
                s = Vector512.Create(src[8 * cs]); a8 = Vector512.FusedMultiplyAdd(s, w0, a8); a7 = Vector512.FusedMultiplyAdd(s, w1, a7); a6 = Vector512.FusedMultiplyAdd(s, w2, a6);
                s = Vector512.Create(src[9 * cs]); a9 = Vector512.FusedMultiplyAdd(s, w0, a9); a8 = Vector512.FusedMultiplyAdd(s, w1, a8); a7 = Vector512.FusedMultiplyAdd(s, w2, a7);
                s = Vector512.Create(src[10 * cs]); a10 = Vector512.FusedMultiplyAdd(s, w0, a10); a9 = Vector512.FusedMultiplyAdd(s, w1, a9); a8 = Vector512.FusedMultiplyAdd(s, w2, a8);
                s = Vector512.Create(src[11 * cs]); a11 = Vector512.FusedMultiplyAdd(s, w0, a11); a10 = Vector512.FusedMultiplyAdd(s, w1, a10); a9 = Vector512.FusedMultiplyAdd(s, w2, a9);
                s = Vector512.Create(src[12 * cs]); a12 = Vector512.FusedMultiplyAdd(s, w0, a12); a11 = Vector512.FusedMultiplyAdd(s, w1, a11); a10 = Vector512.FusedMultiplyAdd(s, w2, a10);
                s = Vector512.Create(src[13 * cs]); a13 = Vector512.FusedMultiplyAdd(s, w0, a13); a12 = Vector512.FusedMultiplyAdd(s, w1, a12); a11 = Vector512.FusedMultiplyAdd(s, w2, a11);
                s = Vector512.Create(src[14 * cs]); a14 = Vector512.FusedMultiplyAdd(s, w0, a14); a13 = Vector512.FusedMultiplyAdd(s, w1, a13); a12 = Vector512.FusedMultiplyAdd(s, w2, a12);
                s = Vector512.Create(src[15 * cs]); a15 = Vector512.FusedMultiplyAdd(s, w0, a15); a14 = Vector512.FusedMultiplyAdd(s, w1, a14); a13 = Vector512.FusedMultiplyAdd(s, w2, a13);
                s = Vector512.Create(src[16 * cs]); a15 = Vector512.FusedMultiplyAdd(s, w1, a15); a14 = Vector512.FusedMultiplyAdd(s, w2, a14);
                s = Vector512.Create(src[17 * cs]); a15 = Vector512.FusedMultiplyAdd(s, w2, a15);
            }
        }
        float* dst = output + outPlane.Offset(y, x) + g * 16;
        if (addend != null)
        {
            float* add = addend + outPlane.Offset(y, x) + g * 16;
            a0 += Vector512.Load(add + 0 * co);
            a1 += Vector512.Load(add + 1 * co);
            a2 += Vector512.Load(add + 2 * co);
            a3 += Vector512.Load(add + 3 * co);
            a4 += Vector512.Load(add + 4 * co);
            a5 += Vector512.Load(add + 5 * co);
            a6 += Vector512.Load(add + 6 * co);
            a7 += Vector512.Load(add + 7 * co);
            a8 += Vector512.Load(add + 8 * co);
            a9 += Vector512.Load(add + 9 * co);
            a10 += Vector512.Load(add + 10 * co);
            a11 += Vector512.Load(add + 11 * co);
            a12 += Vector512.Load(add + 12 * co);
            a13 += Vector512.Load(add + 13 * co);
            a14 += Vector512.Load(add + 14 * co);
            a15 += Vector512.Load(add + 15 * co);
        }
        a0.Store(dst + 0 * co);
        a1.Store(dst + 1 * co);
        a2.Store(dst + 2 * co);
        a3.Store(dst + 3 * co);
        a4.Store(dst + 4 * co);
        a5.Store(dst + 5 * co);
        a6.Store(dst + 6 * co);
        a7.Store(dst + 7 * co);
        a8.Store(dst + 8 * co);
        a9.Store(dst + 9 * co);
        a10.Store(dst + 10 * co);
        a11.Store(dst + 11 * co);
        a12.Store(dst + 12 * co);
        a13.Store(dst + 13 * co);
        a14.Store(dst + 14 * co);
        a15.Store(dst + 15 * co);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixels8Group1<TStride>(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, int y, int x, int g)
        where TStride : struct, IStride
    {
        int cs = TStride.Value, co = outPlane.Stride, channels = inPlane.Channels; // padding channels are zero: skip them
        Vector512<float> b = Vector512.Load(bias + g * 16);
        Vector512<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        for (int ky = 0; ky < 3; ky++)
        {
            float* src = input + ((y + ky) * (inPlane.Width + 2) + x) * cs;
            float* w = weights + ky * 3 * cs * co + g * 16;
            for (int ci = 0; ci < channels; ci++, src++, w += co)
            {
                Vector512<float> w0 = Vector512.Load(w), w1 = Vector512.Load(w + cs * co), w2 = Vector512.Load(w + 2 * cs * co);
                Vector512<float> s;
                s = Vector512.Create(src[0]); a0 = Vector512.FusedMultiplyAdd(s, w0, a0);
                s = Vector512.Create(src[cs]); a1 = Vector512.FusedMultiplyAdd(s, w0, a1); a0 = Vector512.FusedMultiplyAdd(s, w1, a0);
                s = Vector512.Create(src[2 * cs]); a2 = Vector512.FusedMultiplyAdd(s, w0, a2); a1 = Vector512.FusedMultiplyAdd(s, w1, a1); a0 = Vector512.FusedMultiplyAdd(s, w2, a0);
                s = Vector512.Create(src[3 * cs]); a3 = Vector512.FusedMultiplyAdd(s, w0, a3); a2 = Vector512.FusedMultiplyAdd(s, w1, a2); a1 = Vector512.FusedMultiplyAdd(s, w2, a1);
                s = Vector512.Create(src[4 * cs]); a4 = Vector512.FusedMultiplyAdd(s, w0, a4); a3 = Vector512.FusedMultiplyAdd(s, w1, a3); a2 = Vector512.FusedMultiplyAdd(s, w2, a2);
                s = Vector512.Create(src[5 * cs]); a5 = Vector512.FusedMultiplyAdd(s, w0, a5); a4 = Vector512.FusedMultiplyAdd(s, w1, a4); a3 = Vector512.FusedMultiplyAdd(s, w2, a3);
                s = Vector512.Create(src[6 * cs]); a6 = Vector512.FusedMultiplyAdd(s, w0, a6); a5 = Vector512.FusedMultiplyAdd(s, w1, a5); a4 = Vector512.FusedMultiplyAdd(s, w2, a4);
                s = Vector512.Create(src[7 * cs]); a7 = Vector512.FusedMultiplyAdd(s, w0, a7); a6 = Vector512.FusedMultiplyAdd(s, w1, a6); a5 = Vector512.FusedMultiplyAdd(s, w2, a5);
                s = Vector512.Create(src[8 * cs]); a7 = Vector512.FusedMultiplyAdd(s, w1, a7); a6 = Vector512.FusedMultiplyAdd(s, w2, a6);
                s = Vector512.Create(src[9 * cs]); a7 = Vector512.FusedMultiplyAdd(s, w2, a7);
            }
        }
        float* dst = output + outPlane.Offset(y, x) + g * 16;
        if (addend != null)
        {
            float* add = addend + outPlane.Offset(y, x) + g * 16;
            a0 += Vector512.Load(add + 0 * co);
            a1 += Vector512.Load(add + 1 * co);
            a2 += Vector512.Load(add + 2 * co);
            a3 += Vector512.Load(add + 3 * co);
            a4 += Vector512.Load(add + 4 * co);
            a5 += Vector512.Load(add + 5 * co);
            a6 += Vector512.Load(add + 6 * co);
            a7 += Vector512.Load(add + 7 * co);
        }
        a0.Store(dst + 0 * co);
        a1.Store(dst + 1 * co);
        a2.Store(dst + 2 * co);
        a3.Store(dst + 3 * co);
        a4.Store(dst + 4 * co);
        a5.Store(dst + 5 * co);
        a6.Store(dst + 6 * co);
        a7.Store(dst + 7 * co);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixels4Group1<TStride>(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, int y, int x, int g)
        where TStride : struct, IStride
    {
        int cs = TStride.Value, co = outPlane.Stride, channels = inPlane.Channels; // padding channels are zero: skip them
        Vector512<float> b = Vector512.Load(bias + g * 16);
        Vector512<float> a0 = b, a1 = b, a2 = b, a3 = b;
        for (int ky = 0; ky < 3; ky++)
        {
            float* src = input + ((y + ky) * (inPlane.Width + 2) + x) * cs;
            float* w = weights + ky * 3 * cs * co + g * 16;
            for (int ci = 0; ci < channels; ci++, src++, w += co)
            {
                Vector512<float> w0 = Vector512.Load(w), w1 = Vector512.Load(w + cs * co), w2 = Vector512.Load(w + 2 * cs * co);
                Vector512<float> s;
                s = Vector512.Create(src[0]); a0 = Vector512.FusedMultiplyAdd(s, w0, a0);
                s = Vector512.Create(src[cs]); a1 = Vector512.FusedMultiplyAdd(s, w0, a1); a0 = Vector512.FusedMultiplyAdd(s, w1, a0);
                s = Vector512.Create(src[2 * cs]); a2 = Vector512.FusedMultiplyAdd(s, w0, a2); a1 = Vector512.FusedMultiplyAdd(s, w1, a1); a0 = Vector512.FusedMultiplyAdd(s, w2, a0);
                s = Vector512.Create(src[3 * cs]); a3 = Vector512.FusedMultiplyAdd(s, w0, a3); a2 = Vector512.FusedMultiplyAdd(s, w1, a2); a1 = Vector512.FusedMultiplyAdd(s, w2, a1);
                s = Vector512.Create(src[4 * cs]); a3 = Vector512.FusedMultiplyAdd(s, w1, a3); a2 = Vector512.FusedMultiplyAdd(s, w2, a2);
                s = Vector512.Create(src[5 * cs]); a3 = Vector512.FusedMultiplyAdd(s, w2, a3);
            }
        }
        float* dst = output + outPlane.Offset(y, x) + g * 16;
        if (addend != null)
        {
            float* add = addend + outPlane.Offset(y, x) + g * 16;
            a0 += Vector512.Load(add + 0 * co);
            a1 += Vector512.Load(add + 1 * co);
            a2 += Vector512.Load(add + 2 * co);
            a3 += Vector512.Load(add + 3 * co);
        }
        a0.Store(dst + 0 * co);
        a1.Store(dst + 1 * co);
        a2.Store(dst + 2 * co);
        a3.Store(dst + 3 * co);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixels2Group1<TStride>(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, int y, int x, int g)
        where TStride : struct, IStride
    {
        int cs = TStride.Value, co = outPlane.Stride, channels = inPlane.Channels; // padding channels are zero: skip them
        Vector512<float> b = Vector512.Load(bias + g * 16);
        Vector512<float> a0 = b, a1 = b;
        for (int ky = 0; ky < 3; ky++)
        {
            float* src = input + ((y + ky) * (inPlane.Width + 2) + x) * cs;
            float* w = weights + ky * 3 * cs * co + g * 16;
            for (int ci = 0; ci < channels; ci++, src++, w += co)
            {
                Vector512<float> w0 = Vector512.Load(w), w1 = Vector512.Load(w + cs * co), w2 = Vector512.Load(w + 2 * cs * co);
                Vector512<float> s;
                s = Vector512.Create(src[0]); a0 = Vector512.FusedMultiplyAdd(s, w0, a0);
                s = Vector512.Create(src[cs]); a1 = Vector512.FusedMultiplyAdd(s, w0, a1); a0 = Vector512.FusedMultiplyAdd(s, w1, a0);
                s = Vector512.Create(src[2 * cs]); a1 = Vector512.FusedMultiplyAdd(s, w1, a1); a0 = Vector512.FusedMultiplyAdd(s, w2, a0);
                s = Vector512.Create(src[3 * cs]); a1 = Vector512.FusedMultiplyAdd(s, w2, a1);
            }
        }
        float* dst = output + outPlane.Offset(y, x) + g * 16;
        if (addend != null)
        {
            float* add = addend + outPlane.Offset(y, x) + g * 16;
            a0 += Vector512.Load(add + 0 * co);
            a1 += Vector512.Load(add + 1 * co);
        }
        a0.Store(dst + 0 * co);
        a1.Store(dst + 1 * co);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixels1Group1<TStride>(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, int y, int x, int g)
        where TStride : struct, IStride
    {
        int cs = TStride.Value, co = outPlane.Stride, channels = inPlane.Channels; // padding channels are zero: skip them
        Vector512<float> b = Vector512.Load(bias + g * 16);
        Vector512<float> a0 = b;
        for (int ky = 0; ky < 3; ky++)
        {
            float* src = input + ((y + ky) * (inPlane.Width + 2) + x) * cs;
            float* w = weights + ky * 3 * cs * co + g * 16;
            for (int ci = 0; ci < channels; ci++, src++, w += co)
            {
                Vector512<float> w0 = Vector512.Load(w), w1 = Vector512.Load(w + cs * co), w2 = Vector512.Load(w + 2 * cs * co);
                Vector512<float> s;
                s = Vector512.Create(src[0]); a0 = Vector512.FusedMultiplyAdd(s, w0, a0);
                s = Vector512.Create(src[cs]); a0 = Vector512.FusedMultiplyAdd(s, w1, a0);
                s = Vector512.Create(src[2 * cs]); a0 = Vector512.FusedMultiplyAdd(s, w2, a0);
            }
        }
        float* dst = output + outPlane.Offset(y, x) + g * 16;
        if (addend != null)
        {
            float* add = addend + outPlane.Offset(y, x) + g * 16;
            a0 += Vector512.Load(add + 0 * co);
        }
        a0.Store(dst + 0 * co);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixels8Groups2<TStride>(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, int y, int x, int g)
        where TStride : struct, IStride
    {
        int cs = TStride.Value, co = outPlane.Stride, k3 = 3 * cs, channels = inPlane.Channels;
        Vector512<float> b0 = Vector512.Load(bias + g * 16), b1 = Vector512.Load(bias + g * 16 + 16);
        Vector512<float> a0 = b0, c0 = b1, a1 = b0, c1 = b1, a2 = b0, c2 = b1, a3 = b0, c3 = b1, a4 = b0, c4 = b1, a5 = b0, c5 = b1, a6 = b0, c6 = b1, a7 = b0, c7 = b1;
        for (int ky = 0; ky < 3; ky++)
        {
            for (int kx = 0; kx < 3; kx++)
            {
            float* src = input + ((y + ky) * (inPlane.Width + 2) + x + kx) * cs;
            float* w = weights + (ky * k3 + kx * cs) * co + g * 16;
            for (int ci = 0; ci < channels; ci++, src++, w += co) // padding channels are zero: skip them
            {
                Vector512<float> w0 = Vector512.Load(w), w1 = Vector512.Load(w + 16);
                Vector512<float> s;
                s = Vector512.Create(src[0]); a0 = Vector512.FusedMultiplyAdd(s, w0, a0); c0 = Vector512.FusedMultiplyAdd(s, w1, c0);
                s = Vector512.Create(src[cs]); a1 = Vector512.FusedMultiplyAdd(s, w0, a1); c1 = Vector512.FusedMultiplyAdd(s, w1, c1);
                s = Vector512.Create(src[2 * cs]); a2 = Vector512.FusedMultiplyAdd(s, w0, a2); c2 = Vector512.FusedMultiplyAdd(s, w1, c2);
                s = Vector512.Create(src[3 * cs]); a3 = Vector512.FusedMultiplyAdd(s, w0, a3); c3 = Vector512.FusedMultiplyAdd(s, w1, c3);
                s = Vector512.Create(src[4 * cs]); a4 = Vector512.FusedMultiplyAdd(s, w0, a4); c4 = Vector512.FusedMultiplyAdd(s, w1, c4);
                s = Vector512.Create(src[5 * cs]); a5 = Vector512.FusedMultiplyAdd(s, w0, a5); c5 = Vector512.FusedMultiplyAdd(s, w1, c5);
                s = Vector512.Create(src[6 * cs]); a6 = Vector512.FusedMultiplyAdd(s, w0, a6); c6 = Vector512.FusedMultiplyAdd(s, w1, c6);
                s = Vector512.Create(src[7 * cs]); a7 = Vector512.FusedMultiplyAdd(s, w0, a7); c7 = Vector512.FusedMultiplyAdd(s, w1, c7);
            }
            }
        }
        float* dst = output + outPlane.Offset(y, x) + g * 16;
        if (addend != null)
        {
            float* add = addend + outPlane.Offset(y, x) + g * 16;
            a0 += Vector512.Load(add + 0 * co); c0 += Vector512.Load(add + 0 * co + 16);
            a1 += Vector512.Load(add + 1 * co); c1 += Vector512.Load(add + 1 * co + 16);
            a2 += Vector512.Load(add + 2 * co); c2 += Vector512.Load(add + 2 * co + 16);
            a3 += Vector512.Load(add + 3 * co); c3 += Vector512.Load(add + 3 * co + 16);
            a4 += Vector512.Load(add + 4 * co); c4 += Vector512.Load(add + 4 * co + 16);
            a5 += Vector512.Load(add + 5 * co); c5 += Vector512.Load(add + 5 * co + 16);
            a6 += Vector512.Load(add + 6 * co); c6 += Vector512.Load(add + 6 * co + 16);
            a7 += Vector512.Load(add + 7 * co); c7 += Vector512.Load(add + 7 * co + 16);
        }
        a0.Store(dst + 0 * co); c0.Store(dst + 0 * co + 16);
        a1.Store(dst + 1 * co); c1.Store(dst + 1 * co + 16);
        a2.Store(dst + 2 * co); c2.Store(dst + 2 * co + 16);
        a3.Store(dst + 3 * co); c3.Store(dst + 3 * co + 16);
        a4.Store(dst + 4 * co); c4.Store(dst + 4 * co + 16);
        a5.Store(dst + 5 * co); c5.Store(dst + 5 * co + 16);
        a6.Store(dst + 6 * co); c6.Store(dst + 6 * co + 16);
        a7.Store(dst + 7 * co); c7.Store(dst + 7 * co + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixels4Groups2<TStride>(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, int y, int x, int g)
        where TStride : struct, IStride
    {
        int cs = TStride.Value, co = outPlane.Stride, k3 = 3 * cs, channels = inPlane.Channels;
        Vector512<float> b0 = Vector512.Load(bias + g * 16), b1 = Vector512.Load(bias + g * 16 + 16);
        Vector512<float> a0 = b0, c0 = b1, a1 = b0, c1 = b1, a2 = b0, c2 = b1, a3 = b0, c3 = b1;
        for (int ky = 0; ky < 3; ky++)
        {
            for (int kx = 0; kx < 3; kx++)
            {
            float* src = input + ((y + ky) * (inPlane.Width + 2) + x + kx) * cs;
            float* w = weights + (ky * k3 + kx * cs) * co + g * 16;
            for (int ci = 0; ci < channels; ci++, src++, w += co) // padding channels are zero: skip them
            {
                Vector512<float> w0 = Vector512.Load(w), w1 = Vector512.Load(w + 16);
                Vector512<float> s;
                s = Vector512.Create(src[0]); a0 = Vector512.FusedMultiplyAdd(s, w0, a0); c0 = Vector512.FusedMultiplyAdd(s, w1, c0);
                s = Vector512.Create(src[cs]); a1 = Vector512.FusedMultiplyAdd(s, w0, a1); c1 = Vector512.FusedMultiplyAdd(s, w1, c1);
                s = Vector512.Create(src[2 * cs]); a2 = Vector512.FusedMultiplyAdd(s, w0, a2); c2 = Vector512.FusedMultiplyAdd(s, w1, c2);
                s = Vector512.Create(src[3 * cs]); a3 = Vector512.FusedMultiplyAdd(s, w0, a3); c3 = Vector512.FusedMultiplyAdd(s, w1, c3);
            }
            }
        }
        float* dst = output + outPlane.Offset(y, x) + g * 16;
        if (addend != null)
        {
            float* add = addend + outPlane.Offset(y, x) + g * 16;
            a0 += Vector512.Load(add + 0 * co); c0 += Vector512.Load(add + 0 * co + 16);
            a1 += Vector512.Load(add + 1 * co); c1 += Vector512.Load(add + 1 * co + 16);
            a2 += Vector512.Load(add + 2 * co); c2 += Vector512.Load(add + 2 * co + 16);
            a3 += Vector512.Load(add + 3 * co); c3 += Vector512.Load(add + 3 * co + 16);
        }
        a0.Store(dst + 0 * co); c0.Store(dst + 0 * co + 16);
        a1.Store(dst + 1 * co); c1.Store(dst + 1 * co + 16);
        a2.Store(dst + 2 * co); c2.Store(dst + 2 * co + 16);
        a3.Store(dst + 3 * co); c3.Store(dst + 3 * co + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixels2Groups2<TStride>(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, int y, int x, int g)
        where TStride : struct, IStride
    {
        int cs = TStride.Value, co = outPlane.Stride, k3 = 3 * cs, channels = inPlane.Channels;
        Vector512<float> b0 = Vector512.Load(bias + g * 16), b1 = Vector512.Load(bias + g * 16 + 16);
        Vector512<float> a0 = b0, c0 = b1, a1 = b0, c1 = b1;
        for (int ky = 0; ky < 3; ky++)
        {
            for (int kx = 0; kx < 3; kx++)
            {
            float* src = input + ((y + ky) * (inPlane.Width + 2) + x + kx) * cs;
            float* w = weights + (ky * k3 + kx * cs) * co + g * 16;
            for (int ci = 0; ci < channels; ci++, src++, w += co) // padding channels are zero: skip them
            {
                Vector512<float> w0 = Vector512.Load(w), w1 = Vector512.Load(w + 16);
                Vector512<float> s;
                s = Vector512.Create(src[0]); a0 = Vector512.FusedMultiplyAdd(s, w0, a0); c0 = Vector512.FusedMultiplyAdd(s, w1, c0);
                s = Vector512.Create(src[cs]); a1 = Vector512.FusedMultiplyAdd(s, w0, a1); c1 = Vector512.FusedMultiplyAdd(s, w1, c1);
            }
            }
        }
        float* dst = output + outPlane.Offset(y, x) + g * 16;
        if (addend != null)
        {
            float* add = addend + outPlane.Offset(y, x) + g * 16;
            a0 += Vector512.Load(add + 0 * co); c0 += Vector512.Load(add + 0 * co + 16);
            a1 += Vector512.Load(add + 1 * co); c1 += Vector512.Load(add + 1 * co + 16);
        }
        a0.Store(dst + 0 * co); c0.Store(dst + 0 * co + 16);
        a1.Store(dst + 1 * co); c1.Store(dst + 1 * co + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixels1Groups2<TStride>(float* input, Plane inPlane, float* weights, float* bias, float* output, Plane outPlane, float* addend, int y, int x, int g)
        where TStride : struct, IStride
    {
        int cs = TStride.Value, co = outPlane.Stride, k3 = 3 * cs, channels = inPlane.Channels;
        Vector512<float> b0 = Vector512.Load(bias + g * 16), b1 = Vector512.Load(bias + g * 16 + 16);
        Vector512<float> a0 = b0, c0 = b1;
        for (int ky = 0; ky < 3; ky++)
        {
            for (int kx = 0; kx < 3; kx++)
            {
            float* src = input + ((y + ky) * (inPlane.Width + 2) + x + kx) * cs;
            float* w = weights + (ky * k3 + kx * cs) * co + g * 16;
            for (int ci = 0; ci < channels; ci++, src++, w += co) // padding channels are zero: skip them
            {
                Vector512<float> w0 = Vector512.Load(w), w1 = Vector512.Load(w + 16);
                Vector512<float> s;
                s = Vector512.Create(src[0]); a0 = Vector512.FusedMultiplyAdd(s, w0, a0); c0 = Vector512.FusedMultiplyAdd(s, w1, c0);
            }
            }
        }
        float* dst = output + outPlane.Offset(y, x) + g * 16;
        if (addend != null)
        {
            float* add = addend + outPlane.Offset(y, x) + g * 16;
            a0 += Vector512.Load(add + 0 * co); c0 += Vector512.Load(add + 0 * co + 16);
        }
        a0.Store(dst + 0 * co); c0.Store(dst + 0 * co + 16);
    }

    /// <summary>
    /// Accumulates the weight gradient dW[ky][kx][ci][co] += sum over pixels of
    /// input[y + ky - 1, x + kx - 1, ci] * dOut[y, x, co] (an outer product per pixel, ci rows held
    /// in registers), and the bias gradient.
    /// </summary>
    public static void WeightGrad(float* input, Plane inPlane, float* dOut, Plane outPlane, float* dWeights, float* dBias)
    {
        if (!Simd)
        {
            ReferenceKernels.ConvWeightGrad(input, inPlane, dOut, outPlane, dWeights, dBias);
            return;
        }
        int groups = outPlane.Stride / 16, k3 = 3 * inPlane.Stride;
        for (int ky = 0; ky < 3; ky++)
        {
            int g = 0;
            for (; g + 2 <= groups; g += 2)
                for (int k = 0; k < k3; k += 8) Rows8Groups2(input, inPlane, dOut, outPlane, dWeights, ky, k, Math.Min(8, k3 - k), g);
            if (g < groups)
            {
                if (inPlane.Channels >= 8)
                    for (int ci = 0; ci < inPlane.Channels; ci += 8) TapsRows8Group1(input, inPlane, dOut, outPlane, dWeights, ky, ci, g);
                else
                    for (int k = 0; k < k3; k += 16) Rows16Group1(input, inPlane, dOut, outPlane, dWeights, ky, k, Math.Min(16, k3 - k), g);
            }
        }
        BiasGrad(dOut, outPlane, dBias);
    }

    private static void BiasGrad(float* dOut, Plane outPlane, float* dBias)
    {
        int co = outPlane.Stride;
        for (int g = 0; g < co; g += 16)
        {
            Vector512<float> s = Vector512<float>.Zero, t = Vector512<float>.Zero;
            for (int y = 0; y < outPlane.Height; y++)
            {
                float* row = dOut + outPlane.Offset(y, 0) + g;
                int x = 0;
                for (; x + 2 <= outPlane.Width; x += 2) { s += Vector512.Load(row + x * co); t += Vector512.Load(row + (x + 1) * co); }
                for (; x < outPlane.Width; x++) s += Vector512.Load(row + x * co);
            }
            (Vector512.Load(dBias + g) + (s + t)).Store(dBias + g);
        }
    }

    /// <summary>
    /// Weight gradient for 8 input channels x 16 output channels x all three horizontal taps at once:
    /// each broadcast input value meets the output gradients of the three pixels it feeds (24 FMAs per
    /// 8 broadcasts and 3 loads). Output gradients just outside a row are the plane's zero border
    /// (or the neighbouring row's border), so no edge cases.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TapsRows8Group1(float* input, Plane inPlane, float* dOut, Plane outPlane, float* dWeights, int ky, int ci, int g)
    {
        int cs = inPlane.Stride, co = outPlane.Stride, width = outPlane.Width;
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default, a05 = default, a06 = default, a07 = default, a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default, a16 = default, a17 = default, a20 = default, a21 = default, a22 = default, a23 = default, a24 = default, a25 = default, a26 = default, a27 = default;
        for (int y = 0; y < outPlane.Height; y++)
        {
            float* src = input + (y + ky) * (inPlane.Width + 2) * cs + ci;
            float* d = dOut + outPlane.Offset(y, 0) + g * 16;
            for (int p = 0; p < width + 2; p++, src += cs)
            {
                Vector512<float> d0 = Vector512.Load(d + p * co), d1 = Vector512.Load(d + (p - 1) * co), d2 = Vector512.Load(d + (p - 2) * co);
                Vector512<float> s;
                s = Vector512.Create(src[0]); a00 = Vector512.FusedMultiplyAdd(s, d0, a00); a10 = Vector512.FusedMultiplyAdd(s, d1, a10); a20 = Vector512.FusedMultiplyAdd(s, d2, a20);
                s = Vector512.Create(src[1]); a01 = Vector512.FusedMultiplyAdd(s, d0, a01); a11 = Vector512.FusedMultiplyAdd(s, d1, a11); a21 = Vector512.FusedMultiplyAdd(s, d2, a21);
                s = Vector512.Create(src[2]); a02 = Vector512.FusedMultiplyAdd(s, d0, a02); a12 = Vector512.FusedMultiplyAdd(s, d1, a12); a22 = Vector512.FusedMultiplyAdd(s, d2, a22);
                s = Vector512.Create(src[3]); a03 = Vector512.FusedMultiplyAdd(s, d0, a03); a13 = Vector512.FusedMultiplyAdd(s, d1, a13); a23 = Vector512.FusedMultiplyAdd(s, d2, a23);
                s = Vector512.Create(src[4]); a04 = Vector512.FusedMultiplyAdd(s, d0, a04); a14 = Vector512.FusedMultiplyAdd(s, d1, a14); a24 = Vector512.FusedMultiplyAdd(s, d2, a24);
                s = Vector512.Create(src[5]); a05 = Vector512.FusedMultiplyAdd(s, d0, a05); a15 = Vector512.FusedMultiplyAdd(s, d1, a15); a25 = Vector512.FusedMultiplyAdd(s, d2, a25);
                s = Vector512.Create(src[6]); a06 = Vector512.FusedMultiplyAdd(s, d0, a06); a16 = Vector512.FusedMultiplyAdd(s, d1, a16); a26 = Vector512.FusedMultiplyAdd(s, d2, a26);
                s = Vector512.Create(src[7]); a07 = Vector512.FusedMultiplyAdd(s, d0, a07); a17 = Vector512.FusedMultiplyAdd(s, d1, a17); a27 = Vector512.FusedMultiplyAdd(s, d2, a27);
            }
        }
        int rows = Math.Min(8, inPlane.Channels - ci);
        float* dw0 = dWeights + ((ky * 3 + 0) * cs + ci) * co + g * 16;
        Accumulate(dw0, co, rows, 0, a00); Accumulate(dw0, co, rows, 1, a01); Accumulate(dw0, co, rows, 2, a02); Accumulate(dw0, co, rows, 3, a03); Accumulate(dw0, co, rows, 4, a04); Accumulate(dw0, co, rows, 5, a05); Accumulate(dw0, co, rows, 6, a06); Accumulate(dw0, co, rows, 7, a07);
        float* dw1 = dWeights + ((ky * 3 + 1) * cs + ci) * co + g * 16;
        Accumulate(dw1, co, rows, 0, a10); Accumulate(dw1, co, rows, 1, a11); Accumulate(dw1, co, rows, 2, a12); Accumulate(dw1, co, rows, 3, a13); Accumulate(dw1, co, rows, 4, a14); Accumulate(dw1, co, rows, 5, a15); Accumulate(dw1, co, rows, 6, a16); Accumulate(dw1, co, rows, 7, a17);
        float* dw2 = dWeights + ((ky * 3 + 2) * cs + ci) * co + g * 16;
        Accumulate(dw2, co, rows, 0, a20); Accumulate(dw2, co, rows, 1, a21); Accumulate(dw2, co, rows, 2, a22); Accumulate(dw2, co, rows, 3, a23); Accumulate(dw2, co, rows, 4, a24); Accumulate(dw2, co, rows, 5, a25); Accumulate(dw2, co, rows, 6, a26); Accumulate(dw2, co, rows, 7, a27);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows16Group1(float* input, Plane inPlane, float* dOut, Plane outPlane, float* dWeights, int ky, int k, int rows, int g)
    {
        int cs = inPlane.Stride, co = outPlane.Stride;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> a8 = default, a9 = default, a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
        for (int y = 0; y < outPlane.Height; y++)
        {
            float* src = input + ((y + ky) * (inPlane.Width + 2)) * cs + k;
            float* d = dOut + outPlane.Offset(y, 0) + g * 16;
            for (int x = 0; x < outPlane.Width; x++, src += cs, d += co)
            {
                Vector512<float> dv = Vector512.Load(d);
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(src[0]), dv, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(src[1]), dv, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Create(src[2]), dv, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Create(src[3]), dv, a3);
                a4 = Vector512.FusedMultiplyAdd(Vector512.Create(src[4]), dv, a4);
                a5 = Vector512.FusedMultiplyAdd(Vector512.Create(src[5]), dv, a5);
                a6 = Vector512.FusedMultiplyAdd(Vector512.Create(src[6]), dv, a6);
                a7 = Vector512.FusedMultiplyAdd(Vector512.Create(src[7]), dv, a7);
                a8 = Vector512.FusedMultiplyAdd(Vector512.Create(src[8]), dv, a8);
                a9 = Vector512.FusedMultiplyAdd(Vector512.Create(src[9]), dv, a9);
                a10 = Vector512.FusedMultiplyAdd(Vector512.Create(src[10]), dv, a10);
                a11 = Vector512.FusedMultiplyAdd(Vector512.Create(src[11]), dv, a11);
                a12 = Vector512.FusedMultiplyAdd(Vector512.Create(src[12]), dv, a12);
                a13 = Vector512.FusedMultiplyAdd(Vector512.Create(src[13]), dv, a13);
                a14 = Vector512.FusedMultiplyAdd(Vector512.Create(src[14]), dv, a14);
                a15 = Vector512.FusedMultiplyAdd(Vector512.Create(src[15]), dv, a15);
            }
        }
        float* dw = dWeights + (ky * 3 * cs + k) * co + g * 16;
        Accumulate(dw, co, rows, 0, a0); Accumulate(dw, co, rows, 1, a1); Accumulate(dw, co, rows, 2, a2); Accumulate(dw, co, rows, 3, a3);
        Accumulate(dw, co, rows, 4, a4); Accumulate(dw, co, rows, 5, a5); Accumulate(dw, co, rows, 6, a6); Accumulate(dw, co, rows, 7, a7);
        Accumulate(dw, co, rows, 8, a8); Accumulate(dw, co, rows, 9, a9); Accumulate(dw, co, rows, 10, a10); Accumulate(dw, co, rows, 11, a11);
        Accumulate(dw, co, rows, 12, a12); Accumulate(dw, co, rows, 13, a13); Accumulate(dw, co, rows, 14, a14); Accumulate(dw, co, rows, 15, a15);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows8Groups2(float* input, Plane inPlane, float* dOut, Plane outPlane, float* dWeights, int ky, int k, int rows, int g)
    {
        int cs = inPlane.Stride, co = outPlane.Stride;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (int y = 0; y < outPlane.Height; y++)
        {
            float* src = input + ((y + ky) * (inPlane.Width + 2)) * cs + k;
            float* d = dOut + outPlane.Offset(y, 0) + g * 16;
            for (int x = 0; x < outPlane.Width; x++, src += cs, d += co)
            {
                Vector512<float> d0 = Vector512.Load(d), d1 = Vector512.Load(d + 16);
                Vector512<float> s;
                s = Vector512.Create(src[0]); a0 = Vector512.FusedMultiplyAdd(s, d0, a0); c0 = Vector512.FusedMultiplyAdd(s, d1, c0);
                s = Vector512.Create(src[1]); a1 = Vector512.FusedMultiplyAdd(s, d0, a1); c1 = Vector512.FusedMultiplyAdd(s, d1, c1);
                s = Vector512.Create(src[2]); a2 = Vector512.FusedMultiplyAdd(s, d0, a2); c2 = Vector512.FusedMultiplyAdd(s, d1, c2);
                s = Vector512.Create(src[3]); a3 = Vector512.FusedMultiplyAdd(s, d0, a3); c3 = Vector512.FusedMultiplyAdd(s, d1, c3);
                s = Vector512.Create(src[4]); a4 = Vector512.FusedMultiplyAdd(s, d0, a4); c4 = Vector512.FusedMultiplyAdd(s, d1, c4);
                s = Vector512.Create(src[5]); a5 = Vector512.FusedMultiplyAdd(s, d0, a5); c5 = Vector512.FusedMultiplyAdd(s, d1, c5);
                s = Vector512.Create(src[6]); a6 = Vector512.FusedMultiplyAdd(s, d0, a6); c6 = Vector512.FusedMultiplyAdd(s, d1, c6);
                s = Vector512.Create(src[7]); a7 = Vector512.FusedMultiplyAdd(s, d0, a7); c7 = Vector512.FusedMultiplyAdd(s, d1, c7);
            }
        }
        float* dw = dWeights + (ky * 3 * cs + k) * co + g * 16;
        Accumulate(dw, co, rows, 0, a0); Accumulate(dw + 16, co, rows, 0, c0);
        Accumulate(dw, co, rows, 1, a1); Accumulate(dw + 16, co, rows, 1, c1);
        Accumulate(dw, co, rows, 2, a2); Accumulate(dw + 16, co, rows, 2, c2);
        Accumulate(dw, co, rows, 3, a3); Accumulate(dw + 16, co, rows, 3, c3);
        Accumulate(dw, co, rows, 4, a4); Accumulate(dw + 16, co, rows, 4, c4);
        Accumulate(dw, co, rows, 5, a5); Accumulate(dw + 16, co, rows, 5, c5);
        Accumulate(dw, co, rows, 6, a6); Accumulate(dw + 16, co, rows, 6, c6);
        Accumulate(dw, co, rows, 7, a7); Accumulate(dw + 16, co, rows, 7, c7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(float* dw, int co, int rows, int row, Vector512<float> value)
    {
        if (row >= rows) return; // rows past the last real ci (kernel read ahead into slack)
        float* p = dw + row * co;
        (Vector512.Load(p) + value).Store(p);
    }

    /// <summary>Packs [out, in, 3, 3] PyTorch weights into [ky][kx][ci stride][co stride] (forward).</summary>
    /// <remarks>Padding entries (ci &gt;= cin, co &gt;= cout) are never written, so they stay zero from allocation.</remarks>
    public static void PackForward(ReadOnlySpan<float> torch, int cout, int cin, int cinStride, int coutStride, Span<float> packed)
    {
        for (int o = 0; o < cout; o++)
            for (int i = 0; i < cin; i++)
                for (int t = 0; t < 9; t++)
                    packed[(t * cinStride + i) * coutStride + o] = torch[(o * cin + i) * 9 + t];
    }

    /// <summary>Packs [out, in, 3, 3] weights flipped and transposed: [ky][kx][co stride][ci stride], for the input gradient.</summary>
    public static void PackBackward(ReadOnlySpan<float> torch, int cout, int cin, int cinStride, int coutStride, Span<float> packed)
    {
        for (int o = 0; o < cout; o++)
            for (int i = 0; i < cin; i++)
                for (int t = 0; t < 9; t++)
                    packed[((8 - t) * coutStride + o) * cinStride + i] = torch[(o * cin + i) * 9 + t];
    }

    /// <summary>Adds a packed-forward-layout gradient into a PyTorch-layout gradient.</summary>
    public static void UnpackAdd(ReadOnlySpan<float> packed, int cout, int cin, int cinStride, int coutStride, Span<float> torch)
    {
        for (int o = 0; o < cout; o++)
            for (int i = 0; i < cin; i++)
                for (int t = 0; t < 9; t++)
                    torch[(o * cin + i) * 9 + t] += packed[(t * cinStride + i) * coutStride + o];
    }
}
