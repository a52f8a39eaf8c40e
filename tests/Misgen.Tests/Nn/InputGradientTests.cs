using Misgen.Nn;

namespace Misgen.Tests.Nn;

public sealed class InputGradientTests
{
    [Theory]
    [InlineData(16, 3)]
    [InlineData(24, 1)]
    public void The_input_gradient_matches_finite_differences_of_the_reference_network(int size, int channels)
    {
        var config = new ImpalaConfig(size, 5, 17, 6, 15, 12, channels);
        var model = ImpalaCnnTests.RandomModel(config, 3);
        const int batch = 2;
        var rng = new Rng(4);
        int floats = size * size * channels;
        var inputs = new float[batch * floats];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)rng.NextDouble();
        var dLogits = new float[batch * 15];
        var dValues = new float[batch];
        for (int i = 0; i < dLogits.Length; i++) dLogits[i] = (float)rng.NextGaussian();
        for (int i = 0; i < batch; i++) dValues[i] = (float)rng.NextGaussian();
        var logits = new float[batch * 15];
        var values = new float[batch];
        model.ForwardInputs(inputs, batch, logits, values);
        var gradient = new float[batch * floats];
        model.BackwardToInputs(dLogits, dValues, gradient);

        var reference = new ReferenceImpala(model);
        double Objective(int n, double[] chw)
        {
            var run = reference.RunInput(chw);
            double sum = dValues[n] * run["values"][0];
            for (int a = 0; a < 15; a++) sum += dLogits[n * 15 + a] * run["logits"][a];
            return sum;
        }
        const double h = 1e-5;
        int checkedCount = 0;
        for (int n = 0; n < batch; n++)
        {
            var chw = new double[floats];
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    for (int c = 0; c < channels; c++) chw[(c * size + y) * size + x] = inputs[n * floats + (y * size + x) * channels + c];
            for (int k = 0; k < 25; k++)
            {
                int y = rng.NextInt(size), x = rng.NextInt(size), c = rng.NextInt(channels);
                int at = (c * size + y) * size + x;
                double numeric = FiniteDifference.Central(chw, at, h, v => Objective(n, v));
                double analytic = gradient[n * floats + (y * size + x) * channels + c];
                Assert.True(Math.Abs(numeric - analytic) <= 2e-3 * Math.Max(1, Math.Abs(numeric)), $"n {n} ({y}, {x}, {c}): numeric {numeric} analytic {analytic}");
                checkedCount++;
            }
        }
        Assert.Equal(50, checkedCount);
    }

    [Fact]
    public void Float_inputs_of_a_byte_observation_give_the_byte_forward_pass_exactly()
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(16, 3, 17, 5, 15, 12), 7);
        var obs = ImpalaCnnTests.RandomObservations(5, 16, 8);
        var inputs = obs.Select(b => b / 255f).ToArray();
        var (a, va) = (new float[75], new float[5]);
        var (b, vb) = (new float[75], new float[5]);
        model.Forward(obs, 5, a, va);
        model.ForwardInputs(inputs, 5, b, vb);
        Assert.Equal(a, b);
        Assert.Equal(va, vb);
    }

    [Fact]
    public void Backward_after_ForwardInputs_is_refused_and_parameter_gradients_stay_untouched()
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(16, 3, 17, 5, 15, 12), 9);
        var inputs = new float[2 * 16 * 16 * 3];
        model.ForwardInputs(inputs, 2, new float[30], new float[2]);
        model.BackwardToInputs(new float[30], new float[2], new float[inputs.Length]);
        Assert.All(model.Parameters, p => Assert.All(p.Grad.ToArray(), g => Assert.Equal(0f, g)));
        Assert.Throws<InvalidOperationException>(() => model.Backward(new float[30], new float[2]));
    }
}
