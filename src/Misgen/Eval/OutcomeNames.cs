using Misgen.Envs.Maze;
using Misgen.Envs;

namespace Misgen.Eval;

/// <summary>The names results.db exports use for outcomes; the stored codes are the <see cref="Outcome"/> values (1, 2, 3).</summary>
public static class OutcomeNames
{
    public static string Name(Outcome outcome) => outcome switch
    {
        Outcome.Obj1 => "obj1",
        Outcome.Obj2 => "obj2",
        Outcome.Timeout => "timeout",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not an outcome of a finished episode"),
    };
}
