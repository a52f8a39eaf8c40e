using System.Globalization;
using Misgen.Analysis;
using Misgen.Envs;
using Misgen.Eval;
using Misgen.Interp;
using Misgen.Rl;
using Misgen.Studies;

namespace Misgen.Demo;

/// <summary>
/// The main job: train a few agents on the training condition, evaluate them on that condition's
/// test settings (the three headline ones first), and write the study report. Every stage resumes:
/// training from its checkpoints, evaluation from the episodes already in results.db.
/// </summary>
public static class DemoRun
{
    /// <summary>The settings the published finding is about come first.</summary>
    public static readonly IReadOnlyList<string> HeadlineObjects = ["red-line", "green-line", "blue-line"];

    /// <summary>
    /// Training steps per agent with the `fast` preset. Its textured budget is 600k, but `fast` agents
    /// reach ~5 steps per training episode by ~430k (BENCHMARKS.md, "Time to capability"); stopping at
    /// 480k (58 updates) lets four agents, two rounds of two, train in about 12 minutes on 2 cores, so
    /// the whole demo fits in 15. `--set total_steps=600000` restores the preset's budget.
    /// </summary>
    public const long FastTotalSteps = 480_000;

    /// <summary>Agents one demo trains (docs/LIMITS.md); a study of more belongs in `misgen sweep`.</summary>
    public const int MaxAgents = 1000;

    /// <summary>The longest time budget (a week), in minutes.</summary>
    public const double MaxMinutes = 7 * 24 * 60;

    public static string Run(DemoOptions options, Action<string> log, CancellationToken cancel = default)
    {
        if (options.Agents < 1 || options.Agents > MaxAgents) throw new MisgenInputException($"--agents {options.Agents} is invalid; valid: 1..{MaxAgents}");
        WorkerPool.CheckThreads(options.Threads);
        if (!(options.Budget.TotalMinutes > 0 && options.Budget.TotalMinutes <= MaxMinutes))
            throw new MisgenInputException($"--minutes {options.Budget.TotalMinutes} is invalid; valid: more than 0, up to {MaxMinutes}");
        var condition = StudyCatalogue.Condition(options.Condition);
        var spec = EnvSpec.Parse(condition.Spec);
        var study = StudyCatalogue.For(spec);
        IReadOnlyList<string> overrides = [.. options.Preset == "fast" ? [$"total_steps={FastTotalSteps}"] : Array.Empty<string>(), .. options.Overrides];
        var config = Recipe.Manifest(spec, options.Preset, 1, overrides).Config; // validated before anything is written

        string outDir = OutputFolder.Create(options.OutDir);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        log(string.Create(CultureInfo.InvariantCulture,
            $"demo: {options.Agents} agents, preset {options.Preset} ({config.TotalSteps:N0} steps each), on {condition.Spec}; output in {outDir}"));

        var agentDirs = TrainAll(options, spec, overrides, config, outDir, log, clock, cancel);
        log(string.Create(CultureInfo.InvariantCulture, $"training done at {clock.Elapsed.TotalMinutes:F1} min"));

        var settings = condition.Settings
            .OrderBy(s => HeadlineRank(s.Spec))
            .ToList();
        string dbPath = Path.Combine(outDir, "results.db");
        using (var store = ResultsStore.Open(dbPath))
        {
            WorkerPool.ConfigureShared(options.Threads);
            var evaluator = new Evaluator(store, new EvalProtocol(study.EvalStartLevel, options.Levels, 256));
            var agents = agentDirs.Select(AgentDirectory.Load).ToList();
            double slowestSetting = 0;
            var settingClock = System.Diagnostics.Stopwatch.StartNew();
            int ran = 0, stored = 0, current = -1;
            void Finish()
            {
                if (current < 0) return;
                var setting = settings[current];
                slowestSetting = Math.Max(slowestSetting, settingClock.Elapsed.TotalSeconds);
                var preferences = store.Metrics().Where(m => m.Setting == setting.Spec)
                    .Select(m => double.IsNaN(m.Preference) ? "-" : m.Preference.ToString("F2", CultureInfo.InvariantCulture));
                string note = ran == 0 && stored > 0 ? " (already stored)" : "";
                log(string.Create(CultureInfo.InvariantCulture,
                    $"  eval [{current + 1}/{settings.Count}] {setting.Spec}: {ran} episodes in {settingClock.Elapsed.TotalSeconds:F1} s{note}; " +
                    $"preference for {setting.Obj1 ?? "obj1"} per agent: {string.Join(" ", preferences)}"));
            }
            evaluator.EvaluateAll(agents, settings,
                done: result => { ran += result.Ran; stored += result.AlreadyStored; },
                startSetting: (k, setting) =>
                {
                    Finish();
                    bool headline = HeadlineRank(setting.Spec) < HeadlineObjects.Count;
                    if (!headline && clock.Elapsed.TotalSeconds + slowestSetting > options.Budget.TotalSeconds * 0.95)
                    {
                        log($"  time budget reached: {settings.Count - k} more settings of {condition.Spec} not evaluated " +
                            "(rerun with a larger --minutes, or use misgen eval)");
                        current = -1;
                        return false;
                    }
                    (current, ran, stored) = (k, 0, 0);
                    settingClock.Restart();
                    return true;
                },
                cancel: cancel);
            Finish();
            log(string.Create(CultureInfo.InvariantCulture, $"evaluation done at {clock.Elapsed.TotalMinutes:F1} min"));
            ColourChannelTest(evaluator, store, agents, settings, log, cancel);

            string reportPath = Path.Combine(outDir, "report.html");
            StudyReport.Write(store, reportPath, new ReportOptions
            {
                Title = $"Misgen demo: {options.Agents} agents trained on {condition.Spec}",
                OutlierGif = OutlierVideos.From(store),
                Inside = ReportPictures.From(),
            });
            log(string.Create(CultureInfo.InvariantCulture, $"report: {reportPath} ({clock.Elapsed.TotalMinutes:F1} min in all)"));
            return reportPath;
        }
    }

