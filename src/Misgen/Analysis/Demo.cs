using System.Diagnostics;
using System.Globalization;
using Misgen.Eval;
using Misgen.Rl;

namespace Misgen.Analysis;

/// <summary>Options of <see cref="Demo"/>; the defaults are what `misgen demo` runs.</summary>
public sealed record DemoOptions
{
    public string Folder { get; init; } = "demo";
    public int Agents { get; init; } = 4;
    public ulong FirstSeed { get; init; }

    /// <summary>Training steps per agent; null keeps the `fast` preset's.</summary>
    public long? TotalSteps { get; init; }

    public int Levels { get; init; } = 1_000;

    /// <summary>Settings beyond the three key ones are evaluated only while the run is within this budget.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Tests shrink the training run further (fewer envs per update) through this.</summary>
    internal Action<PpoConfig>? AdjustConfig { get; init; }
}

/// <summary>
/// The main job in one call: trains <see cref="DemoOptions.Agents"/> agents with the `fast` preset
/// on maze:yellow-line@textured (seeds FirstSeed, FirstSeed+1, ...), evaluates them on red, green
/// and blue line versus yellow gem, then on the condition's other settings while the time budget
/// allows, and writes report.html. Every stage resumes: trained agents are kept, stored episodes are
/// skipped, so an interrupted demo picks up where it stopped.
/// </summary>
public static class Demo
{
    public const string Condition = "maze:yellow-line@textured";

    public static readonly string[] KeySettings =
    [
        "maze:red-line+yellow-gem@textured", "maze:green-line+yellow-gem@textured", "maze:blue-line+yellow-gem@textured",
    ];

    /// <summary>Runs the demo; returns the report's path.</summary>
    public static string Run(DemoOptions options, Action<string> log, CancellationToken cancel = default)
    {
        if (options.Agents < 1 || options.Agents > 1000) throw new MisgenInputException($"agent count {options.Agents} is invalid; valid: 1..1000");
        var clock = Stopwatch.StartNew();
        string folder = Path.GetFullPath(options.Folder);
        Directory.CreateDirectory(folder);
        var config = PpoConfig.Preset("fast", textured: true);
        options.AdjustConfig?.Invoke(config);
        if (options.TotalSteps is long steps)
        {
            if (steps < config.BatchSize) throw new MisgenInputException($"total steps {steps} is below one update ({config.BatchSize})");
            config.TotalSteps = steps;
        }
        log($"misgen demo: {options.Agents} agents, preset fast ({config.TotalSteps:N0} steps each) on {Condition}; output in {folder}");

        // 1. Train (or continue, or find already trained).
        var agentDirs = new List<string>();
        for (int i = 0; i < options.Agents; i++)
        {
            ulong seed = options.FirstSeed + (ulong)i;
            string dir = Path.Combine(folder, "agents", $"yellow-line-textured-s{seed}");
            agentDirs.Add(dir);
            var manifest = new AgentManifest { Spec = Condition, Preset = "fast", Seed = seed, Config = config.Clone() };
            var lastPrint = Stopwatch.StartNew();
            var result = AgentTraining.Run(dir, manifest, new TrainOptions
            {
                Cancellation = cancel,
                Log = message => log($"[train {i + 1}/{options.Agents}] seed {seed}: {message}"),
                Progress = s =>
                {
                    if (lastPrint.Elapsed.TotalSeconds < 5 && s.Update < s.NumUpdates) return;
                    lastPrint.Restart();
                    double eta = (config.TotalSteps - s.Timesteps) / Math.Max(1, s.StepsPerSecond);
                    log(string.Create(CultureInfo.InvariantCulture,
                        $"[train {i + 1}/{options.Agents}] seed {seed}: update {s.Update}/{s.NumUpdates}, {s.Timesteps:N0} steps, {s.StepsPerSecond:F0} steps/s, mean return {s.MeanReturn:F2}, mean length {s.MeanLength:F1}, ETA {eta:F0} s"));
                },
            });
            log($"[train {i + 1}/{options.Agents}] seed {seed}: done ({result.Timesteps:N0} steps) -> {dir}");
        }

        // 2. Evaluate: the three key settings first, then the rest of the condition while time allows.
        string db = Path.Combine(folder, "results.db");
        using var store = ResultsStore.Open(db);
        var evaluator = new Evaluator(store, new EvalProtocol(Levels: options.Levels));
        var agents = agentDirs.Select(AgentDirectory.Load).ToList();
        var settings = KeySettings.Select(s => SettingCatalogue.Resolve(s, Condition))
            .Concat(SettingCatalogue.Condition(Condition).Settings.Where(s => !KeySettings.Contains(s.Spec))).ToList();
        double secondsPerSetting = 0;
        for (int k = 0; k < settings.Count; k++)
        {
            var setting = settings[k];
            bool key = k < KeySettings.Length;
            if (!key && clock.Elapsed.TotalSeconds + secondsPerSetting > options.Budget.TotalSeconds * 0.95)
            {
                log($"[eval] time budget reached: {settings.Count - k} more settings of {Condition} not evaluated (rerun with a larger budget, or use misgen eval)");
                break;
            }
            var settingClock = Stopwatch.StartNew();
            int ran = 0;
            foreach (var agent in agents)
            {
                var r = evaluator.Evaluate(agent, setting, cancel);
                ran += r.Ran;
            }
            secondsPerSetting = Math.Max(secondsPerSetting, settingClock.Elapsed.TotalSeconds);
            var metrics = store.Metrics().Where(m => m.Setting == setting.Spec).ToList();
            string preferences = string.Join(" ", metrics.Select(m => double.IsNaN(m.Preference) ? "-" : m.Preference.ToString("F2", CultureInfo.InvariantCulture)));
            log($"[eval {k + 1}/{settings.Count}] {setting.Spec}: {ran} new episodes in {settingClock.Elapsed.TotalSeconds:F0} s; preference for {setting.Obj1} per agent: {preferences}");
        }

        // 3. Report.
        string report = Path.Combine(folder, "report.html");
        StudyReport.Write(store, report, new ReportOptions
        {
            Title = "Misgen demo: yellow-line agents on ambiguous goals",
            OutlierGif = OutlierVideos.From(store),
        });
        log($"[report] {report} (total {clock.Elapsed.TotalMinutes:F1} min)");
        return report;
    }
}
