using Misgen.Eval;
using Misgen.Nn;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Interp;

public sealed class InterpVerbTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("misgen-interpverb-").FullName;
    private readonly string agent;

    public InterpVerbTests()
    {
        agent = Path.Combine(dir, "agents", "s1");
        Directory.CreateDirectory(agent);
        Safetensors.Save(Path.Combine(agent, "model.safetensors"), ImpalaCnnTests.RandomModel(new ImpalaConfig(32, 4, 8, 8, Hidden: 16), 1));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    private string Out(string name) => Path.Combine(dir, name);

    [Fact]
    public void Field_decision_activations_attribute_nmf_and_channels_write_their_outputs()
    {
        const string spec = "maze:yellow-line@black;size=9";
        Assert.Equal(0, VerbRunner.Run("field", agent, spec, "--level", "2", "--out", Out("field.svg")));
        Assert.StartsWith("<svg", File.ReadAllText(Out("field.svg")));
        Assert.Equal(0, VerbRunner.Run("field", agent, spec, "--level", "2", "--patch", "zero:embedder.relu3:0-3", "--diff", "--out", Out("diff.png"), "--json"));
        Assert.Equal((256, 256), Size(Out("diff.png")));
        Assert.Equal(0, VerbRunner.Run("field", agent, "room", "--intervention", "grey", "--out", Out("room.png")));
        Assert.Equal(0, VerbRunner.Run("decision", agent, spec, "--levels", "0..5", "--patch", "scale:embedder.relu3:all:0.5"));
        Assert.Equal(0, VerbRunner.Run("activations", agent, spec, "--levels", "0..2", "--layers", "embedder.relu3_out,embedder.fc", "--every-cell", "--out", Out("a.safetensors")));
        var (tensors, _) = Safetensors.ReadTensors(Out("a.safetensors"));
        Assert.Equal(8, tensors["embedder.relu3"].Shape[1]);
        Assert.Equal(0, VerbRunner.Run("attribute", agent, spec, "--level", "1", "--target", "up", "--steps", "8", "--agent-at", "2,0", "--out", Out("ig.png")));
        Assert.Equal((3 * 192 + 2 * 6, 192), Size(Out("ig.png")));
        Assert.Equal(0, VerbRunner.Run("attribute", agent, spec, "--method", "gradient", "--out", Out("grad.png")));
        Assert.Equal(0, VerbRunner.Run("nmf", agent, spec, "--levels", "0..15", "--features", "3", "--iterations", "20", "--show", "2", "--out", Out("nmf.png")));
        Assert.Equal(0, VerbRunner.Run("channels", agent, spec + ";timeout=40", "--pairs", "5", "--ablate", "1", "--ablation-levels", "10", "--json"));
    }

    [Fact]
    public void Attribute_with_a_patch_draws_the_patched_networks_attribution()
    {
        const string spec = "maze:yellow-line@black;size=9";
        string[] common = ["attribute", agent, spec, "--level", "3", "--method", "gradient"];
        Assert.Equal(0, VerbRunner.Run([.. common, "--out", Out("plain.png")]));
        Assert.Equal(0, VerbRunner.Run([.. common, "--patch", "scale:embedder.relu3:all:1", "--out", Out("same.png")]));
        Assert.Equal(0, VerbRunner.Run([.. common, "--patch", "zero:embedder.relu3:0-3", "--out", Out("zeroed.png")]));
        Assert.Equal(File.ReadAllBytes(Out("plain.png")), File.ReadAllBytes(Out("same.png")));
        Assert.NotEqual(File.ReadAllBytes(Out("plain.png")), File.ReadAllBytes(Out("zeroed.png")));
        Assert.Equal(2, VerbRunner.Run([.. common, "--patch", "zero:embedder.relu9:1", "--out", Out("bad.png")]));
        Assert.False(File.Exists(Out("bad.png")));
    }

    [Fact]
    public void Eval_with_a_patch_and_an_intervention_stores_variants_beside_the_agent()
    {
        string db = Out("results.db");
        string[] common = ["eval", agent, "--setting", "maze:red-line+yellow-gem@black;timeout=30", "--levels", "10", "--out", db];
        Assert.Equal(0, VerbRunner.Run(common));
        Assert.Equal(0, VerbRunner.Run([.. common, "--intervention", "zero-r"]));
        Assert.Equal(0, VerbRunner.Run([.. common, "--patch", "zero:embedder.relu3:1", "--patch", "scale:embedder.relu3:2:0", "--variant", "two"]));
        using (var store = ResultsStore.OpenRead(db))
            Assert.Equal(["s1", "s1+two", "s1+zero-r"], store.Agents().Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.Equal(0, VerbRunner.Run("video", agent, "maze:red-line+yellow-gem@black;timeout=30", "--intervention", "zero-r", "--frames", "5", "--out", Out("v.gif")));
    }

    [Theory]
    [InlineData("field", "--patch", "zero:embedder.relu9:1")]
    [InlineData("field", "--diff")]
    [InlineData("field", "--grid", "no-such-grid.txt")]
    [InlineData("field", "--out", "field.jpg")]
    [InlineData("field", "--intervention", "sepia")]
    [InlineData("activations", "--layers", "embedder.relu4")]
    [InlineData("activations", "--levels", "3..1")]
    [InlineData("attribute", "--target", "jump")]
    [InlineData("attribute", "--method", "lrp")]
    [InlineData("nmf", "--features", "99")]
    [InlineData("channels", "--agent-at", "middle")]
    public void Bad_input_is_exit_code_2(params string[] args)
    {
        string[] full = [args[0], agent, "maze:yellow-line@black;size=5", .. args[1..]];
        if (full.Contains("--out")) full[Array.IndexOf(full, "--out") + 1] = Out(full[Array.IndexOf(full, "--out") + 1]);
        Assert.Equal(2, VerbRunner.Run(full));
    }

    [Fact]
    public void A_grid_level_works_for_the_maze_and_is_exit_code_2_for_a_game_that_cannot_build_one()
    {
        File.WriteAllLines(Out("grid.txt"), ["A..", ".#.", "..1"]);
        Assert.Equal(0, VerbRunner.Run("field", agent, "maze:yellow-line@black;size=3", "--grid", Out("grid.txt"), "--out", Out("g.svg")));
        Assert.Equal(2, VerbRunner.Run("field", agent, "maze:yellow-line@black;size=5", "--grid", Out("grid.txt"), "--out", Out("g.svg")));
        Assert.Equal(2, VerbRunner.Run("field", agent, "room", "--grid", Out("grid.txt"), "--out", Out("g.svg")));
    }

    private static (int, int) Size(string png)
    {
        var image = Misgen.Media.Png.Read(png);
        return (image.Width, image.Height);
    }
}
