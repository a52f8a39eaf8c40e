using Misgen.Studies;
using Misgen.Envs.Maze;
using Misgen.Envs;
using Misgen.Eval;
using Misgen.Nn;

namespace Misgen.Tests.Eval;

public sealed class EvaluatorTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-evaluator-");
    private string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    // A small untrained policy: it wanders, so episodes end at either object or time out.
    private static EvalAgent Agent(string name = "agent-a", ulong seed = 7) =>
        new(new AgentRecord(name, Seed: (long)seed), new ImpalaCnn(new ImpalaConfig(InputSize: 32, Width1: 4, Width2: 8, Width3: 8, Hidden: 32), seed));

    private static readonly Setting Duel = StudyCatalogue.Resolve("maze:red-line+yellow-gem@textured;timeout=60");

    private List<EpisodeRow> Run(string db, EvalProtocol protocol, EvalAgent agent, Setting setting, out EvalResult result)
    {
        using var store = ResultsStore.Open(Path.Combine(dir, db));
        result = new Evaluator(store, protocol).Evaluate(agent, setting);
        return store.Episodes().ToList();
    }

    [Fact]
    public void Stores_one_episode_per_level_and_a_rerun_adds_nothing()
    {
        var protocol = new EvalProtocol(StartLevel: 100000, Levels: 24, BatchSize: 8);
        var first = Run("r.db", protocol, Agent(), Duel, out var result);
        Assert.Equal(24, result.Ran);
        Assert.Equal(Enumerable.Range(100000, 24), first.Select(e => e.LevelSeed));
        Assert.All(first, e =>
        {
            Assert.True(e.Outcome is MazeOutcome.Obj1 or MazeOutcome.Obj2 or MazeOutcome.Timeout);
            Assert.InRange(e.Steps, 1, 60);
            Assert.Equal(e.Outcome switch { MazeOutcome.Obj1 => 10f, MazeOutcome.Obj2 => -10f, _ => 0f }, e.Return);
            if (e.Outcome == MazeOutcome.Timeout) Assert.Equal(60, e.Steps);
        });
        Assert.Contains(first, e => e.Outcome != MazeOutcome.Timeout);
        var again = Run("r.db", protocol, Agent(), Duel, out var rerun);
        Assert.Equal((0, 24), (rerun.Ran, rerun.AlreadyStored));
        Assert.Equal(first, again);
    }

    [Fact]
    public void Resuming_gives_the_same_episodes_as_one_full_run()
    {
        var full = Run("full.db", new EvalProtocol(100000, 30, BatchSize: 16), Agent(), Duel, out _);
        Run("resumed.db", new EvalProtocol(100000, 11, BatchSize: 5), Agent(), Duel, out _);
        var resumed = Run("resumed.db", new EvalProtocol(100000, 30, BatchSize: 5), Agent(), Duel, out var result);
        Assert.Equal((19, 11), (result.Ran, result.AlreadyStored));
        Assert.Equal(full, resumed);
    }

    [Fact]
    public void An_interrupted_evaluation_keeps_what_finished()
    {
        string db = Path.Combine(dir, "i.db");
        var protocol = new EvalProtocol(100000, 400, BatchSize: 4, StoreEvery: 50);
        using (var store = ResultsStore.Open(db))
        {
            using var cancel = new CancellationTokenSource();
            var evaluator = new Evaluator(store, protocol) { Progress = p => { if (p.Done >= 100) cancel.Cancel(); } };
            Assert.ThrowsAny<OperationCanceledException>(() => evaluator.Evaluate(Agent(), Duel, cancel.Token));
            Assert.InRange(store.EpisodeCount(), 100, 399);
        }
        using (var store = ResultsStore.Open(db))
        {
            var result = new Evaluator(store, protocol).Evaluate(Agent(), Duel);
            Assert.Equal(400, result.Ran + result.AlreadyStored);
            Assert.Equal(400, store.EpisodeCount());
        }
    }

    [Fact]
    public void Different_agents_and_settings_sample_differently_and_replays_match()
    {
        var a = Run("x.db", new EvalProtocol(100000, 16, 16), Agent("agent-a"), Duel, out _);
        var b = Run("y.db", new EvalProtocol(100000, 16, 16), Agent("agent-b"), Duel, out _); // same weights, other name
        Assert.NotEqual(a.Select(e => (e.Outcome, e.Steps)), b.Select(e => (e.Outcome, e.Steps)));
        var agent = Agent("agent-a");
        foreach (var stored in a.Take(5))
        {
            var (frames, episode) = EpisodeRecorder.Record(agent.Model, "agent-a", Duel, stored.LevelSeed, maxFrames: 1000);
            Assert.Equal((stored.Outcome, stored.Steps), (episode.Outcome, episode.Steps));
            Assert.Equal(stored.Steps + 1, frames.Count);
        }
    }

    [Fact]
    public void Video_is_a_gif_of_upscaled_frames()
    {
        var agent = Agent();
        var (frames, _) = EpisodeRecorder.Record(agent.Model, "agent-a", Duel, 100003, maxFrames: 5);
        byte[] gif = EpisodeRecorder.Gif(frames, 32, scale: 6, channels: true);
        var decoded = Misgen.Tests.Media.GifTestDecoder.Decode(gif);
        Assert.Equal((4 * 192 + 3 * 6, 192), (decoded.Width, decoded.Height));
        Assert.Equal(frames.Count, decoded.FrameIndices.Count);
        Assert.All(decoded.DelaysCs, d => Assert.Equal(20, d));
    }
}
