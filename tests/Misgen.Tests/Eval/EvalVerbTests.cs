using Misgen.Eval;
using Misgen.Nn;

namespace Misgen.Tests.Eval;

public sealed class EvalVerbTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-evalverb-");
    private string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    private void MakeAgents(int count)
    {
        for (int i = 0; i < count; i++)
        {
            string agent = Path.Combine(dir, "agents", $"agent-{i}");
            Directory.CreateDirectory(agent);
            Safetensors.Save(Path.Combine(agent, "model.safetensors"),
                new ImpalaCnn(new ImpalaConfig(InputSize: 32, Width1: 4, Width2: 8, Width3: 8, Hidden: 32), (ulong)i));
            File.WriteAllText(Path.Combine(agent, "agent.yaml"), $"env: maze:yellow-line@textured\npreset: fast\nseed: {i}\n");
        }
    }

    [Fact]
    public void Eval_then_rerun_then_report_video_and_export()
    {
        MakeAgents(3);
        string db = Path.Combine(dir, "results.db");
        string[] args = ["eval", Path.Combine(dir, "agents"), "--setting", "maze:red-line+yellow-gem@textured;timeout=40",
                         "--setting", "maze:blue-line+yellow-gem@textured;timeout=40", "--levels", "12", "--out", db];
        Assert.Equal(0, VerbRunner.Run(args));
        Assert.Equal(0, VerbRunner.Run(args)); // resumes: nothing left to do
        using (var store = ResultsStore.Open(db, mustExist: true))
        {
            Assert.Equal(3 * 2 * 12, store.EpisodeCount());
            var agent = Assert.Single(store.Agents(), a => a.Name == "agent-1");
            Assert.Equal(("maze:yellow-line@textured", "fast", 1L), (agent.TrainSpec, agent.Preset, agent.Seed));
        }
        string report = Path.Combine(dir, "report.html");
        Assert.Equal(0, VerbRunner.Run("report", db, "--out", report));
        Assert.Contains("agent-2", File.ReadAllText(report));
        string gif = Path.Combine(dir, "episode.gif");
        Assert.Equal(0, VerbRunner.Run("video", Path.Combine(dir, "agents", "agent-0"), "maze:red-line+yellow-gem@textured",
            "--level", "100001", "--frames", "10", "--out", gif));
        var decoded = Misgen.Tests.Media.GifTestDecoder.Decode(File.ReadAllBytes(gif));
        Assert.Equal((192, 192), (decoded.Width, decoded.Height));
        Assert.InRange(decoded.FrameIndices.Count, 2, 10);
        Assert.Equal(0, VerbRunner.Run("export", db, "--out", Path.Combine(dir, "csv")));
        Assert.Equal(1 + 72, File.ReadAllLines(Path.Combine(dir, "csv", "episodes.csv")).Length);
    }

    [Fact]
    public void Bad_input_is_exit_code_2()
    {
        MakeAgents(1);
        string agents = Path.Combine(dir, "agents");
        Assert.Equal(2, VerbRunner.Run("eval", agents, "--out", Path.Combine(dir, "r.db"))); // no settings
        Assert.Equal(2, VerbRunner.Run("eval", agents, "--setting", "maze:mauve-line+yellow-gem@black"));
        Assert.Equal(2, VerbRunner.Run("eval", Path.Combine(dir, "nowhere"), "--condition", "maze:yellow-line@black"));
        Assert.Equal(2, VerbRunner.Run("eval", agents, "--condition", "maze:yellow-line@nowhere"));
    }
}
