using Misgen.Envs.Maze;
using System.Buffers.Binary;

namespace Misgen.Envs;

/// <summary>
/// Where level seeds come from: procgen's <c>num_levels</c>/<c>start_level</c> (uniform draws from a range),
/// its <c>num_levels=0</c> (uniform over [0, 2^31-1)), a sequence that wraps around, or a finite queue
/// (evaluation: each listed level once, in order, then no more). Unlike procgen, the order is reproducible
/// from <c>seed</c>, and the state of the endless kinds can be saved for resume.
/// </summary>
public sealed class LevelSampler
{
    private enum Kind : byte { Range = 1, Sequential = 2, Queue = 3 }

    private const int StateSize = 1 + 4 + 4 + 8 + 32;

    private readonly Kind kind;
    private readonly int start, count;
    private Rng rng;
    private long position; // Sequential, Queue: draws so far
    private readonly int[]? queue;

    private LevelSampler(Kind kind, int start, int count, Rng rng, int[]? queue = null)
    {
        this.queue = queue;
        this.kind = kind;
        this.start = start;
        this.count = count;
        this.rng = rng;
    }

    /// <summary>Uniform draws from [start, start + count), the order fixed by <paramref name="seed"/>.</summary>
    public static LevelSampler Range(int start, int count, ulong seed)
    {
        Check(start, count);
        return new LevelSampler(Kind.Range, start, count, Rng.ForStream(seed, "levels"));
    }

    /// <summary>start, start + 1, ..., start + count - 1, then again from start.</summary>
    public static LevelSampler Sequential(int start, int count)
    {
        Check(start, count);
        return new LevelSampler(Kind.Sequential, start, count, new Rng(0));
    }

    /// <summary>Each of <paramref name="seeds"/> once, in order; then <see cref="TryNext"/> says there are no more.</summary>
    public static LevelSampler Queue(IEnumerable<int> seeds)
    {
        int[] list = seeds.ToArray();
        foreach (int s in list)
            if (s < 0) throw new MisgenInputException($"level seed {s} is invalid; valid: 0..{int.MaxValue}");
        return new LevelSampler(Kind.Queue, 0, list.Length, new Rng(0), list);
    }

    /// <summary>procgen's num_levels = 0: uniform over [0, 2^31 - 1).</summary>
    public static LevelSampler Uniform(ulong seed) => Range(0, int.MaxValue, seed);

    private static void Check(int start, int count)
    {
        if (start < 0) throw new MisgenInputException($"start level {start} is invalid; valid: 0..{int.MaxValue - 1}");
        if (count < 1 || (long)start + count > int.MaxValue)
            throw new MisgenInputException($"level count {count} is invalid for start {start}; valid: 1..{(long)int.MaxValue - start}");
    }

    public int Start => start;
    public int LevelCount => count;

    /// <summary>The next level seed; the endless kinds always have one.</summary>
    public int Next() => TryNext(out int seed) ? seed : throw new InvalidOperationException("the level queue is empty");

    /// <summary>The next level seed, or false when a <see cref="Queue"/> has run out.</summary>
    public bool TryNext(out int seed)
    {
        switch (kind)
        {
            case Kind.Sequential:
                seed = start + (int)(position++ % count);
                return true;
            case Kind.Queue:
                if (position >= queue!.Length) { seed = -1; return false; }
                seed = queue[position++];
                return true;
            default:
                seed = start + rng.NextInt(count);
                return true;
        }
    }

    /// <summary>Levels a <see cref="Queue"/> has not handed out yet (endless kinds: int.MaxValue).</summary>
    public int Remaining => kind == Kind.Queue ? queue!.Length - (int)position : int.MaxValue;

    public byte[] GetState()
    {
        if (kind == Kind.Queue) throw new NotSupportedException("a level queue has no saved state; evaluations resume from results.db");
        var state = new byte[StateSize];
        state[0] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(1), start);
        BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(5), count);
        BinaryPrimitives.WriteInt64LittleEndian(state.AsSpan(9), position);
        var words = rng.GetState();
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(17 + 8 * i), words[i]);
        return state;
    }

    /// <summary>Restores a state from <see cref="GetState"/> of a sampler of the same kind and range.</summary>
    public void SetState(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateSize || state[0] != (byte)kind
            || BinaryPrimitives.ReadInt32LittleEndian(state[1..]) != start || BinaryPrimitives.ReadInt32LittleEndian(state[5..]) != count)
            throw new MisgenInputException("level sampler state does not match this sampler (kind, start or count differ, or the state is corrupt)");
        position = BinaryPrimitives.ReadInt64LittleEndian(state[9..]);
        Span<ulong> words = stackalloc ulong[4];
        for (int i = 0; i < 4; i++) words[i] = BinaryPrimitives.ReadUInt64LittleEndian(state[(17 + 8 * i)..]);
        rng = Rng.FromState(words);
    }

    internal static int SerializedSize => StateSize;
}