    /// <summary>
    /// The report's colour-channel test: the agents "Inside the agents" looks into (flagged outliers and the agent
    /// nearest the median) evaluated again with the R, G and B input channels zeroed in turn, on the headline settings.
    /// A few seconds for `fast` agents, so it runs whatever the budget; stored episodes are not run again.
    /// </summary>
    private static void ColourChannelTest(Evaluator evaluator, ResultsStore store, IReadOnlyList<EvalAgent> agents, IReadOnlyList<Setting> settings,
        Action<string> log, CancellationToken cancel)
    {
        var chosen = InsideAgents.Choose(store.Metrics(), new ReportOptions()).ToHashSet(StringComparer.Ordinal);
        var headline = settings.Where(s => HeadlineRank(s.Spec) < HeadlineObjects.Count).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int ran = 0;
        foreach (var agent in agents.Where(a => chosen.Contains(a.Record.Name)))
            foreach (string name in InsideAgents.ColourInterventions)
                foreach (var setting in headline)
                {
                    cancel.ThrowIfCancellationRequested();
                    var variant = AgentVariant.Create(agent, setting.Env, [], InputIntervention.Parse(name));
                    ran += evaluator.Evaluate(variant, setting, cancel).Ran;
                }
        log(string.Create(CultureInfo.InvariantCulture,
            $"colour-channel test (R, G, B zeroed) of {string.Join(", ", chosen.Order(StringComparer.Ordinal))}: {ran} episodes in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    private static int HeadlineRank(string settingSpec)
    {
        for (int i = 0; i < HeadlineObjects.Count; i++)
            if (settingSpec.StartsWith($"maze:{HeadlineObjects[i]}+yellow-gem@", StringComparison.Ordinal)) return i;
        return HeadlineObjects.Count;
    }

    // Agents train side by side, one thread each: for many small agents that uses the cores better
    // than one agent on all of them, and the weights do not depend on the thread count.
    private static List<string> TrainAll(DemoOptions options, EnvSpec spec, IReadOnlyList<string> overrides, PpoConfig config, string outDir,
        Action<string> log, System.Diagnostics.Stopwatch clock, CancellationToken cancel)
    {
        var dirs = Enumerable.Range(1, options.Agents)
            .Select(seed => Path.Combine(outDir, AgentTraining.DefaultDir(spec.ToString(), (ulong)seed)))
            .ToList();
        int lanes = Math.Min(options.Threads, options.Agents);
        int next = -1;
        var failures = new List<Exception>();
        var logLock = new Lock();
        void Say(string line)
        {
            lock (logLock) log(line);
        }

        var threads = Enumerable.Range(0, lanes).Select(_ => new Thread(() =>
        {
            using var pool = new WorkerPool(1);
            int i;
            while ((i = Interlocked.Increment(ref next)) < dirs.Count && !cancel.IsCancellationRequested)
            {
                ulong seed = (ulong)(i + 1);
                string name = Path.GetFileName(dirs[i]);
                var manifest = Recipe.Manifest(spec, options.Preset, seed, overrides);
                var lastPrint = DateTime.MinValue;
                try
                {
                    var result = AgentTraining.Run(dirs[i], manifest, new TrainOptions
                    {
                        Pool = pool,
                        Cancellation = cancel,
                        Log = line => Say($"  {name}: {line}"),
                        Progress = s =>
                        {
                            if ((DateTime.UtcNow - lastPrint).TotalSeconds < 10 && s.Update < s.NumUpdates) return;
                            lastPrint = DateTime.UtcNow;
                            double eta = s.StepsPerSecond > 0 ? (config.TotalSteps - s.Timesteps) / s.StepsPerSecond : 0;
                            Say(string.Create(CultureInfo.InvariantCulture,
                                $"  train {name}: {s.Timesteps:N0}/{config.TotalSteps:N0} steps, {s.StepsPerSecond:N0} steps/s, " +
                                $"return {s.MeanReturn:F2}, success {s.SuccessRate:P0}, length {s.MeanLength:F1}, ETA {eta / 60:F1} min " +
                                $"[{clock.Elapsed.TotalMinutes:F1} min]"));
                        },
                    });
                    Say(string.Create(CultureInfo.InvariantCulture,
                        $"  trained {name}: {result.Timesteps:N0} steps in {result.WallSeconds / 60:F1} min"));
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add(e);
                    return;
                }
            }
        }) { IsBackground = true, Name = "misgen-demo-lane" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        cancel.ThrowIfCancellationRequested();
        if (failures.Count > 0) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failures[0]).Throw();
        return dirs;
    }
}
