using Misgen.Analysis;
using Misgen.Eval;

namespace Misgen.Tests.Analysis;

public sealed class DemoTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("misgen-demo-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void A_tiny_demo_trains_evaluates_reports_and_resumes()
    {
        // One small update per agent and 6 levels: the whole pipeline in seconds.
        var options = new DemoOptions
        {
            Folder = dir, Agents = 3, TotalSteps = 8 * 32, Levels = 6, Budget = TimeSpan.Zero,
            AdjustConfig = c => { c.NumEnvs = 8; c.NumSteps = 32; c.NumMinibatches = 2; },
        };
        var log = new List<string>();
        string report = Demo.Run(options, log.Add);
        Assert.True(File.Exists(report));
        using (var store = ResultsStore.Open(Path.Combine(dir, "results.db"), mustExist: true))
        {
            // With no time budget only the three key settings run.
            Assert.Equal(Demo.KeySettings.Order(), store.Settings().Select(s => s.Spec).Order());
            Assert.Equal(3 * 3 * 6, store.EpisodeCount());
        }
        Assert.Contains(log, l => l.Contains("time budget reached", StringComparison.Ordinal));
        string html = File.ReadAllText(report);
        Assert.Contains("yellow-line-textured-s2", html);
        Assert.Contains("id=\"training\"", html);
        Assert.DoesNotContain("No train.csv was found", html);

        // Rerun: nothing is trained or evaluated again.
        var again = new List<string>();
        Demo.Run(options, again.Add);
        Assert.Equal(3, again.Count(l => l.Contains("already trained", StringComparison.Ordinal)));
        Assert.Contains(again, l => l.Contains(": 0 new episodes", StringComparison.Ordinal));
    }
}
