using Misgen.Envs;

namespace Misgen.Eval;

/// <summary>
/// One evaluation episode of one agent on one setting: a level seed, how it ended (the game's outcome code),
/// its length, its return and the game's per-episode facts (in the order of <see cref="GameDefinition.Facts"/>).
/// </summary>
public readonly record struct Episode(int LevelSeed, byte Outcome, int Steps, float Return, FactValues Facts = default)
{
    public static Episode From(in EpisodeInfo info, int factCount) =>
        new(info.LevelSeed, info.Outcome, info.Steps, info.Return, FactValues.From(info.Facts, factCount));
}

/// <summary>An episode with the names of its agent and setting, as read back from results.db.</summary>
public readonly record struct EpisodeRow(string Agent, string Setting, int LevelSeed, byte Outcome, int Steps, float Return, FactValues Facts = default);

/// <summary>A game's per-episode facts as an immutable list with value equality (empty for games that report none).</summary>
public readonly struct FactValues : IEquatable<FactValues>
{
    private readonly float[]? values;

    public FactValues(float[]? values) => this.values = values is { Length: > 0 } ? values : null;

    public static FactValues From(in EpisodeFacts facts, int count)
    {
        if (count == 0) return default;
        var values = new float[count];
        ReadOnlySpan<float> all = facts;
        all[..count].CopyTo(values);
        return new FactValues(values);
    }

    public int Count => values?.Length ?? 0;

    public float this[int index] => values![index];

    public ReadOnlySpan<float> AsSpan() => values;

    public bool Equals(FactValues other) => AsSpan().SequenceEqual(other.AsSpan());
    public override bool Equals(object? obj) => obj is FactValues other && Equals(other);
    public override int GetHashCode() => Count;
    public static bool operator ==(FactValues a, FactValues b) => a.Equals(b);
    public static bool operator !=(FactValues a, FactValues b) => !a.Equals(b);
    public override string ToString() => Count == 0 ? "[]" : "[" + string.Join(", ", values!) + "]";
}
