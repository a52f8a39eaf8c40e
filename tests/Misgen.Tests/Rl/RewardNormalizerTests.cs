using Misgen.Rl;

namespace Misgen.Tests.Rl;

public sealed class RewardNormalizerTests
{
    // Reference: keep every discounted return ever seen, plus the prior (count 1e-4, mean 0, var 1),
    // and compute the population variance from raw sums - a different formula from Chan's merge.
    [Fact]
    public void Matches_variance_of_all_returns_seen()
    {
        const int envs = 3;
        var norm = new RewardNormalizer(envs, gamma: 0.99, clip: 10);
        var rng = new Rng(7);
        double[] ret = new double[envs];
        double n = 1e-4, sum = 0, sumSq = 1e-4 * 1.0;
        for (int step = 0; step < 200; step++)
        {
            float[] r = new float[envs];
            bool[] done = new bool[envs];
            for (int i = 0; i < envs; i++)
            {
                r[i] = rng.NextInt(10) == 0 ? 10f : 0f;
                done[i] = r[i] > 0 || rng.NextInt(50) == 0;
            }
            for (int i = 0; i < envs; i++)
            {
                ret[i] = ret[i] * 0.99 + r[i];
                sum += ret[i];
                sumSq += ret[i] * ret[i];
                n++;
            }
            double mean = sum / n, var = sumSq / n - mean * mean;
            float[] expected = r.Select(x => (float)Math.Clamp(x / Math.Sqrt(var + 1e-8), -10, 10)).ToArray();
            norm.Normalize(r, done);
            for (int i = 0; i < envs; i++)
            {
                Assert.Equal(expected[i], r[i], 4);
                if (done[i]) ret[i] = 0;
            }
        }
    }

    [Fact]
    public void Clips_and_restores_state()
    {
        // A rare big reward among many envs: std of returns ~ 100/sqrt(1000) ~ 3, so 100/3 clips to 10.
        var a = new RewardNormalizer(1000);
        a.Normalize(new float[1000], new bool[1000]);
        float[] big = new float[1000];
        big[0] = 100f;
        a.Normalize(big, new bool[1000]);
        Assert.Equal(10f, big[0]);
        var stream = new MemoryStream();
        a.Save(new BinaryWriter(stream));
        var b = new RewardNormalizer(1000);
        stream.Position = 0;
        b.Load(new BinaryReader(stream));
        float[] ra = new float[1000], rb = new float[1000];
        ra[5] = rb[5] = 3f;
        bool[] done = new bool[1000];
        done[5] = true;
        a.Normalize(ra, done);
        b.Normalize(rb, done);
        Assert.Equal(ra, rb);
        Assert.Equal(a.Variance, b.Variance);
    }
}
