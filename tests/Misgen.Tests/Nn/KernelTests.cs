using Misgen.Nn;

namespace Misgen.Tests.Nn;

/// <summary>SIMD kernels against the scalar reference on odd shapes (sizes off the vector width, one pixel, one channel).</summary>
public sealed unsafe class KernelTests
{
    private static AlignedFloats RandomPlane(Plane plane, int count, ulong seed)
    {
        var buffer = new AlignedFloats((long)count * plane.Floats);
        var rng = new Rng(seed);
        for (int n = 0; n < count; n++)
            for (int y = 0; y < plane.Height; y++)
                for (int x = 0; x < plane.Width; x++)
                    for (int c = 0; c < plane.Channels; c++)
                        buffer.Pointer[(long)n * plane.Floats + plane.Offset(y, x) + c] = (float)(rng.NextDouble() * 2 - 1);
        return buffer;
    }

    private static AlignedFloats Random(int count, ulong seed)
    {
        var buffer = new AlignedFloats(count);
        var rng = new Rng(seed);
        for (int i = 0; i < count; i++) buffer.Pointer[i] = (float)(rng.NextDouble() * 2 - 1);
        return buffer;
    }

    private static void AssertClose(float* expected, float* actual, long count, float tolerance)
    {
        for (long i = 0; i < count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"at {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Theory]
    [InlineData(1, 1, 3, 3, 16)]
    [InlineData(5, 13, 3, 3, 16)]
    [InlineData(7, 19, 16, 16, 32)]
    [InlineData(4, 4, 32, 32, 32)]
    [InlineData(3, 9, 17, 32, 48)]
    [InlineData(6, 33, 32, 32, 16)]
    public void Convolution_forward_and_weight_gradient_match_the_reference(int height, int width, int cin, int cinStride, int coutStride)
    {
        var input = RandomPlane(new Plane(height, width, cin, cinStride), 1, 1);
        var inPlane = new Plane(height, width, cin, cinStride);
        var outPlane = new Plane(height, width, coutStride, coutStride);
        var weights = Random(9 * cinStride * coutStride, 2);
        var bias = Random(coutStride, 3);
        var addend = RandomPlane(outPlane, 1, 4);
        var fast = new AlignedFloats(outPlane.Floats);
        var slow = new AlignedFloats(outPlane.Floats);
        ConvKernels.Forward(input.Pointer, inPlane, weights.Pointer, bias.Pointer, fast.Pointer, outPlane, addend.Pointer);
        ReferenceKernels.ConvForward(input.Pointer, inPlane, weights.Pointer, bias.Pointer, slow.Pointer, outPlane, addend.Pointer);
        AssertClose(slow.Pointer, fast.Pointer, outPlane.Floats, 1e-5f);
        ConvKernels.Forward(input.Pointer, inPlane, weights.Pointer, bias.Pointer, fast.Pointer, outPlane, null);
        ReferenceKernels.ConvForward(input.Pointer, inPlane, weights.Pointer, bias.Pointer, slow.Pointer, outPlane, null);
        AssertClose(slow.Pointer, fast.Pointer, outPlane.Floats, 1e-5f);

        var dOut = RandomPlane(outPlane, 1, 5);
        var dwFast = Random(9 * cinStride * coutStride, 6);
        var dwSlow = new AlignedFloats(dwFast.Length);
        dwFast.Span.CopyTo(dwSlow.Span);
        var dbFast = Random(coutStride, 7);
        var dbSlow = new AlignedFloats(coutStride);
        dbFast.Span.CopyTo(dbSlow.Span);
        ConvKernels.WeightGrad(input.Pointer, inPlane, dOut.Pointer, outPlane, dwFast.Pointer, dbFast.Pointer);
        ReferenceKernels.ConvWeightGrad(input.Pointer, inPlane, dOut.Pointer, outPlane, dwSlow.Pointer, dbSlow.Pointer);
        AssertClose(dwSlow.Pointer, dwFast.Pointer, dwFast.Length, 1e-4f);
        AssertClose(dbSlow.Pointer, dbFast.Pointer, coutStride, 1e-4f);
    }

    [Theory]
    [InlineData(1, 1, 16)]
    [InlineData(5, 7, 16)]
    [InlineData(8, 8, 32)]
    [InlineData(9, 3, 48)]
    public void Max_pool_matches_the_reference_including_argmax(int height, int width, int stride)
    {
        var inPlane = new Plane(height, width, stride, stride);
        var outPlane = Plane.Of(ImpalaConfig.Pooled(height), ImpalaConfig.Pooled(width), stride);
        var input = RandomPlane(inPlane, 1, 8);
        // Ties: copy some values so the first-maximum rule is exercised.
        for (int i = 0; i + stride < inPlane.Floats; i += 7 * stride) input.Pointer[i + stride] = input.Pointer[i];
        var fast = new AlignedFloats(outPlane.Floats);
        var slow = new AlignedFloats(outPlane.Floats);
        var argFast = new byte[outPlane.Height * outPlane.Width * stride];
        var argSlow = new byte[argFast.Length];
        fixed (byte* af = argFast, asl = argSlow)
        {
            PoolKernels.MaxPool(input.Pointer, inPlane, fast.Pointer, outPlane, af);
            ReferenceKernels.MaxPool(input.Pointer, inPlane, slow.Pointer, outPlane, asl);
        }
        AssertClose(slow.Pointer, fast.Pointer, outPlane.Floats, 0);
        Assert.Equal(argSlow, argFast);
    }

    [Theory]
    [InlineData(1, 16, 1)]
    [InlineData(7, 80, 13)]
    [InlineData(4, 64, 300)]
    [InlineData(9, 144, 5)]
    [InlineData(3, 20, 7)]
    public void Gemm_matches_the_reference_with_plain_and_transposed_a(int rows, int cols, int depth)
    {
        var a = Random(rows * depth, 1);
        var b = Random(depth * cols, 2);
        var fast = Random(rows * cols, 3);
        var slow = new AlignedFloats(fast.Length);
        fast.Span.CopyTo(slow.Span);
        Gemm.Accumulate(rows, cols, depth, a.Pointer, depth, 1, b.Pointer, cols, fast.Pointer, cols);
        ReferenceKernels.Gemm(rows, cols, depth, a.Pointer, depth, 1, b.Pointer, cols, slow.Pointer, cols);
        AssertClose(slow.Pointer, fast.Pointer, fast.Length, 1e-5f);
        Gemm.Accumulate(rows, cols, depth, a.Pointer, 1, rows, b.Pointer, cols, fast.Pointer, cols);
        ReferenceKernels.Gemm(rows, cols, depth, a.Pointer, 1, rows, b.Pointer, cols, slow.Pointer, cols);
        AssertClose(slow.Pointer, fast.Pointer, fast.Length, 1e-5f);
    }

    [Theory]
    [InlineData(1, 1, 16)]
    [InlineData(5, 7, 32)]
    [InlineData(8, 12, 2048)]
    public void Dot_product_gemm_matches_the_reference(int rows, int cols, int depth)
    {
        var a = Random(rows * depth, 4);
        var b = Random(cols * depth, 5);
        var bt = new AlignedFloats(depth * cols);
        for (int j = 0; j < cols; j++)
            for (int k = 0; k < depth; k++) bt.Pointer[k * cols + j] = b.Pointer[j * depth + k];
        var fast = Random(rows * cols, 6);
        var slow = new AlignedFloats(fast.Length);
        fast.Span.CopyTo(slow.Span);
        Gemm.AccumulateTransposedB(rows, cols, depth, a.Pointer, depth, b.Pointer, depth, fast.Pointer, cols);
        ReferenceKernels.Gemm(rows, cols, depth, a.Pointer, depth, 1, bt.Pointer, cols, slow.Pointer, cols);
        AssertClose(slow.Pointer, fast.Pointer, fast.Length, 1e-4f);
    }
}
