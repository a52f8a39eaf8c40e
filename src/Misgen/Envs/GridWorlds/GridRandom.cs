using System.Buffers.Binary;

namespace Misgen.Envs.GridWorlds;

/// <summary>
/// The random stream of one gridworld: xoshiro256** seeded through SplitMix64 from the level seed and a
/// per-game salt, like <see cref="Rng"/>, but reseeded in place (a VecEnv resets games inside its step, which
/// must not allocate) and saved as 32 bytes in the game's state. Every random choice of a gridworld (the
/// layout, monster moves, regrowth) is drawn from it in a fixed order, so a level seed and the actions
/// determine an episode.
/// </summary>
public sealed class GridRandom
{
    public const int StateBytes = 32;

    private ulong s0, s1, s2, s3;

    public void Seed(int levelSeed, ulong salt)
    {
        ulong x = unchecked((ulong)levelSeed * 0x9E3779B97F4A7C15UL) ^ salt;
        s0 = SplitMix64(ref x);
        s1 = SplitMix64(ref x);
        s2 = SplitMix64(ref x);
        s3 = SplitMix64(ref x);
    }

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

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire's method).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        ulong bound = (ulong)n;
        UInt128 m = (UInt128)NextUInt64() * bound;
        if ((ulong)m < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while ((ulong)m < threshold) m = (UInt128)NextUInt64() * bound;
        }
        return (int)(m >> 64);
    }

    public void Write(Span<byte> state)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(state, s0);
        BinaryPrimitives.WriteUInt64LittleEndian(state[8..], s1);
        BinaryPrimitives.WriteUInt64LittleEndian(state[16..], s2);
        BinaryPrimitives.WriteUInt64LittleEndian(state[24..], s3);
    }

    /// <summary>Restores a <see cref="Write"/>; false for the all-zero state xoshiro cannot leave.</summary>
    public bool Read(ReadOnlySpan<byte> state)
    {
        s0 = BinaryPrimitives.ReadUInt64LittleEndian(state);
        s1 = BinaryPrimitives.ReadUInt64LittleEndian(state[8..]);
        s2 = BinaryPrimitives.ReadUInt64LittleEndian(state[16..]);
        s3 = BinaryPrimitives.ReadUInt64LittleEndian(state[24..]);
        return (s0 | s1 | s2 | s3) != 0;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
