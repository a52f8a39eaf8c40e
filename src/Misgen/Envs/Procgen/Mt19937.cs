namespace Misgen.Envs.Procgen;

/// <summary>
/// The 32-bit Mersenne Twister exactly as C++'s <c>std::mt19937</c>, with procgen's two draws
/// (<see cref="Randn"/> and <see cref="Rand01"/>). Level layouts must match the original C++ bit for bit,
/// so the maze uses this generator rather than <see cref="Rng"/>. Re-seeding reuses the state array,
/// so a game can reset thousands of times per second without allocating.
/// </summary>
public sealed class Mt19937
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0dfu;
    private const uint UpperMask = 0x80000000u;
    private const uint LowerMask = 0x7fffffffu;

    private readonly uint[] state = new uint[N];
    private int index;

    public Mt19937(uint seed = 5489u) => Seed(seed);

    /// <summary>Outputs drawn since the last <see cref="Seed"/> (procgen's "rng_draws").</summary>
    public long Draws { get; private set; }

    public void Seed(uint seed)
    {
        state[0] = seed;
        for (int i = 1; i < N; i++)
            state[i] = 1812433253u * (state[i - 1] ^ (state[i - 1] >> 30)) + (uint)i;
        index = N;
        Draws = 0;
    }

    public uint Next()
    {
        if (index >= N) Twist();
        uint y = state[index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        Draws++;
        return y;
    }

    /// <summary>procgen's <c>randn(n)</c>: <c>next() % n</c> (with its modulo bias, on purpose).</summary>
    public int Randn(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        return (int)(Next() % (uint)n);
    }

    /// <summary>procgen's <c>rand01()</c>: <c>next() / 2^32</c>, in [0, 1).</summary>
    public double Rand01() => Next() / 4294967296.0;

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (state[i] & UpperMask) | (state[(i + 1) % N] & LowerMask);
            uint next = state[(i + M) % N] ^ (y >> 1);
            if ((y & 1) != 0) next ^= MatrixA;
            state[i] = next;
        }
        index = 0;
    }
}
