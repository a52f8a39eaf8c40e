namespace Misgen.Sweeps;

public enum SweepEventKind { Started, Done, Retrying, Failed, Blocked }

/// <summary>One step of a study's progress, with the whole study's counts at that moment.</summary>
public sealed record SweepEvent(
    SweepEventKind Kind, SweepTask Task, int Done, int Total, int Running, int Failed,
    string? Message, TimeSpan Elapsed, TimeSpan? Eta);

/// <summary>How a run ended: tasks done, failed after all retries (with their logs), and blocked by a failed dependency.</summary>
public sealed record SweepSummary(int Total, int Done, IReadOnlyList<FailedMarker> Failed, IReadOnlyList<string> Blocked)
{
    public bool Complete => Done == Total;
}
