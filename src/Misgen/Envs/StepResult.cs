using System.Runtime.CompilerServices;

namespace Misgen.Envs;

/// <summary>What one step of a single game returns (Gymnasium's reward, terminated, truncated).</summary>
/// <param name="Terminated">The episode reached a terminal state (a goal, a death).</param>
/// <param name="Truncated">The episode ran out of time.</param>
/// <param name="Outcome">How the episode ended (0 while it runs).</param>
/// <param name="Steps">Steps taken in this episode so far, this one included.</param>
public readonly record struct StepResult(float Reward, bool Terminated, bool Truncated, byte Outcome, int Steps)
{
    public bool Done => Terminated || Truncated;
}

/// <summary>Up to <see cref="Count"/> named per-episode facts (names in <see cref="GameDefinition.Facts"/>), inline, no allocation.</summary>
[InlineArray(Count)]
public struct EpisodeFacts
{
    public const int Count = 8;
    private float first;
}

/// <summary>One finished episode: how it ended (a game's outcome code), its length, its level, its return and its facts.</summary>
public struct EpisodeInfo : IEquatable<EpisodeInfo>
{
    public EpisodeInfo(byte outcome, int steps, int levelSeed, float @return)
    {
        Outcome = outcome;
        Steps = steps;
        LevelSeed = levelSeed;
        Return = @return;
    }

    public byte Outcome;
    public int Steps;
    public int LevelSeed;
    public float Return;
    public EpisodeFacts Facts;

    /// <summary>True for a finished episode (a default value means "no episode ended here").</summary>
    public readonly bool IsEpisode => Outcome != 0;

    /// <summary>The finished (or running) episode of <paramref name="game"/>.</summary>
    public static EpisodeInfo Of(IGame game)
    {
        var info = new EpisodeInfo(game.Outcome, game.Steps, game.LevelSeed, game.Return);
        game.WriteFacts(info.Facts);
        return info;
    }

    public readonly bool Equals(EpisodeInfo other)
    {
        if (Outcome != other.Outcome || Steps != other.Steps || LevelSeed != other.LevelSeed || !Return.Equals(other.Return)) return false;
        ReadOnlySpan<float> a = Facts, b = other.Facts;
        for (int i = 0; i < EpisodeFacts.Count; i++)
            if (!a[i].Equals(b[i])) return false;
        return true;
    }

    public override readonly bool Equals(object? obj) => obj is EpisodeInfo other && Equals(other);
    public override readonly int GetHashCode() => HashCode.Combine(Outcome, Steps, LevelSeed, Return);
    public static bool operator ==(EpisodeInfo a, EpisodeInfo b) => a.Equals(b);
    public static bool operator !=(EpisodeInfo a, EpisodeInfo b) => !a.Equals(b);
    public override readonly string ToString() => $"EpisodeInfo(outcome {Outcome}, {Steps} steps, level {LevelSeed}, return {Return})";
}
