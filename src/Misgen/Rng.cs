using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Misgen;

/// <summary>
/// The project's seeded random number generator: xoshiro256** seeded through SplitMix64.
/// Its algorithm is fixed here (unlike System.Random's), so a seed means the same stream on every
/// runtime, and its whole state is four words that checkpoints save and restore.
/// </summary>
public sealed class Rng
{
    private ulong s0, s1, s2, s3;

    /// <summary>Bytes of <see cref="WriteState"/>: the four state words, little-endian.</summary>
    public const int StateBytes = 32;

    public Rng(ulong seed) => Reseed(seed);

    /// <summary>Restarts this generator on the stream of <paramref name="seed"/>, as <c>new Rng(seed)</c> would, without allocating (games reseed at every reset inside a VecEnv step).</summary>
    public void Reseed(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix64(ref x);
        s1 = SplitMix64(ref x);
        s2 = SplitMix64(ref x);
        s3 = SplitMix64(ref x);
    }

    /// <summary>Restarts on the stream of one level of one game: the level seed spread by the golden ratio, xor the game's salt.</summary>
    public void Reseed(int levelSeed, ulong salt) => Reseed(unchecked((ulong)levelSeed * 0x9E3779B97F4A7C15UL) ^ salt);

    /// <summary>Writes the state into <see cref="StateBytes"/> bytes (a game's saved state).</summary>
    public void WriteState(Span<byte> state)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(state, s0);
        BinaryPrimitives.WriteUInt64LittleEndian(state[8..], s1);
        BinaryPrimitives.WriteUInt64LittleEndian(state[16..], s2);
        BinaryPrimitives.WriteUInt64LittleEndian(state[24..], s3);
    }

    /// <summary>Restores a <see cref="WriteState"/>; false for the all-zero state xoshiro cannot leave.</summary>
    public bool ReadState(ReadOnlySpan<byte> state)
    {
        s0 = BinaryPrimitives.ReadUInt64LittleEndian(state);
        s1 = BinaryPrimitives.ReadUInt64LittleEndian(state[8..]);
        s2 = BinaryPrimitives.ReadUInt64LittleEndian(state[16..]);
        s3 = BinaryPrimitives.ReadUInt64LittleEndian(state[24..]);
        return (s0 | s1 | s2 | s3) != 0;
    }

    private Rng(ulong a, ulong b, ulong c, ulong d) => (s0, s1, s2, s3) = (a, b, c, d);

    /// <summary>
    /// An independent stream for one purpose of one seed, e.g. <c>Rng.ForStream(seed, "weights")</c>;
    /// adding a new purpose never shifts the draws of the others.
    /// </summary>
    public static Rng ForStream(ulong seed, string purpose)
    {
        ulong h = 14695981039346656037UL; // FNV-1a over the purpose name, mixed with the seed
        foreach (char c in purpose) h = (h ^ c) * 1099511628211UL;
        ulong x = seed ^ h;
        return new Rng(SplitMix64(ref x) ^ seed);
    }

    /// <summary>The full state, for checkpoints.</summary>
    public ulong[] GetState() => [s0, s1, s2, s3];

    public static Rng FromState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 4) throw new ArgumentException("an Rng state is four words", nameof(state));
        return new Rng(state[0], state[1], state[2], state[3]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire's method).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        ulong bound = (ulong)n;
        UInt128 m = (UInt128)NextUInt64() * bound;
        ulong low = (ulong)m;
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                m = (UInt128)NextUInt64() * bound;
                low = (ulong)m;
            }
        }
        return (int)(m >> 64);
    }

    /// <summary>Standard normal draw (Box-Muller; one value per call, so the stream stays simple to resume).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
