using Misgen.Studies;
using Misgen.Demo;
using Misgen.Eval;

namespace Misgen.Tests.Demo;

public sealed class DemoRunTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-demo-");
    private string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    private DemoOptions Options => new()
    {
        OutDir = dir,
        Agents = 2,
        Preset = "smoke",
        Levels = 6,
        Threads = 2,
    };

    [Fact]
    public void Demo_trains_evaluates_reports_and_a_rerun_adds_nothing()
    {
        var lines = new List<string>();
        string report = DemoRun.Run(Options, lines.Add);

        Assert.True(File.Exists(report));
        string html = File.ReadAllText(report);
        Assert.Contains("<svg", html);
        Assert.Contains("red-line", html);
        int settings = StudyCatalogue.Condition("maze:yellow-line@textured").Settings.Count;
        long episodes;
        using (var store = ResultsStore.Open(Path.Combine(dir, "results.db"), mustExist: true))
            episodes = store.EpisodeCount();
        // Every agent on every setting, then the colour-channel test of the agent nearest the median (with two agents,
        // no outliers: the first by name) with R, G and B zeroed on the three headline settings.
        Assert.Equal(2L * settings * 6 + 3 * 3 * 6, episodes);
        Assert.Contains("id=\"inside\"", html);
        Assert.Contains(lines, l => l.StartsWith("colour-channel test", StringComparison.Ordinal) && l.Contains("maze_yellow-line_textured-s1") && l.Contains("54 episodes"));
        using (var store = ResultsStore.Open(Path.Combine(dir, "results.db"), mustExist: true))
        {
            var variants = store.Metrics().Where(m => m.Agent.StartsWith("maze_yellow-line_textured-s1+", StringComparison.Ordinal)).Select(m => m.Agent).Distinct().Order();
            Assert.Equal(["maze_yellow-line_textured-s1+zero-b", "maze_yellow-line_textured-s1+zero-g", "maze_yellow-line_textured-s1+zero-r"], variants);
        }
        // The headline settings are evaluated first.
        Assert.Contains(lines, l => l.Contains("eval [1/") && l.Contains("red-line+yellow-gem"));
        byte[] model = File.ReadAllBytes(Path.Combine(dir, "agents", "maze_yellow-line_textured-s1", "model.safetensors"));

        var again = new List<string>();
        DemoRun.Run(Options, again.Add);
        using (var store = ResultsStore.Open(Path.Combine(dir, "results.db"), mustExist: true))
            Assert.Equal(episodes, store.EpisodeCount());
        Assert.Contains(again, l => l.Contains("already trained"));
        Assert.DoesNotContain(again, l => l.Contains("eval [") && !l.Contains("already stored"));
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(dir, "agents", "maze_yellow-line_textured-s1", "model.safetensors")));
    }

    [Fact]
    public void Bad_options_name_the_bad_value()
    {
        var error = Assert.Throws<MisgenInputException>(() => DemoRun.Run(Options with { Preset = "turbo" }, _ => { }));
        Assert.Contains("turbo", error.Message);
        Assert.Contains("fast", error.Message);
        Assert.Throws<MisgenInputException>(() => DemoRun.Run(Options with { Agents = 0 }, _ => { }));
    }
}
