using Misgen.Studies;
using Misgen.Envs.Maze;
using Misgen.Envs;
using Misgen.Eval;

namespace Misgen.Tests.Eval;

public sealed class ResultsExportTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-export-");
    private string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Writes_episodes_and_metrics_with_headers_and_invariant_numbers()
    {
        string db = Path.Combine(dir, "results.db");
        using (var store = ResultsStore.Open(db))
        {
            int agent = store.AddAgent(new AgentRecord("seed,1"));
            int setting = store.AddSetting(StudyCatalogue.Resolve("maze:green-line+yellow-gem@textured"));
            store.AddEpisodes(agent, setting, [new(7, MazeOutcome.Obj1, 12, 10), new(8, MazeOutcome.Timeout, 500, 0)]);
        }
        // Through the CLI verb, as a user runs it.
        int code = VerbRunner.Run(["export", db, "--out", Path.Combine(dir, "csv")]);
        Assert.Equal(0, code);
        string[] episodes = File.ReadAllLines(Path.Combine(dir, "csv", "episodes.csv"));
        Assert.Equal(["agent,setting,level_seed,outcome,steps,return",
                      "\"seed,1\",maze:green-line+yellow-gem@textured,7,obj1,12,10",
                      "\"seed,1\",maze:green-line+yellow-gem@textured,8,timeout,500,0"], episodes);
        string[] metrics = File.ReadAllLines(Path.Combine(dir, "csv", "metrics.csv"));
        Assert.Equal(2, metrics.Length);
        Assert.StartsWith("agent,setting,condition,episodes,obj1,obj2,timeouts,preference,", metrics[0]);
        // 1 obj1, 0 obj2: preference 1, Wilson(1, 1) low = 1 / (1 + z^2); capability (12 + 500) / 2.
        double z = 1.959963984540054;
        string low = (1 / (1 + z * z)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"\"seed,1\",maze:green-line+yellow-gem@textured,maze:yellow-line@textured,2,1,0,1,1,{low[..8]}",
            metrics[1][..(metrics[1].IndexOf(low[..8], StringComparison.Ordinal) + 8)]);
        Assert.EndsWith(",256,0.5,0.5", metrics[1]);
    }

    [Fact]
    public void Missing_database_is_bad_input() =>
        Assert.Equal(2, VerbRunner.Run(["export", Path.Combine(dir, "nope.db"), "--out", dir]));
}
