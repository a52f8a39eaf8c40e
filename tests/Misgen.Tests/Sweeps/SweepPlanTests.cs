using Misgen.Sweeps;

namespace Misgen.Tests.Sweeps;

public sealed class SweepPlanTests : IDisposable
{
    private readonly SweepTestKit kit = new();

    public void Dispose() => kit.Dispose();

    private SweepPlan Build(string yaml) =>
        SweepPlan.Build(Study.Load(kit.WriteStudy("p", yaml)), Path.Combine(kit.Dir, "out"), ["misgen"]);

    private const string TwoConditions = """
        seeds: [3, 12]
        conditions:
          - env: maze:yellow-line@textured
            settings: [maze:red-line+yellow-gem@textured, maze:blue-line+yellow-gem@textured]
          - env: maze:red-line@black
            preset: paper
            settings: [maze:red-line+red-gem@black]
        """;

    [Fact]
    public void Expands_into_train_then_eval_tasks_with_stable_ids_and_dependencies()
    {
        var plan = Build(TwoConditions);
        Assert.Equal(
        [
            "train/maze-yellow-line-textured/s0003",
            "train/maze-yellow-line-textured/s0012",
            "train/maze-red-line-black/s0003",
            "train/maze-red-line-black/s0012",
            "eval/maze-yellow-line-textured/s0003/maze-red-line+yellow-gem@textured",
            "eval/maze-yellow-line-textured/s0003/maze-blue-line+yellow-gem@textured",
            "eval/maze-yellow-line-textured/s0012/maze-red-line+yellow-gem@textured",
            "eval/maze-yellow-line-textured/s0012/maze-blue-line+yellow-gem@textured",
            "eval/maze-red-line-black/s0003/maze-red-line+red-gem@black",
            "eval/maze-red-line-black/s0012/maze-red-line+red-gem@black",
        ], plan.Tasks.Select(t => t.Id));
        Assert.Equal(Enumerable.Range(0, 10), plan.Tasks.Select(t => t.Index));
        Assert.All(plan.Tasks.Where(t => t.Kind == TaskKind.Train), t => Assert.Empty(t.DependsOn));
        Assert.Equal(["train/maze-red-line-black/s0012"], plan["eval/maze-red-line-black/s0012/maze-red-line+red-gem@black"].DependsOn);
        Assert.Equal(Build(TwoConditions).ToJson(), plan.ToJson());   // deterministic
    }

    [Fact]
    public void Fingerprints_change_only_for_the_tasks_an_edit_affects()
    {
        var before = Build(TwoConditions).Tasks.ToDictionary(t => t.Id, t => t.Fingerprint);
        var after = Build(TwoConditions.Replace("preset: paper", "preset: smoke")).Tasks.ToDictionary(t => t.Id, t => t.Fingerprint);
        var changed = before.Keys.Where(id => before[id] != after[id]).Order().ToList();
        Assert.Equal(
        [
            "eval/maze-red-line-black/s0003/maze-red-line+red-gem@black",
            "eval/maze-red-line-black/s0012/maze-red-line+red-gem@black",
            "train/maze-red-line-black/s0003",
            "train/maze-red-line-black/s0012",
        ], changed);
    }

    [Fact]
    public void Arrays_chunk_tasks_to_fit_the_maximum_array_size()
    {
        var plan = Build("seeds: 0..9\nconditions:\n  - env: maze:yellow-line@black\n    settings: [maze:red-line+yellow-gem@black, maze:green-line+yellow-gem@black]\nslurm: {max_array_size: 4}\n");
        var train = plan.Array("train");
        var eval = plan.Array("eval");
        Assert.Equal((0, 10, 3, 4), (train.First, train.Count, train.ChunkSize, train.Length));   // 10 tasks, <= 4 indices
        Assert.Equal((10, 20, 5, 4), (eval.First, eval.Count, eval.ChunkSize, eval.Length));
        Assert.Equal([9], train.Indices(3));
        Assert.Equal([25, 26, 27, 28, 29], eval.Indices(3));
        // Every task is in exactly one array index.
        var all = plan.Arrays.SelectMany(a => Enumerable.Range(0, a.Length).SelectMany(a.Indices)).ToList();
        Assert.Equal(Enumerable.Range(0, 30), all);
        Assert.Throws<MisgenInputException>(() => train.Indices(4).ToList());
    }

    [Fact]
    public void Saves_atomically_and_loads_back()
    {
        var plan = Build(TwoConditions);
        var layout = new StudyLayout(plan.Out);
        plan.Save(layout);
        var stamp = File.GetLastWriteTimeUtc(layout.PlanPath);
        var loaded = SweepPlan.Load(layout);
        Assert.Equal(plan.ToJson(), loaded.ToJson());
        Assert.Equal(TaskKind.Eval, loaded.Tasks[^1].Kind);
        Thread.Sleep(20);
        plan.Save(layout);   // unchanged content: the file is left alone
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(layout.PlanPath));
        Assert.Empty(Directory.GetFiles(layout.Out, "*.tmp"));
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 5, 7, 8 }, "0-2,5,7-8")]
    [InlineData(new[] { 4 }, "4")]
    [InlineData(new[] { 0, 2, 4 }, "0,2,4")]
    public void Slurm_array_lists_compress_runs(int[] indices, string expected) =>
        Assert.Equal(expected, SlurmExecutor.ArraySpec(indices));
}
