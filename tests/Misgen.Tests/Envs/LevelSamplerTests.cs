using Misgen.Envs.Maze;
using Misgen.Envs;

namespace Misgen.Tests.Envs;

public sealed class LevelSamplerTests
{
    [Fact]
    public void Range_stays_in_range_and_covers_it()
    {
        var sampler = LevelSampler.Range(100, 10, seed: 3);
        var seen = new HashSet<int>();
        for (int i = 0; i < 1000; i++)
        {
            int level = sampler.Next();
            Assert.InRange(level, 100, 109);
            seen.Add(level);
        }
        Assert.Equal(10, seen.Count);
    }

    [Fact]
    public void Same_seed_same_order_other_seed_other_order()
    {
        int[] Draw(ulong seed) { var s = LevelSampler.Range(0, 100000, seed); return Enumerable.Range(0, 20).Select(_ => s.Next()).ToArray(); }
        Assert.Equal(Draw(1), Draw(1));
        Assert.NotEqual(Draw(1), Draw(2));
    }

    [Fact]
    public void Sequential_counts_up_and_wraps()
    {
        var sampler = LevelSampler.Sequential(100000, 3);
        Assert.Equal([100000, 100001, 100002, 100000, 100001], Enumerable.Range(0, 5).Select(_ => sampler.Next()));
    }

    [Fact]
    public void Uniform_is_procgen_num_levels_zero()
    {
        var sampler = LevelSampler.Uniform(7);
        for (int i = 0; i < 1000; i++) Assert.InRange(sampler.Next(), 0, int.MaxValue - 1);
    }

    [Fact]
    public void State_resumes_the_sequence()
    {
        foreach (var make in new Func<LevelSampler>[] { () => LevelSampler.Range(5, 50, 9), () => LevelSampler.Sequential(5, 7) })
        {
            var a = make();
            for (int i = 0; i < 13; i++) a.Next();
            var b = make();
            b.SetState(a.GetState());
            for (int i = 0; i < 20; i++) Assert.Equal(a.Next(), b.Next());
        }
        Assert.Throws<MisgenInputException>(() => LevelSampler.Sequential(0, 5).SetState(LevelSampler.Range(0, 5, 1).GetState()));
    }

    [Fact]
    public void Bad_ranges_are_bad_input()
    {
        Assert.Throws<MisgenInputException>(() => LevelSampler.Range(-1, 5, 0));
        Assert.Throws<MisgenInputException>(() => LevelSampler.Range(0, 0, 0));
        Assert.Throws<MisgenInputException>(() => LevelSampler.Sequential(int.MaxValue - 1, 5));
    }
}
