namespace Misgen.Tests;

public sealed class WorkerPoolTests
{
    private sealed class Squares(int[] output) : IParallelWork
    {
        public void Execute(int part) => output[part] = part * part;
    }

    private sealed class Failing : IParallelWork
    {
        public void Execute(int part)
        {
            if (part == 3) throw new InvalidOperationException("part 3");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_part_runs_exactly_once(int threads)
    {
        using var pool = new WorkerPool(threads);
        for (int round = 0; round < 200; round++)
        {
            var output = new int[37];
            Array.Fill(output, -1);
            pool.Run(new Squares(output), output.Length);
            for (int i = 0; i < output.Length; i++) Assert.Equal(i * i, output[i]);
        }
    }

    [Fact]
    public void A_failing_part_surfaces_on_the_caller_and_the_pool_stays_usable()
    {
        using var pool = new WorkerPool(2);
        var error = Assert.Throws<AggregateException>(() => pool.Run(new Failing(), 8));
        Assert.IsType<InvalidOperationException>(error.InnerException);
        var output = new int[5];
        pool.Run(new Squares(output), 5);
        Assert.Equal(16, output[4]);
    }
}
