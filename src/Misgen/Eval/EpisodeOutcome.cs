namespace Misgen.Eval;

/// <summary>
/// How an evaluation episode ended, with the codes stored in results.db (same values as
/// <c>Misgen.Envs.Outcome</c>): obj1 reached (the preference numerator), obj2 reached, or timeout.
/// </summary>
public enum EpisodeOutcome : byte { Obj1 = 1, Obj2 = 2, Timeout = 3 }

public static class EpisodeOutcomes
{
    public static string Name(EpisodeOutcome outcome) => outcome switch
    {
        EpisodeOutcome.Obj1 => "obj1",
        EpisodeOutcome.Obj2 => "obj2",
        EpisodeOutcome.Timeout => "timeout",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not an episode outcome"),
    };
}
