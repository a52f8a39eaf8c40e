using System.Diagnostics;
using Misgen.Sweeps;

namespace Misgen.Tests.Sweeps;

/// <summary>
/// The local executor with real worker processes (`misgen sweep task` of this build) and the synthetic
/// runner: faults are injected for real (SIGKILL of a worker or of the executor, corrupted files, a task
/// that always fails) and the finished study is compared with an uninterrupted in-process reference.
/// </summary>
public sealed class LocalExecutorFaultTests : IDisposable
{
    private readonly SweepTestKit kit = new();

    public void Dispose() => kit.Dispose();

    private (Study Study, StudyLayout Layout, SweepPlan Plan) Setup(int taskMs, string extra = "", int retries = 2, string seeds = "0..1") =>
        kit.Plan(kit.WriteStudy("study", SweepTestKit.SmallStudy(Path.Combine(kit.Dir, "out"), taskMs, extra, retries, seeds)));

    /// <summary>The same study run uninterrupted, in-process, in its own folder.</summary>
    private SortedDictionary<string, string> Reference(string extra = "", string seeds = "0..1")
    {
        var (study, layout, plan) = kit.Plan(kit.WriteStudy("reference", SweepTestKit.SmallStudy(Path.Combine(kit.Dir, "reference"), 0, extra, 2, seeds)));
        SweepTestKit.RunInProcess(study, layout, plan);
        return SweepTestKit.Outputs(layout);
    }

    private static void AssertCompleteWithoutDuplicates(SweepPlan plan, StudyLayout layout)
    {
        Assert.True(SweepStatus.Read(plan, layout, verifyChecksums: true).Complete);
        var sink = new KeyedSink();
        var summary = SweepCollector.Collect(plan, layout, sink);
        int evals = plan.Tasks.Count(t => t.Kind == TaskKind.Eval);
        Assert.Equal(evals * 25, sink.Added);        // no duplicated rows in any file
        Assert.Equal(evals * 25, sink.Rows.Count);   // no missing rows
        Assert.Equal(evals, summary.TasksCollected);
        Assert.Empty(Directory.EnumerateFiles(layout.Out, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(layout.TasksDir, "*.running", SearchOption.AllDirectories));
    }

    /// <summary>Waits for the task's .running marker and returns the pid it names.</summary>
    private static int WaitForRunningPid(StudyLayout layout, string taskId, TimeSpan timeout)
    {
        var markers = new TaskMarkers(layout);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var running = markers.ReadRunning(new SweepTask(0, taskId, TaskKind.Train, "", 0, null, [], ""));
            if (running != null) return running.Pid;
            Thread.Sleep(10);
        }
        throw new TimeoutException($"{taskId} did not start within {timeout}");
    }

    private static void Kill(int pid)
    {
        using var p = Process.GetProcessById(pid);
        p.Kill();   // SIGKILL on Unix: no cleanup, no flush
    }

    [Fact]
    public async Task Worker_killed_mid_training_and_mid_evaluation_is_redone_with_identical_results()
    {
        var (study, layout, plan) = Setup(taskMs: 800);
        var events = new List<SweepEvent>();
        var executor = new LocalExecutor(study, plan, layout, workers: 2, e => { lock (events) events.Add(e); });
        var run = Task.Run(() => executor.Run());

        string train = plan.Tasks.First(t => t.Kind == TaskKind.Train).Id;
        string eval = plan.Tasks.Last(t => t.Kind == TaskKind.Eval).Id;
        Kill(WaitForRunningPid(layout, train, TimeSpan.FromSeconds(30)));
        Kill(WaitForRunningPid(layout, eval, TimeSpan.FromSeconds(60)));
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(summary.Complete, string.Join("; ", summary.Failed.Select(f => f.Message)));
        lock (events)
        {
            Assert.Contains(events, e => e.Kind == SweepEventKind.Retrying && e.Task.Id == train && e.Message!.Contains("signal 9"));
            Assert.Contains(events, e => e.Kind == SweepEventKind.Retrying && e.Task.Id == eval && e.Message!.Contains("signal 9"));
            Assert.Equal(plan.Tasks.Count, events.Count(e => e.Kind == SweepEventKind.Done));
        }
        AssertCompleteWithoutDuplicates(plan, layout);
        Assert.Equal(Reference(), SweepTestKit.Outputs(layout));
    }

    [Fact]
    public void Executor_killed_mid_study_resumes_on_rerun_with_identical_results()
    {
        var (study, layout, plan) = Setup(taskMs: 600, seeds: "0..2");
        var psi = new ProcessStartInfo(SweepTestKit.Cli[0]) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (string a in SweepTestKit.Cli.Skip(1)) psi.ArgumentList.Add(a);
        foreach (string a in new[] { "sweep", "run", study.Path, "--workers", "2" }) psi.ArgumentList.Add(a);
        using var executor = Process.Start(psi)!;
        _ = executor.StandardOutput.ReadToEndAsync();

        // Kill the executor (only it: its workers become orphans) while an evaluation is running.
        string eval = plan.Tasks.First(t => t.Kind == TaskKind.Eval).Id;
        WaitForRunningPid(layout, eval, TimeSpan.FromSeconds(60));
        executor.Kill();
        executor.WaitForExit();
        Assert.False(SweepStatus.Read(plan, layout, false).Complete);

        // The rerun leaves the orphans' tasks to them, waits, and does the rest.
        var summary = new LocalExecutor(study, plan, layout, workers: 2).Run();
        Assert.True(summary.Complete, string.Join("; ", summary.Failed.Select(f => f.Message)));
        AssertCompleteWithoutDuplicates(plan, layout);
        Assert.Equal(Reference(seeds: "0..2"), SweepTestKit.Outputs(layout));
    }

