using Misgen.Sweeps;

namespace Misgen.Tests.Sweeps;

/// <summary>A temporary study folder with a synthetic-runner study file; deleted on dispose.</summary>
internal sealed class SweepTestKit : IDisposable
{
    private readonly TempFolder temp = new("misgen-sweep-");

    public string Dir => temp.Path;

    /// <summary>The real CLI of this build (dotnet + Misgen.Cli.dll next to the tests), as `sweep run` resolves it.</summary>
    public static IReadOnlyList<string> Cli => SweepCommand.For(typeof(Misgen.Cli.Cli).Assembly.Location);

    public string WriteStudy(string name, string yaml)
    {
        string path = Path.Combine(Dir, name + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>2 agents x 2 settings x 25 levels with the synthetic runner: 2 train + 4 eval tasks.</summary>
    public static string SmallStudy(string outDir, int taskMs, string extra = "", int retries = 2, string seeds = "0..1") => $"""
        name: small
        out: {outDir}
        runner: synthetic
        retries: {retries}
        seeds: {seeds}
        eval_levels: {"{"}start: 100000, count: 25{"}"}
        conditions:
          - env: maze:yellow-line@textured
            settings: [maze:red-line+yellow-gem@textured, maze:green-line+yellow-gem@textured]
        {extra}
        """;

    public (Study Study, StudyLayout Layout, SweepPlan Plan) Plan(string studyPath)
    {
        var study = Study.Load(studyPath);
        var layout = new StudyLayout(study.Out);
        var plan = SweepPlan.Build(study, layout.Out, Cli);
        plan.Save(layout);
        return (study, layout, plan);
    }

    /// <summary>Runs every task in this process, sequentially (the reference an interrupted run must equal).</summary>
    public static void RunInProcess(Study study, StudyLayout layout, SweepPlan plan)
    {
        var host = new TaskHost(study, layout, TextWriter.Null);
        Assert.True(host.Run(plan.Tasks, 1, CancellationToken.None));
    }

    /// <summary>SHA-256 of every task output (agents/ and results/), by relative path.</summary>
    public static SortedDictionary<string, string> Outputs(StudyLayout layout)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string top in new[] { "agents", "results" })
        {
            string dir = Path.Combine(layout.Out, top);
            if (!Directory.Exists(dir)) continue;
            foreach (string f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
                result[layout.Relative(f)] = TaskMarkers.Sha256(f);
        }
        return result;
    }

    public void Dispose() => temp.Dispose();
}

/// <summary>A results sink keyed like results.db (agent, setting, level seed) that also counts every add.</summary>
internal sealed class KeyedSink : IResultsSink
{
    public Dictionary<(string Agent, string Setting, int Level), TaskEpisode> Rows { get; } = new();
    public int Added { get; private set; }

    public void AddEpisodes(SweepTask task, IReadOnlyList<TaskEpisode> episodes)
    {
        foreach (var e in episodes)
        {
            Rows[(e.Agent, e.Setting, e.LevelSeed)] = e;
            Added++;
        }
    }
}
