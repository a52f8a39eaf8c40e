using System.Diagnostics;
using Misgen.Sweeps;

namespace Misgen.Tests.Sweeps;

public sealed class SlurmExecutorTests : IDisposable
{
    private readonly SweepTestKit kit = new();

    public void Dispose() => kit.Dispose();

    [Fact]
    public void Script_requests_the_study_resources_and_runs_this_build_by_array_index()
    {
        var (study, layout, plan) = kit.Plan(kit.WriteStudy("s", SweepTestKit.SmallStudy(Path.Combine(kit.Dir, "out"), 0,
            "slurm: {partition: short, time: \"30\", cpus: 2, mem: 1G, concurrency: 3, account: lab, directives: [\"--qos=low\"]}")));
        string script = File.ReadAllText(new SlurmExecutor(study, plan, layout).WriteScript(plan.Array("eval")));
        Assert.StartsWith("#!/bin/bash\n", script);
        foreach (string line in new[]
                 {
                     "#SBATCH --array=0-3%3", $"#SBATCH --output={layout.LogsDir}/%A_%a.out", "#SBATCH --time=30",
                     "#SBATCH --cpus-per-task=2", "#SBATCH --mem=1G", "#SBATCH --partition=short", "#SBATCH --account=lab", "#SBATCH --qos=low",
                 })
            Assert.Contains(line + "\n", script);
        // The command is this build's CLI by absolute path, so it works from a fresh clone without `misgen` on PATH.
        Assert.Contains($"{string.Join(' ', SweepTestKit.Cli)} sweep task --study {study.Path} --out {layout.Out} --phase eval --index \"$SLURM_ARRAY_TASK_ID\"", script);
        Assert.True(File.Exists(SweepTestKit.Cli[^1]));
        Assert.Contains("for attempt in $(seq 1 3); do", script);   // retries: 2 (the default) -> 3 attempts
    }

    [Fact]
    public void Dry_run_writes_the_scripts_and_the_sbatch_commands_without_submitting()
    {
        var (study, layout, plan) = kit.Plan(kit.WriteStudy("s", SweepTestKit.SmallStudy(Path.Combine(kit.Dir, "out"), 0, "slurm: {concurrency: 5}")));
        var subs = new SlurmExecutor(study, plan, layout).Submit(dryRun: true);
        Assert.Equal(
        [
            $"sbatch --parsable --array=0-1%5 {layout.SlurmDir}/train.sbatch",
            $"sbatch --parsable --array=0-3%5 --dependency=afterany:\"$TRAIN_JOB\" {layout.SlurmDir}/eval.sbatch",
        ], subs.Select(x => x.Command));
        Assert.True(File.Exists(Path.Combine(layout.SlurmDir, "eval.sbatch")));
        Assert.False(File.Exists(Path.Combine(layout.SlurmDir, "submitted.txt")));
    }

