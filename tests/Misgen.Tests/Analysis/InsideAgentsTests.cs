using System.Text.RegularExpressions;
using Misgen.Analysis;
using Misgen.Envs.Maze;
using Misgen.Eval;
using Misgen.Interp;
using Misgen.Media;
using Misgen.Nn;
using Misgen.Studies;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Analysis;

public sealed class InsideAgentsTests : IDisposable
{
    private const string Red = "maze:red-line+yellow-gem@textured";
    private readonly TempFolder temp = new("misgen-inside-");
    private string dir => temp.Path;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
    }

    // 100 episodes: round(100 * preference) reach obj1, the rest obj2, every one taking `steps`.
    private static Episode[] Episodes(double preference, int steps) =>
        Enumerable.Range(0, 100).Select(l =>
        {
            var outcome = l < Math.Round(100 * preference) ? MazeOutcome.Obj1 : MazeOutcome.Obj2;
            return new Episode(100000 + l, outcome, steps, outcome == MazeOutcome.Obj1 ? 10 : -10);
        }).ToArray();

    private static void Add(ResultsStore store, int setting, string name, double preference, int steps, string? directory = null)
    {
        int id = store.AddAgent(new AgentRecord(name, directory ?? "/nowhere/" + name, "maze:yellow-line@textured", "fast", 1, null));
        store.AddEpisodes(id, setting, Episodes(preference, steps));
    }

    [Fact]
    public void The_flagged_outlier_comes_first_then_the_agent_nearest_the_median_and_variants_are_not_agents()
    {
        using var store = ResultsStore.Open(Path.Combine(dir, "results.db"));
        int red = store.AddSetting(StudyCatalogue.Resolve(Red));
        // a3 sits exactly on both medians (preference 0.50, 13 steps); a6's preference is far beyond the others'.
        double[] preferences = [0.40, 0.45, 0.48, 0.50, 0.52, 0.55, 0.99];
        for (int a = 0; a < preferences.Length; a++) Add(store, red, $"a{a}", preferences[a], 10 + a);
        var before = InsideAgents.Choose(store.Metrics(), new ReportOptions());
        Assert.Equal(["a6", "a3"], before);

        // Variants with extreme values neither become outliers nor move the median agent.
        Add(store, red, "a3+zero-r", 0.0, 400);
        Add(store, red, "a0+grey", 1.0, 1);
        var metrics = store.Metrics();
        Assert.Equal(["a0+grey", "a3+zero-r"], InsideAgents.Variants(metrics.Select(m => m.Agent)).Order(StringComparer.Ordinal));
        Assert.Equal(before, InsideAgents.Choose(metrics, new ReportOptions()));
        Assert.Equal(7, InsideAgents.AgentsOnly(metrics).Count);
    }

    [Fact]
    public void The_report_counts_agents_without_their_variants_and_shows_the_colour_channel_test()
    {
        SyntheticStudy.Create(dir);
        using (var store = ResultsStore.Open(Path.Combine(dir, "results.db"), mustExist: true))
        {
            int red = store.AddSetting(StudyCatalogue.Resolve(Red));
            Add(store, red, "agent-07+zero-r", 0.30, 9);
            Add(store, red, "agent-07+zero-g", 0.85, 9);
            Add(store, red, "agent-07+zero-b", 0.91, 9);
        }
        var requests = new List<InsideRequest>();
        string html;
        using (var store = ResultsStore.Open(Path.Combine(dir, "results.db"), mustExist: true))
            html = StudyReport.Render(store, new ReportOptions
            {
                Inside = r => { requests.Add(r); return new InsidePictures("<svg id=\"fake-field\"></svg>", "field caption", null, ""); },
            });

        Assert.Contains("<div><b>14</b><span>agents</span></div>", html);
        Assert.DoesNotContain("<th>agent-07+zero-r</th>", html);
        Assert.DoesNotContain("<td>agent-07+zero-r</td><td class=\"num\">", html); // not among the outlier scores
        var inside = Regex.Match(html, "<section id=\"inside\">.*?</section>", RegexOptions.Singleline).Value;
        var card = Regex.Match(inside, "<article class=\"card\"><h3>agent-07</h3>.*?</article>", RegexOptions.Singleline);
        Assert.True(card.Success, "agent-07 should be looked into");
        Assert.Contains("<svg id=\"fake-field\">", card.Value);
        // The three variants' preferences (30, 85 and 91 of 100 episodes reached the red line).
        Assert.Matches("0\\.30 <small>\\(-0\\.\\d\\d\\)</small>.*0\\.85 <small>.*0\\.91 <small>", card.Value);
        Assert.Contains("class=\"card median\"", inside);
        // Pictures of the outlier (its red-line level) and of the median agent, on the first test level.
        Assert.Contains(requests, r => r.Agent.Name == "agent-07" && r.Setting.Spec == Red && r.Level == 100000);
        Assert.Equal(requests.Count, Regex.Count(inside, "<article class=\"card"));
        Assert.Contains("<summary>Every variant against its agent (3 agent × setting pairs)</summary>", inside);
    }

    [Fact]
    public void Report_pictures_draw_a_field_over_every_open_cell_and_an_attribution_of_the_first_step()
    {
        string agent = Path.Combine(dir, "s1");
        Directory.CreateDirectory(agent);
        var config = new ImpalaConfig(32, 4, 8, 8, Hidden: 16);
        Safetensors.Save(Path.Combine(agent, "model.safetensors"), ImpalaCnnTests.RandomModel(config, 1));
        var setting = StudyCatalogue.Resolve(Red + ";size=7");
        var record = new AgentRecord("s1", agent, "maze:yellow-line@textured", "fast", 1, null);

        var pictures = ReportPictures.From(fieldScale: 4, heatmapScale: 3)(new InsideRequest(record, setting, 100000));

        Assert.NotNull(pictures);
        var grid = setting.Env.Game.CreateGame(setting.Env);
        grid.Reset(100000);
        int walkable = grid.Describe().Grid.Sum(row => row.Count(c => c != '#'));
        int arrows = Regex.Count(pictures.FieldSvg!, "<polygon ");
        Assert.InRange(arrows, walkable - 2, walkable); // the objects' cells may end the episode and carry no arrow
        Assert.True(arrows > 0);
        var png = Png.Decode(pictures.AttributionPng!);
        Assert.True(png.Width >= 2 * 32 * 3 && png.Height >= 32 * 3, $"{png.Width}x{png.Height}");

        Assert.Null(ReportPictures.From()(new InsideRequest(record with { Directory = Path.Combine(dir, "gone") }, setting, 100000)));
    }
}
