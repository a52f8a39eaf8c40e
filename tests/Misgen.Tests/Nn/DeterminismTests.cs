using Misgen.Nn;

namespace Misgen.Tests.Nn;

public sealed class DeterminismTests
{
    private static (float[] Logits, float[] Values, float[][] Grads, float[][] Weights) TrainStep(ImpalaConfig config, int threads, int batch)
    {
        using var pool = new WorkerPool(threads);
        var model = new ImpalaCnn(config, 9) { ThreadPool = pool };
        var obs = ImpalaCnnTests.RandomObservations(batch, config.InputSize, 10);
        var logits = new float[batch * config.Actions];
        var values = new float[batch];
        var dLogits = Enumerable.Range(0, logits.Length).Select(i => (float)Math.Sin(i) / batch).ToArray();
        var dValues = Enumerable.Range(0, batch).Select(i => (float)Math.Cos(i) / batch).ToArray();
        var adam = new Adam(model.Parameters, 1e-3f);
        for (int step = 0; step < 2; step++)
        {
            model.ZeroGrad();
            model.ForwardTrain(obs, batch, logits, values);
            model.Backward(dLogits, dValues);
            GradClip.ClipGlobalNorm(model.Parameters, 0.5f);
            adam.Step();
        }
        model.Forward(obs, batch, logits, values);
        return (logits, values, model.Parameters.Select(p => p.Grad.ToArray()).ToArray(), model.Parameters.Select(p => p.Value.ToArray()).ToArray());
    }

    [Theory]
    [InlineData(16, 37)]
    [InlineData(32, 20)]
    public void One_and_two_threads_give_bit_identical_outputs_gradients_and_weights(int size, int batch)
    {
        var config = new ImpalaConfig(size, 16, 32, 32, 15, 64);
        var one = TrainStep(config, 1, batch);
        var two = TrainStep(config, 2, batch);
        var three = TrainStep(config, 3, batch);
        foreach (var other in new[] { two, three })
        {
            Assert.Equal(one.Logits, other.Logits);
            Assert.Equal(one.Values, other.Values);
            for (int i = 0; i < one.Grads.Length; i++)
            {
                Assert.Equal(one.Grads[i], other.Grads[i]);
                Assert.Equal(one.Weights[i], other.Weights[i]);
            }
        }
    }

    [Fact]
    public void Passes_allocate_nothing_after_warm_up()
    {
        using var pool = new WorkerPool(1); // all work on this thread, so the counter sees it
        var config = new ImpalaConfig(16, 16, 32, 32, 15, 64);
        var model = new ImpalaCnn(config, 1) { ThreadPool = pool };
        const int batch = 20;
        var obs = ImpalaCnnTests.RandomObservations(batch, 16, 2);
        var logits = new float[batch * 15];
        var values = new float[batch];
        var dl = new float[batch * 15];
        var dv = new float[batch];
        var adam = new Adam(model.Parameters, 1e-3f);
        void Step()
        {
            model.Forward(obs, 10, logits, values);
            model.ZeroGrad();
            model.ForwardTrain(obs, batch, logits, values);
            model.Backward(dl, dv);
            GradClip.ClipGlobalNorm(model.Parameters, 0.5f);
            adam.Step();
        }
        Step();
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
