using Misgen.Nn;

namespace Misgen.Tests.Nn;

/// <summary>
/// Finite differences for single layers as the network uses them: a 3x3 convolution's input and
/// weight gradients, and max-pool routing. Loss = sum(dOut * layer(x)), so d loss / d x is the
/// layer's backward applied to dOut.
/// </summary>
public sealed unsafe class LayerGradientTests
{
    private static void Fill(float* p, long count, ulong seed)
    {
        var rng = new Rng(seed);
        for (long i = 0; i < count; i++) p[i] = (float)(rng.NextDouble() * 2 - 1);
    }

    private static void FillInterior(float* p, Plane plane, ulong seed)
    {
        var rng = new Rng(seed);
        for (int y = 0; y < plane.Height; y++)
            for (int x = 0; x < plane.Width; x++)
                for (int c = 0; c < plane.Channels; c++) p[plane.Offset(y, x) + c] = (float)(rng.NextDouble() * 2 - 1);
    }

    private static double Loss(float* output, float* dOut, Plane plane)
    {
        double sum = 0;
        for (int y = 0; y < plane.Height; y++)
            for (int x = 0; x < plane.Width; x++)
                for (int c = 0; c < plane.Channels; c++) sum += (double)output[plane.Offset(y, x) + c] * dOut[plane.Offset(y, x) + c];
        return sum;
    }

    [Theory]
    [InlineData(5, 7, 3, 16)]
    [InlineData(4, 9, 16, 32)]
    [InlineData(3, 3, 20, 5)]
    public void Convolution_input_and_weight_gradients_match_finite_differences(int height, int width, int cin, int cout)
    {
        var inPlane = Plane.Of(height, width, cin);
        var outPlane = Plane.Of(height, width, cout);
        var torchWeights = new float[cout * cin * 9];
        fixed (float* t = torchWeights) Fill(t, torchWeights.Length, 1);
        var forward = new AlignedFloats(9 * inPlane.Stride * outPlane.Stride);
        var backward = new AlignedFloats(9 * inPlane.Stride * outPlane.Stride);
        ConvKernels.PackForward(torchWeights, cout, cin, inPlane.Stride, outPlane.Stride, forward.Span);
        ConvKernels.PackBackward(torchWeights, cout, cin, inPlane.Stride, outPlane.Stride, backward.Span);
        var bias = new AlignedFloats(outPlane.Stride);
        var zeros = new AlignedFloats(inPlane.Stride);
        var x = new AlignedFloats(inPlane.Floats);
        var y = new AlignedFloats(outPlane.Floats);
        var dOut = new AlignedFloats(outPlane.Floats);
        var dIn = new AlignedFloats(inPlane.Floats);
        FillInterior(x.Pointer, inPlane, 2);
        FillInterior(dOut.Pointer, outPlane, 3);
        ConvKernels.Forward(dOut.Pointer, outPlane, backward.Pointer, zeros.Pointer, dIn.Pointer, inPlane, null);
        var dW = new AlignedFloats(forward.Length);
        var dB = new AlignedFloats(outPlane.Stride);
        ConvKernels.WeightGrad(x.Pointer, inPlane, dOut.Pointer, outPlane, dW.Pointer, dB.Pointer);
        var torchGrad = new float[torchWeights.Length];
        ConvKernels.UnpackAdd(dW.Span, cout, cin, inPlane.Stride, outPlane.Stride, torchGrad);

        double LossNow()
        {
            ConvKernels.PackForward(torchWeights, cout, cin, inPlane.Stride, outPlane.Stride, forward.Span);
            ConvKernels.Forward(x.Pointer, inPlane, forward.Pointer, bias.Pointer, y.Pointer, outPlane, null);
            return Loss(y.Pointer, dOut.Pointer, outPlane);
        }
        const float h = 0.25f; // the loss is linear in x and in the weights: differences are exact but for rounding
        var pick = new Rng(4);
        for (int trial = 0; trial < 12; trial++)
        {
            int i = inPlane.Offset(pick.NextInt(height), pick.NextInt(width)) + pick.NextInt(cin);
            float saved = x.Pointer[i];
            x.Pointer[i] = saved + h; double plus = LossNow();
            x.Pointer[i] = saved - h; double minus = LossNow();
            x.Pointer[i] = saved;
            Assert.Equal((plus - minus) / (2 * h), dIn.Pointer[i], 1e-3);

            int w = pick.NextInt(torchWeights.Length);
            float savedW = torchWeights[w];
            torchWeights[w] = savedW + h; plus = LossNow();
            torchWeights[w] = savedW - h; minus = LossNow();
            torchWeights[w] = savedW;
            Assert.Equal((plus - minus) / (2 * h), torchGrad[w], 1e-3);
        }
        // Bias gradient: the sum of dOut over pixels.
        for (int c = 0; c < cout; c++)
        {
            double sum = 0;
            for (int yy = 0; yy < height; yy++)
                for (int xx = 0; xx < width; xx++) sum += dOut.Pointer[outPlane.Offset(yy, xx) + c];
            Assert.Equal(sum, dB.Pointer[c], 1e-4);
        }
    }

    [Theory]
    [InlineData(6, 6, 16)]
    [InlineData(5, 9, 32)]
    [InlineData(1, 2, 16)]
    public void Max_pool_routes_the_gradient_to_the_argmax(int height, int width, int channels)
    {
        var inPlane = Plane.Of(height, width, channels);
        var outPlane = Plane.Of(ImpalaConfig.Pooled(height), ImpalaConfig.Pooled(width), channels);
        var x = new AlignedFloats(inPlane.Floats);
        var p = new AlignedFloats(outPlane.Floats);
        var dP = new AlignedFloats(outPlane.Floats);
        var dX = new AlignedFloats(inPlane.Floats);
        FillInterior(x.Pointer, inPlane, 5);
        FillInterior(dP.Pointer, outPlane, 6);
        var argmax = new byte[outPlane.Height * outPlane.Width * outPlane.Stride];
        fixed (byte* a = argmax)
        {
            PoolKernels.MaxPool(x.Pointer, inPlane, p.Pointer, outPlane, a);
            PoolKernels.MaxPoolBackward(dP.Pointer, outPlane, a, dX.Pointer, inPlane);
        }
        const float h = 1f / 65536; // a power of two: x +- h is exact, and near-ties are rarely crossed
        for (int y = 0; y < height; y++)
            for (int xx = 0; xx < width; xx++)
                for (int c = 0; c < channels; c += 5)
                {
                    int i = inPlane.Offset(y, xx) + c;
                    float saved = x.Pointer[i];
                    x.Pointer[i] = saved + h;
                    PoolKernels.MaxPool(x.Pointer, inPlane, p.Pointer, outPlane, null);
                    double plus = Loss(p.Pointer, dP.Pointer, outPlane);
                    x.Pointer[i] = saved - h;
                    PoolKernels.MaxPool(x.Pointer, inPlane, p.Pointer, outPlane, null);
                    double minus = Loss(p.Pointer, dP.Pointer, outPlane);
                    x.Pointer[i] = saved;
                    Assert.Equal((plus - minus) / (2 * h), dX.Pointer[i], 2e-3);
                }
    }
}
