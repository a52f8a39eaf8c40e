using Misgen.Envs.Maze;
using Misgen.Envs;

namespace Misgen.Eval;

/// <summary>
/// One test setting: an env spec of any game, e.g. <c>maze:red-line+yellow-gem@textured</c> (a duel: obj1
/// first, the preference numerator), with the training condition it belongs to in its study
/// (<c>maze:yellow-line@textured</c>), or null for a setting given directly on the command line.
/// The spec is always in <see cref="EnvSpec"/>'s canonical spelling.
/// </summary>
public sealed record Setting
{
    public Setting(string spec, string? condition)
    {
        Env = EnvSpec.Parse(spec);
        Spec = Env.ToString();
        Condition = condition;
    }

    public string Spec { get; }
    public string? Condition { get; }
    public EnvSpec Env { get; }

    /// <summary>The maze's first object, e.g. <c>red-line</c>; null for other games.</summary>
    public string? Obj1 => (Env.Config as MazeConfig)?.Obj1.ToString();

    /// <summary>The maze's second object, e.g. <c>yellow-gem</c>; null for a single-goal spec and for other games.</summary>
    public string? Obj2 => (Env.Config as MazeConfig)?.Obj2?.ToString();

    /// <summary>The maze's background, e.g. <c>textured</c>; null for other games.</summary>
    public string? Background => (Env.Config as MazeConfig)?.Background.ToString().ToLowerInvariant();

    public int Timeout => Env.Timeout;

    public bool Equals(Setting? other) => other is not null && Spec == other.Spec && Condition == other.Condition;

    public override int GetHashCode() => HashCode.Combine(Spec, Condition);

    public override string ToString() => Spec;
}
