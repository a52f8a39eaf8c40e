using Misgen.Envs.Procgen;
using Misgen.Envs.Maze;
using Misgen.Media;

namespace Misgen.Tests.Envs;

public sealed class TextureTests
{
    // docs/ORIGINS.md §2, the per-channel statistics of the original nine background images (0..255).
    private static readonly double[,] Expected =
    {
        { 90.4, 92.6, 92.3, 14.0, 13.9, 14.1 },
        { 118.1, 148.0, 90.9, 14.8, 14.4, 15.7 },
        { 104.5, 104.3, 95.3, 23.2, 23.9, 22.1 },
        { 183.1, 176.3, 129.7, 9.5, 9.6, 11.4 },
        { 34.4, 96.9, 152.0, 4.4, 7.1, 10.9 },
        { 78.1, 59.4, 31.1, 9.9, 9.1, 7.2 },
        { 113.6, 58.4, 10.4, 25.7, 15.3, 4.2 },
        { 101.3, 51.3, 9.4, 12.7, 9.0, 3.1 },
        { 206.0, 174.5, 89.0, 11.8, 11.3, 11.3 },
    };

    [Fact]
    public void Nine_textures_match_the_original_means_and_stds_within_3_levels()
    {
        for (int t = 0; t < 9; t++)
        {
            var image = Textures.Get(t);
            int n = image.Length / 3;
            for (int c = 0; c < 3; c++)
            {
                double sum = 0, sum2 = 0;
                for (int i = 0; i < n; i++) { double v = image[i * 3 + c]; sum += v; sum2 += v * v; }
                double mean = sum / n, std = Math.Sqrt(sum2 / n - mean * mean);
                Assert.True(Math.Abs(mean - Expected[t, c]) <= 3, $"texture {t} channel {c} mean {mean:F1} vs {Expected[t, c]}");
                Assert.True(Math.Abs(std - Expected[t, 3 + c]) <= 3, $"texture {t} channel {c} std {std:F1} vs {Expected[t, 3 + c]}");
            }
        }
    }

    [Fact]
    public void Textures_have_spatial_structure_not_flat_noise()
    {
        // Neighbouring pixels of a structured picture are correlated; independent noise would give ~0.
        for (int t = 0; t < 9; t++)
        {
            var image = Textures.Get(t);
            int s = Textures.Size;
            var lum = new double[s * s];
            for (int i = 0; i < lum.Length; i++) lum[i] = image[i * 3] + image[i * 3 + 1] + image[i * 3 + 2];
            double mean = lum.Average(), variance = lum.Average(v => (v - mean) * (v - mean)), cov = 0;
            int pairs = 0;
            for (int y = 0; y < s; y++)
                for (int x = 0; x + 1 < s; x++) { cov += (lum[y * s + x] - mean) * (lum[y * s + x + 1] - mean); pairs++; }
            double correlation = cov / pairs / variance;
            Assert.True(correlation > 0.3, $"texture {t} neighbour correlation {correlation:F2}");
        }
    }

    [Fact]
    public void Textures_are_deterministic_and_distinct()
    {
        Assert.Equal(9, Textures.Count);
        for (int a = 0; a < 9; a++)
            for (int b = a + 1; b < 9; b++)
                Assert.False(Textures.Get(a).SequenceEqual(Textures.Get(b)));
    }
}
