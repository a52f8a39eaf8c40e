namespace Misgen.Sweeps;

/// <summary>
/// Where `collect` puts episodes. Adding the same (agent, setting, level seed) again must replace, not
/// duplicate, so collecting twice gives the same database. The real sink is results.db through
/// Misgen.Eval's ResultsStore.
/// </summary>
public interface IResultsSink
{
    /// <summary>The episodes of one done eval task (its agent and setting are in <paramref name="task"/>).</summary>
    void AddEpisodes(SweepTask task, IReadOnlyList<TaskEpisode> episodes);
}

public sealed record CollectSummary(int TasksCollected, int Episodes, int TasksNotDone);

/// <summary>Merges the episodes files of every done eval task into a results sink (idempotent).</summary>
public static class SweepCollector
{
    public static CollectSummary Collect(SweepPlan plan, StudyLayout layout, IResultsSink sink)
    {
        var markers = new TaskMarkers(layout);
        int collected = 0, episodes = 0, notDone = 0;
        foreach (var task in plan.Tasks.Where(t => t.Kind == TaskKind.Eval))
        {
            // Verify checksums: a damaged file is never merged; its task shows as pending and is redone by `run`.
            var done = markers.IsDone(task, verifyChecksums: true) ? markers.ReadDone(task) : null;
            if (done == null) { notDone++; continue; }
            foreach (var output in done.Outputs)
            {
                var rows = EpisodeFile.Read(layout.Absolute(output.Path));
                sink.AddEpisodes(task, rows);
                episodes += rows.Count;
            }
            collected++;
        }
        return new CollectSummary(collected, episodes, notDone);
    }
}
