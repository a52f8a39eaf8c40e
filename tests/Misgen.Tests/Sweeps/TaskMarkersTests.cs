using Misgen.Sweeps;

namespace Misgen.Tests.Sweeps;

public sealed class TaskMarkersTests : IDisposable
{
    private readonly SweepTestKit kit = new();

    public void Dispose() => kit.Dispose();

    [Fact]
    public void In_process_run_marks_done_and_a_second_run_changes_nothing()
    {
        var (study, layout, plan) = kit.Plan(kit.WriteStudy("m", SweepTestKit.SmallStudy(Path.Combine(kit.Dir, "out"), taskMs: 0)));
        SweepTestKit.RunInProcess(study, layout, plan);
        var status = SweepStatus.Read(plan, layout, verifyChecksums: true);
        Assert.True(status.Complete);
        var outputs = SweepTestKit.Outputs(layout);
        Assert.Equal(2 + 4, outputs.Count);
        var doneStamps = plan.Tasks.Select(t => File.GetLastWriteTimeUtc(layout.DoneMarker(t.Id))).ToList();

        SweepTestKit.RunInProcess(study, layout, plan);   // a task that runs twice (Slurm requeue): skipped
        Assert.Equal(doneStamps, plan.Tasks.Select(t => File.GetLastWriteTimeUtc(layout.DoneMarker(t.Id))));
        Assert.Equal(outputs, SweepTestKit.Outputs(layout));
    }

    [Fact]
    public void Truncated_or_corrupted_output_is_detected()
    {
        var (study, layout, plan) = kit.Plan(kit.WriteStudy("m", SweepTestKit.SmallStudy(Path.Combine(kit.Dir, "out"), taskMs: 0)));
        SweepTestKit.RunInProcess(study, layout, plan);
        var markers = new TaskMarkers(layout);
        var eval = plan.Tasks.First(t => t.Kind == TaskKind.Eval);
        string file = layout.EpisodesFile(eval.Condition, eval.Seed, eval.Setting!);
        byte[] good = File.ReadAllBytes(file);

        File.WriteAllBytes(file, good[..(good.Length / 2)]);
        Assert.Contains("truncated", markers.NotDoneReason(eval, verifyChecksums: false));

        var flipped = (byte[])good.Clone();
        flipped[^3] ^= 1;   // same size, one bit different
        File.WriteAllBytes(file, flipped);
        Assert.Null(markers.NotDoneReason(eval, verifyChecksums: false));   // size check alone cannot see it
        Assert.Contains("checksum", markers.NotDoneReason(eval, verifyChecksums: true));
        var status = SweepStatus.Read(plan, layout, verifyChecksums: true);
        Assert.Equal(TaskState.Pending, status.Tasks.Single(t => t.Task.Id == eval.Id).State);

        File.Delete(file);
        Assert.Contains("missing", markers.NotDoneReason(eval, verifyChecksums: false));
    }

    [Fact]
    public void Stale_running_marker_of_a_dead_process_is_pending()
    {
        var (_, layout, plan) = kit.Plan(kit.WriteStudy("m", SweepTestKit.SmallStudy(Path.Combine(kit.Dir, "out"), taskMs: 0)));
        var markers = new TaskMarkers(layout);
        var task = plan.Tasks[0];
        markers.WriteRunning(task, null);
        Assert.Equal(TaskState.Running, markers.Status(task, false).State);   // this process is alive

        using var gone = System.Diagnostics.Process.Start("true")!;
        gone.WaitForExit();
        File.WriteAllText(layout.RunningMarker(task.Id),
            File.ReadAllText(layout.RunningMarker(task.Id)).Replace($"\"pid\": {Environment.ProcessId}", $"\"pid\": {gone.Id}"));
        var status = markers.Status(task, false);
        Assert.Equal(TaskState.Pending, status.State);
        Assert.Contains("interrupted", status.Note);
    }

    [Fact]
    public void Array_task_that_left_the_Slurm_queue_without_finishing_is_pending()
    {
        var (_, layout, plan) = kit.Plan(kit.WriteStudy("m", SweepTestKit.SmallStudy(Path.Combine(kit.Dir, "out"), taskMs: 0)));
        var markers = new TaskMarkers(layout);
        var task = plan.Tasks[1];
        AtomicFile.WriteAllText(layout.RunningMarker(task.Id),
            System.Text.Json.JsonSerializer.Serialize(new RunningMarker(task.Id, 1, "node17", DateTime.UtcNow, "4242_1"), SweepPlan.Json));
        Assert.Equal(TaskState.Running, markers.Status(task, false, SlurmQueue.Of("4242_1", "4242_2")).State);
        Assert.Equal(TaskState.Running, markers.Status(task, false, queue: null).State);   // no squeue here: cannot tell
        var gone = markers.Status(task, false, SlurmQueue.Of("4242_2", "4243_1"));
        Assert.Equal(TaskState.Pending, gone.State);
        Assert.Contains("Slurm job 4242_1 is gone", gone.Note);
    }

    [Fact]
    public void Collect_is_idempotent_and_skips_damaged_results()
    {
        var (study, layout, plan) = kit.Plan(kit.WriteStudy("m", SweepTestKit.SmallStudy(Path.Combine(kit.Dir, "out"), taskMs: 0)));
        SweepTestKit.RunInProcess(study, layout, plan);
        var sink = new KeyedSink();
        var first = SweepCollector.Collect(plan, layout, sink);
        Assert.Equal((4, 4 * 25, 0), (first.TasksCollected, first.Episodes, first.TasksNotDone));
        SweepCollector.Collect(plan, layout, sink);
        Assert.Equal(2 * 4 * 25, sink.Added);
        Assert.Equal(4 * 25, sink.Rows.Count);   // same keys: replaced, not duplicated

        var eval = plan.Tasks.Last();
        File.AppendAllText(layout.EpisodesFile(eval.Condition, eval.Seed, eval.Setting!), "junk\n");
        var again = SweepCollector.Collect(plan, layout, new KeyedSink());
        Assert.Equal((3, 1), (again.TasksCollected, again.TasksNotDone));
    }
}