    [Fact]
    public void Script_retries_a_failing_task_then_exits_with_its_code()
    {
        // The generated script run by bash without Slurm, with a stand-in `misgen` that always fails.
        var (study, layout, plan) = kit.Plan(kit.WriteStudy("s", SweepTestKit.SmallStudy(Path.Combine(kit.Dir, "out"), 0, retries: 1)));
        string stub = Path.Combine(kit.Dir, "fail.sh");
        File.WriteAllText(stub, "#!/bin/sh\necho \"ran $*\" >> \"$(dirname \"$0\")/calls.txt\"\nexit 1\n");
        var stubbed = SweepPlan.Build(study, layout.Out, ["/bin/sh", stub]);
        string script = new SlurmExecutor(study, stubbed, layout).WriteScript(stubbed.Array("train"));
        var psi = new System.Diagnostics.ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true };
        psi.Environment["SLURM_ARRAY_TASK_ID"] = "1";
        psi.Environment["SLURM_ARRAY_JOB_ID"] = "7";
        using var p = System.Diagnostics.Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("attempt 2 of 2 failed", output);
        var calls = File.ReadAllLines(Path.Combine(kit.Dir, "calls.txt"));
        Assert.Equal(2, calls.Length);
        Assert.All(calls, c => Assert.Contains("--phase train --index 1", c));
    }

    /// <summary>2 agents x 2 settings x 25 levels of real training (smoke preset) and evaluation.</summary>
    private static string RealStudy(string outDir, string extra = "") => $"""
        name: slurm-smoke
        out: {outDir}
        preset: smoke
        seeds: 0..1
        eval_levels: {"{"}start: 100000, count: 25{"}"}
        conditions:
          - env: maze:yellow-line@textured
            settings: [maze:red-line+yellow-gem@textured, maze:green-line+yellow-gem@textured]
        {extra}
        """;

    private static SortedDictionary<string, string> Results(StudyLayout layout) =>
        new(SweepTestKit.Outputs(layout).Where(kv => kv.Key.EndsWith("model.safetensors") || kv.Key.EndsWith(".episodes.csv"))
            .ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);

    [SlurmFact]
    public async Task Small_study_runs_end_to_end_on_a_real_Slurm_and_resubmits_only_unfinished_work()
    {
        Assert.True(SlurmProbe.Available, $"CI=true but Slurm is not usable: {SlurmProbe.Why} (.ci/setup-slurm.sh should have started it)");
        var (study, layout, plan) = kit.Plan(kit.WriteStudy("s", RealStudy(Path.Combine(kit.Dir, "out"),
            "slurm: {time: \"5\", cpus: 1, mem: 500M, concurrency: 2, max_array_size: 3}")));
        var executor = new SlurmExecutor(study, plan, layout);
        var submitted = executor.Submit();
        Assert.Equal(["train", "eval"], submitted.Select(s => s.Phase));
        // max_array_size 3: the 4 eval tasks run 2 per array index.
        Assert.Equal(["0-1%2", "0-1%2"], submitted.Select(s => s.ArraySpec));
        // Submitting again while those jobs are queued would run tasks twice: refused.
        Assert.Contains("still queued or running", Assert.Throws<MisgenInputException>(() => executor.Submit()).Message);
        await WaitForCompletion(plan, layout, submitted);

        var reference = kit.Plan(kit.WriteStudy("reference", RealStudy(Path.Combine(kit.Dir, "reference"))));
        SweepTestKit.RunInProcess(reference.Study, reference.Layout, reference.Plan);
        var expected = Results(reference.Layout);
        Assert.Equal(2 + 4, expected.Count);
        Assert.Equal(expected, Results(layout));
        Assert.Equal(4, Directory.GetFiles(layout.LogsDir, "*_*.out").Length);   // one log per array task
        var sink = new KeyedSink();
        SweepCollector.Collect(plan, layout, sink);
        Assert.Equal((4 * 25, 4 * 25), (sink.Added, sink.Rows.Count));

        // Nothing left: nothing submitted. One corrupt result: only its array index goes again.
        Assert.Empty(executor.Submit());
        var victim = plan.Tasks.Last();
        File.AppendAllText(layout.EpisodesFile(victim.Condition, victim.Seed, victim.Setting!), "x");
        var again = executor.Submit();
        Assert.Equal([("eval", "1%2")], again.Select(s => (s.Phase, s.ArraySpec)));
        await WaitForCompletion(plan, layout, again);
        Assert.Equal(expected, Results(layout));
    }

    private static async Task WaitForCompletion(SweepPlan plan, StudyLayout layout, IReadOnlyList<SlurmSubmission> jobs)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(180))
        {
            if (SweepStatus.Read(plan, layout, verifyChecksums: true).Complete && !await InQueue(jobs)) return;
            await Task.Delay(500);
        }
        var status = SweepStatus.Read(plan, layout, true);
        Assert.Fail($"Slurm study not complete after 180 s: {string.Join("; ", status.Tasks.Where(t => t.State != TaskState.Done).Select(t => $"{t.Task.Id} {t.State} {t.Note}"))}");
    }

    private static async Task<bool> InQueue(IReadOnlyList<SlurmSubmission> jobs)
    {
        var psi = new ProcessStartInfo("squeue", $"-h -j {string.Join(',', jobs.Select(j => j.JobId))}") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output.Trim().Length > 0;
    }
}
