using Misgen.Analysis;

namespace Misgen.Tests.Analysis;

public sealed class NiceScaleTests
{
    [Theory]
    [InlineData(0, 100, 0, 100, 20)]
    [InlineData(0, 1, 0, 1, 0.2)]
    [InlineData(3.2, 97.5, 0, 100, 20)]
    [InlineData(-0.13, 0.42, -0.2, 0.6, 0.2)] // 0.55 / 5 intervals = 0.11 -> 0.2
    [InlineData(0, 10_000_000, 0, 10_000_000, 2_000_000)]
    public void Ticks_fall_on_nice_numbers(double min, double max, double lo, double hi, double step)
    {
        var scale = NiceScale.For(min, max);
        Assert.Equal(lo, scale.Min, 9);
        Assert.Equal(hi, scale.Max, 9);
        Assert.Equal(step, scale.Step, 9);
    }

    [Fact]
    public void Labels_use_the_decimals_the_step_needs()
    {
        Assert.Equal(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"], NiceScale.Ticks(0, 1, 0.2).Select(t => NiceScale.Label(t, 0.2)));
        Assert.Equal("40", NiceScale.Label(40, 20));
        Assert.Equal("2.5", NiceScale.Label(2.5, 2.5));
        Assert.Equal("4M", NiceScale.Label(4_000_000, 2_000_000));
    }
}
