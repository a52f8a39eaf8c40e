using Misgen.Studies;
using Misgen.Envs.Maze;
using Misgen.Envs;
using Misgen.Eval;

namespace Misgen.Tests.Eval;

public sealed class ResultsStoreTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-results-");
    private string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    private static readonly Setting Red = StudyCatalogue.Resolve("maze:red-line+yellow-gem@textured");

    private static Episode[] Sample() =>
    [
        new(100000, MazeOutcome.Obj1, 10, 10f),
        new(100001, MazeOutcome.Obj1, 20, 10f),
        new(100002, MazeOutcome.Obj2, 40, -10f),
        new(100003, MazeOutcome.Timeout, 500, 0f),
        new(100004, MazeOutcome.Obj1, 30, 10f),
    ];

    [Fact]
    public void Metrics_are_derived_from_the_episodes()
    {
        using var store = ResultsStore.Open(Path.Combine(dir, "results.db"));
        int agent = store.AddAgent(new AgentRecord("agent-1", Seed: 1));
        int setting = store.AddSetting(Red);
        Assert.Equal(5, store.AddEpisodes(agent, setting, Sample()));
        var m = Assert.Single(store.Metrics());
        Assert.Equal(("agent-1", "maze:red-line+yellow-gem@textured"), (m.Agent, m.Setting));
        Assert.Equal((5L, 3L, 1L, 1L), (m.Episodes, m.Obj1, m.Obj2, m.Timeouts));
        Assert.Equal(0.75, m.Preference, 12);                         // 3 / (3 + 1)
        Assert.Equal((10 + 20 + 40 + 500 + 30) / 5.0, m.Capability, 12); // 120
        Assert.Equal(0.6, m.SuccessRate, 12);
        Assert.Equal(0.2, m.TimeoutRate, 12);
    }

    [Fact]
    public void Timeouts_count_as_the_setting_timeout_whatever_steps_say()
    {
        using var store = ResultsStore.Open(Path.Combine(dir, "results.db"));
        int agent = store.AddAgent(new AgentRecord("a"));
        int setting = store.AddSetting(StudyCatalogue.Resolve("maze:red-line+yellow-gem@textured;timeout=300"));
        store.AddEpisodes(agent, setting, [new(1, MazeOutcome.Timeout, 299, 0), new(2, MazeOutcome.Obj2, 100, -10)]);
        var m = Assert.Single(store.Metrics());
        Assert.Equal((300 + 100) / 2.0, m.Capability, 12);
        Assert.Equal(0, m.Preference);
    }

    [Fact]
    public void Rerunning_inserts_nothing_twice_and_reports_done_seeds()
    {
        string path = Path.Combine(dir, "results.db");
        using (var store = ResultsStore.Open(path))
        {
            int agent = store.AddAgent(new AgentRecord("agent-1"));
            int setting = store.AddSetting(Red);
            store.AddEpisodes(agent, setting, Sample().AsSpan(0, 3));
        }
        using (var store = ResultsStore.Open(path, mustExist: true))
        {
            int agent = store.AddAgent(new AgentRecord("agent-1", TrainCsv: "agents/agent-1/train.csv"));
            int setting = store.AddSetting(Red);
            Assert.Equal(new HashSet<int> { 100000, 100001, 100002 }, store.DoneLevelSeeds(agent, setting));
            // A rerun that redoes everything stores only the two missing episodes; the first result wins.
            var again = Sample();
            again[0] = again[0] with { Outcome = MazeOutcome.Obj2 };
            Assert.Equal(2, store.AddEpisodes(agent, setting, again));
            Assert.Equal(5, store.EpisodeCount());
            Assert.Equal(3, store.Metrics()[0].Obj1);
            Assert.Equal("agents/agent-1/train.csv", Assert.Single(store.Agents()).TrainCsv);
        }
    }

    [Fact]
    public void Thousands_of_episodes_go_in_one_transaction()
    {
        using var store = ResultsStore.Open(Path.Combine(dir, "results.db"));
        int setting = store.AddSetting(Red);
        for (int a = 0; a < 5; a++)
        {
            int agent = store.AddAgent(new AgentRecord($"agent-{a}"));
            var episodes = Enumerable.Range(0, 1000)
                .Select(i => new Episode(100000 + i, i % 4 == 0 ? MazeOutcome.Obj2 : MazeOutcome.Obj1, 5 + i % 7, 10)).ToArray();
            Assert.Equal(1000, store.AddEpisodes(agent, setting, episodes));
        }
        Assert.Equal(5000, store.EpisodeCount());
        Assert.All(store.Metrics(), m => Assert.Equal(0.75, m.Preference, 12));
    }

    [Fact]
    public void Opening_a_missing_or_foreign_file_is_bad_input()
    {
        Assert.Throws<MisgenInputException>(() => ResultsStore.Open(Path.Combine(dir, "none.db"), mustExist: true));
        string junk = Path.Combine(dir, "junk.db");
        File.WriteAllText(junk, "this is not sqlite, just some text that is long enough to be a header........");
        Assert.Throws<MisgenInputException>(() => ResultsStore.Open(junk, mustExist: true));
    }
}
