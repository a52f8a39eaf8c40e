using System.CommandLine;
using System.Text.Json;
using Misgen.Analysis;
using Misgen.Eval;
using Misgen.Interp;
using Misgen.Sweeps;

namespace Misgen.Cli.Verbs;

/// <summary>`misgen sweep plan|run|status|collect|report|task`: studies of many agents, locally or on Slurm.</summary>
internal static class SweepVerb
{
    public static Command Create()
    {
        var command = new Command("sweep", "Plan and run a study (many agents x settings) locally or on Slurm; resumable after any failure.");
        command.Subcommands.Add(Plan());
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Collect());
        command.Subcommands.Add(Report());
        command.Subcommands.Add(TaskCommand());
        return command;
    }

    private static Argument<string> StudyArgument() => new("study") { Description = "Study file (YAML), e.g. studies/tiny.yaml" };

    private static Option<string?> OutOption() => new("--out") { Description = "Output folder (default: the study's `out:`, relative to the current directory)" };

    private static (Study Study, StudyLayout Layout) Open(string studyPath, string? outDir)
    {
        var study = Study.Load(studyPath);
        return (study, new StudyLayout(outDir ?? study.Out));
    }

    private static SweepPlan PlanAndSave(Study study, StudyLayout layout)
    {
        var plan = SweepPlan.Build(study, layout.Out, SweepCommand.For(typeof(SweepVerb).Assembly.Location));
        plan.Save(layout);
        return plan;
    }

    private static Command Plan()
    {
        var study = StudyArgument();
        var outOpt = OutOption();
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON" };
        var c = new Command("plan", "Expand a study into tasks with stable ids and write OUT/plan.json.") { study, outOpt, json };
        c.SetAction(p =>
        {
            var (s, layout) = Open(p.GetValue(study)!, p.GetValue(outOpt));
            var plan = PlanAndSave(s, layout);
            if (p.GetValue(json))
            {
                using (var stdout = Console.OpenStandardOutput()) plan.WriteJson(stdout);
                Console.WriteLine();
                return Cli.Done;
            }
            int train = plan.Tasks.Count(t => t.Kind == TaskKind.Train);
            Console.WriteLine($"study {plan.Name}: {plan.Tasks.Count} tasks ({train} train, {plan.Tasks.Count - train} eval) in {s.Conditions.Count} condition(s)");
            foreach (var cond in s.Conditions)
                Console.WriteLine($"  {cond.Name}: {cond.Env}, preset {cond.Preset}, {cond.Seeds.Count} agents x {cond.Settings.Count} settings x {cond.EvalLevels.Count} levels");
            foreach (var a in plan.Arrays)
                Console.WriteLine($"  slurm array {a.Phase}: {a.Length} indices x {a.ChunkSize} task(s)");
            Console.WriteLine($"plan: {layout.PlanPath}");
            return Cli.Done;
        });
        return c;
    }

    private static Command Run()
    {
        var study = StudyArgument();
        var outOpt = OutOption();
        var executor = new Option<string>("--executor") { Description = "local (a process pool here) or slurm (sbatch arrays)", DefaultValueFactory = _ => "local" };
        var workers = new Option<int>("--workers") { Description = "Local worker processes, each single-threaded (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount }.Within(1, WorkerPool.MaxThreads);
        var dryRun = new Option<bool>("--dry-run") { Description = "Slurm: write the array scripts and print the sbatch commands without submitting" };
        var c = new Command("run", "Run (or resume) every unfinished task of a study: locally, or by submitting Slurm arrays.") { study, outOpt, executor, workers, dryRun };
        c.SetAction(p =>
        {
            var (s, layout) = Open(p.GetValue(study)!, p.GetValue(outOpt));
            var plan = PlanAndSave(s, layout);
            switch (p.GetValue(executor))
            {
                case "local":
                    return RunLocal(s, plan, layout, p.GetValue(workers));
                case "slurm":
                    bool dry = p.GetValue(dryRun);
                    var submissions = new SlurmExecutor(s, plan, layout).Submit(dry);
                    if (submissions.Count == 0) Console.WriteLine("every task is already done; nothing submitted");
                    if (dry)
                    {
                        foreach (var sub in submissions)
                            Console.WriteLine($"{sub.JobId}=$({sub.Command})");
                        return Cli.Done;
                    }
                    foreach (var sub in submissions)
                        Console.WriteLine($"submitted {sub.Phase}: job {sub.JobId} array {sub.ArraySpec} ({sub.Script})");
                    Console.WriteLine($"logs: {layout.LogsDir}/JOB_INDEX.out; follow with `misgen sweep status {s.Path} --out {layout.Out}`");
                    return Cli.Done;
                default:
                    throw MisgenInputException.Unknown("executor", p.GetValue(executor)!, ["local", "slurm"]);
            }
        });
        return c;
    }

    private static int RunLocal(Study study, SweepPlan plan, StudyLayout layout, int workers)
    {
        // Ctrl-C or SIGTERM: stop the workers (their tasks stay pending) and exit; rerunning resumes.
        using var interruption = new Interruption("stopping the workers");
        Console.WriteLine($"study {plan.Name}: {plan.Tasks.Count} tasks, {workers} worker(s), logs in {layout.LogsDir}");
        var summary = new LocalExecutor(study, plan, layout, workers, e =>
        {
            if (e.Kind == SweepEventKind.Started) return;
            string eta = e.Eta is { } t ? $" ETA {t:hh\\:mm\\:ss}" : "";
            string msg = e.Message != null ? $" ({e.Message})" : "";
            Console.WriteLine($"[{e.Done}/{e.Total} done, {e.Running} running, {e.Failed} failed, {e.Elapsed:hh\\:mm\\:ss}{eta}] {e.Kind.ToString().ToLowerInvariant()} {e.Task.Id}{msg}");
        }).Run(interruption.Token);
        Console.WriteLine($"{summary.Done}/{summary.Total} tasks done");
        foreach (var f in summary.Failed) Console.WriteLine($"FAILED {f.Id} after {f.Attempts} attempt(s): {f.Message}; log: {f.Log}");
        if (summary.Blocked.Count > 0) Console.WriteLine($"{summary.Blocked.Count} task(s) not run because a task they depend on failed");
        return summary.Complete ? Cli.Done : Cli.Failed;
    }

    private static Command Status()
    {
        var study = StudyArgument();
        var outOpt = OutOption();
        var verify = new Option<bool>("--verify") { Description = "Re-hash every output against its .done checksum (slower; finds corrupt files)" };
        var json = new Option<bool>("--json") { Description = "One JSON object per task: id, state, note" };
        var c = new Command("status", "Show done / running / failed / pending tasks of a study (from its marker files; any executor).") { study, outOpt, verify, json };
        c.SetAction(p =>
        {
            var (s, layout) = Open(p.GetValue(study)!, p.GetValue(outOpt));
            var plan = SweepPlan.Load(layout);
            var status = SweepStatus.Read(plan, layout, p.GetValue(verify));
            if (p.GetValue(json))
            {
                foreach (var t in status.Tasks)
                    Console.WriteLine(JsonSerializer.Serialize(new { id = t.Task.Id, state = t.State.ToString().ToLowerInvariant(), note = t.Note, log = t.Failed?.Log }));
                return Cli.Done;
            }
            Console.WriteLine($"study {plan.Name} ({layout.Out})");
            Console.WriteLine($"{"",-6} {"done",7} {"running",8} {"failed",7} {"pending",8}");
            foreach (var kind in new[] { TaskKind.Train, TaskKind.Eval })
                Console.WriteLine($"{kind.ToString().ToLowerInvariant(),-6} {status.Count(TaskState.Done, kind),7} {status.Count(TaskState.Running, kind),8} {status.Count(TaskState.Failed, kind),7} {status.Count(TaskState.Pending, kind),8}");
            foreach (var t in status.Tasks.Where(t => t.State == TaskState.Running))
                Console.WriteLine($"running {t.Task.Id}: {t.Note}");
            foreach (var t in status.Tasks.Where(t => t.State == TaskState.Failed))
                Console.WriteLine($"failed  {t.Task.Id}: {t.Note}; log: {t.Failed!.Log}");
            foreach (var t in status.Tasks.Where(t => t.State == TaskState.Pending && t.Note != null).Take(20))
                Console.WriteLine($"pending {t.Task.Id}: {t.Note}");
            return Cli.Done;
        });
        return c;
    }

    private static Command Collect()
    {
        var study = StudyArgument();
        var outOpt = OutOption();
        var c = new Command("collect", "Merge every done eval task's episodes into OUT/results.db (idempotent: stored episodes are not added again).") { study, outOpt };
        c.SetAction(p =>
        {
            var (s, layout) = Open(p.GetValue(study)!, p.GetValue(outOpt));
            var plan = SweepPlan.Load(layout);
            using var store = ResultsStore.Open(layout.ResultsDb);
            var sink = new ResultsStoreSink(store, s, layout);
            var summary = SweepCollector.Collect(plan, layout, sink);
            Console.WriteLine($"{summary.TasksCollected} eval task(s) collected: {summary.Episodes} episodes read, {sink.Added} new in {layout.ResultsDb}" +
                              (summary.TasksNotDone > 0 ? $"; {summary.TasksNotDone} eval task(s) not done yet" : ""));
            return Cli.Done;
        });
        return c;
    }

    private static Command Report()
    {
        var study = StudyArgument();
        var outOpt = OutOption();
        var c = new Command("report", "Collect, then write OUT/report.html from OUT/results.db (the study report of `misgen report`).") { study, outOpt };
        c.SetAction(p =>
        {
            var (s, layout) = Open(p.GetValue(study)!, p.GetValue(outOpt));
            var plan = SweepPlan.Load(layout);
            using var store = ResultsStore.Open(layout.ResultsDb);
            SweepCollector.Collect(plan, layout, new ResultsStoreSink(store, s, layout));
            if (store.EpisodeCount() == 0) throw new MisgenInputException($"no evaluation is done yet in {layout.Out}; run the study first (misgen sweep run)");
            string path = Path.Combine(layout.Out, "report.html");
            StudyReport.Write(store, path, new ReportOptions { Title = $"Misgen study {plan.Name}", OutlierGif = OutlierVideos.From(store), Inside = ReportPictures.From() });
            Console.WriteLine($"wrote {path}");
            return Cli.Done;
        });
        return c;
    }

    private static Command TaskCommand()
    {
        var studyOpt = new Option<string>("--study") { Description = "Study file", Required = true };
        var outOpt = OutOption();
        var id = new Option<string?>("--id") { Description = "Task id from plan.json, e.g. train/maze-yellow-line-textured/s0003" };
        var index = new Option<int?>("--index") { Description = "Plan index of the task, or with --phase the Slurm array index ($SLURM_ARRAY_TASK_ID)." }.Within(0, int.MaxValue);
        var phase = new Option<string?>("--phase") { Description = "Slurm array the --index belongs to: train or eval" };
        var threads = new Option<int>("--threads") { Description = "Threads for this task.", DefaultValueFactory = _ => 1 }.Threads();
        var c = new Command("task", "Run one task (or one Slurm array index) of a planned study; executors call this. A done task is skipped.")
            { studyOpt, outOpt, id, index, phase, threads };
        c.SetAction((p, cancel) =>
        {
            var (s, layout) = Open(p.GetValue(studyOpt)!, p.GetValue(outOpt));
            int t = p.GetValue(threads);
            WorkerPool.ConfigureShared(t);
            var host = new TaskHost(s, layout, Console.Out);
            IReadOnlyList<SweepTask> tasks = (p.GetValue(id), p.GetValue(index), p.GetValue(phase)) switch
            {
                ({ } i, null, null) => [host.Task(i)],
                (null, { } n, null) => [host.TaskAt(n)],
                (null, { } n, { } ph) => host.ArrayTasks(ph, n),
                _ => throw new MisgenInputException("give either --id ID, --index N, or --phase train|eval --index N"),
            };
            return System.Threading.Tasks.Task.FromResult(host.Run(tasks, t, cancel) ? Cli.Done : Cli.Failed);
        });
        return c;
    }
}