    [Fact]
    public void Corrupted_result_is_detected_and_only_that_task_redone()
    {
        var (study, layout, plan) = Setup(taskMs: 0);
        Assert.True(new LocalExecutor(study, plan, layout, workers: 2).Run().Complete);
        var reference = SweepTestKit.Outputs(layout);
        var victim = plan.Tasks.First(t => t.Kind == TaskKind.Eval);
        string file = layout.EpisodesFile(victim.Condition, victim.Seed, victim.Setting!);
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x20;   // same length, corrupt content
        File.WriteAllBytes(file, bytes);
        var stamps = plan.Tasks.ToDictionary(t => t.Id, t => File.GetLastWriteTimeUtc(layout.DoneMarker(t.Id)));

        var events = new List<SweepEvent>();
        Assert.True(new LocalExecutor(study, plan, layout, workers: 2, events.Add).Run().Complete);
        Assert.Equal([victim.Id], events.Where(e => e.Kind == SweepEventKind.Done).Select(e => e.Task.Id));
        Assert.All(plan.Tasks.Where(t => t.Id != victim.Id), t => Assert.Equal(stamps[t.Id], File.GetLastWriteTimeUtc(layout.DoneMarker(t.Id))));
        Assert.Equal(reference, SweepTestKit.Outputs(layout));
        AssertCompleteWithoutDuplicates(plan, layout);
    }

    [Fact]
    public void Task_that_always_fails_is_reported_with_its_log_and_the_rest_completes()
    {
        const string broken = "train/maze-yellow-line-textured/s0001";
        var (study, layout, plan) = Setup(taskMs: 0, extra: $"synthetic: {{task_ms: 0, fail: [\"{broken}\"]}}", retries: 1);
        var summary = new LocalExecutor(study, plan, layout, workers: 2).Run();

        var failed = Assert.Single(summary.Failed);
        Assert.Equal(broken, failed.Id);
        Assert.Equal(2, failed.Attempts);   // first try + 1 retry
        string log = File.ReadAllText(failed.Log);
        Assert.Contains("synthetic failure", log);
        Assert.Contains("attempt 2", log);
        // Its agent's evaluations cannot run; everything else is done.
        Assert.Equal(plan.Tasks.Where(t => t.DependsOn.Contains(broken)).Select(t => t.Id).Order(), summary.Blocked.Order());
        Assert.Equal(plan.Tasks.Count - 1 - 2, summary.Done);
        var status = SweepStatus.Read(plan, layout, verifyChecksums: true);
        Assert.Equal(TaskState.Failed, status.Tasks.Single(t => t.Task.Id == broken).State);
        Assert.All(status.Tasks.Where(t => t.Task.DependsOn.Contains(broken)), t => Assert.Equal($"blocked: {broken} failed", t.Note));
        Assert.Equal(summary.Done, status.Count(TaskState.Done));
    }

    [Fact]
    public void Same_task_run_twice_at_once_leaves_one_intact_result()
    {
        // A Slurm requeue can start a task while its first run is still alive: both write the same
        // bytes through temp files and renames, so the result is whole and there is one .done marker.
        var (study, layout, plan) = Setup(taskMs: 300);
        SweepTestKit.RunInProcess(study, layout, plan);
        var reference = SweepTestKit.Outputs(layout);
        var eval = plan.Tasks.First(t => t.Kind == TaskKind.Eval);
        new TaskMarkers(layout).ClearDone(eval);
        File.Delete(layout.EpisodesFile(eval.Condition, eval.Seed, eval.Setting!));

        var runs = Enumerable.Range(0, 2).Select(_ =>
        {
            var psi = new ProcessStartInfo(SweepTestKit.Cli[0]) { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (string a in SweepTestKit.Cli.Skip(1).Concat(LocalExecutor.TaskCommand(plan, study, layout, eval.Id).Skip(SweepTestKit.Cli.Count)))
                psi.ArgumentList.Add(a);
            return Process.Start(psi)!;
        }).ToList();
        foreach (var p in runs)
        {
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            p.Dispose();
        }
        Assert.Equal(reference, SweepTestKit.Outputs(layout));
        AssertCompleteWithoutDuplicates(plan, layout);
    }

    [Fact]
    public async Task Terminated_run_stops_its_workers_and_a_rerun_completes()
    {
        var (study, layout, plan) = Setup(taskMs: 1500);
        var psi = new ProcessStartInfo(SweepTestKit.Cli[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in SweepTestKit.Cli.Skip(1).Concat(["sweep", "run", study.Path, "--workers", "2"])) psi.ArgumentList.Add(a);
        using var executor = Process.Start(psi)!;
        var stdout = executor.StandardOutput.ReadToEndAsync();
        var stderr = executor.StandardError.ReadToEndAsync();
        int worker = WaitForRunningPid(layout, plan.Tasks[0].Id, TimeSpan.FromSeconds(60));

        using (var term = Process.Start("kill", ["-TERM", executor.Id.ToString()])) term.WaitForExit();
        Assert.True(executor.WaitForExit(30_000), "sweep run did not stop on SIGTERM");
        Assert.Equal(1, executor.ExitCode);
        Assert.Contains("interrupted", await stderr);
        Assert.False(Directory.Exists($"/proc/{worker}") && !File.ReadAllText($"/proc/{worker}/stat").Contains(") Z"), "worker still running");
        Assert.Empty(Directory.EnumerateFiles(layout.TasksDir, "*.running", SearchOption.AllDirectories));
        await stdout;

        Assert.True(new LocalExecutor(study, plan, layout, workers: 2).Run().Complete);
        Assert.Equal(Reference(), SweepTestKit.Outputs(layout));
    }
}
