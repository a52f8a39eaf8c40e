using Misgen.Envs;
using Misgen.Interp;
using Misgen.Nn;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Interp;

public sealed class PatchTests
{
    private static readonly ImpalaConfig Small = new(32, 4, 8, 8, Hidden: 16);
    private static readonly EnvSpec Spec = EnvSpec.Parse("maze:red-line+yellow-gem@textured;size=7");

    private static (float[] Logits, float[] Values) Run(IPolicy policy, byte[] obs, int batch)
    {
        var logits = new float[batch * 15];
        var values = new float[batch];
        policy.Forward(obs, batch, logits, values);
        return (logits, values);
    }

    private static byte[] FirstFrames(int from, int count) =>
        Enumerable.Range(from, count).SelectMany(s => new LevelSource(Spec, s).Observation(32)).ToArray();

    [Theory]
    [InlineData("add:embedder.block2.res1.resadd:-1:#3,#3")]
    [InlineData("add:embedder.relu3:2.5:maze:yellow-line@black;size=7#4,maze:yellow-line@black;size=7#4")]
    [InlineData("scale:embedder.relu3:all:1")]
    [InlineData("scale:embedder.block1.res1.conv2:0-3:1")]
    [InlineData("resample:embedder.block2.res1.resadd:all:#3")]
    [InlineData("resample:embedder.relu3:1,5:#3")]
    public void Patches_that_change_nothing_leave_logits_bit_identical(string text)
    {
        var model = ImpalaCnnTests.RandomModel(Small, 3);
        var obs = FirstFrames(3, 1); // level 3: the level the resampled activations come from
        var (plain, plainValues) = Run(model, obs, 1);
        var patched = PatchedPolicy.Bind(model, Spec, [PatchSpec.Parse(text)]);
        var (logits, values) = Run(patched, obs, 1);
        Assert.True(plain.SequenceEqual(logits), text);
        Assert.True(plainValues.SequenceEqual(values), text);
    }

    [Fact]
    public void Zero_mean_and_add_patches_equal_hand_computed_forward_passes()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 4);
        var reference = new ReferenceImpala(model);
        var obs = FirstFrames(10, 2);
        const string layer = "embedder.block2.res1.resadd";
        var (c, h, w) = model.HookShape(layer);
        int area = h * w;
        // Reference activations of the levels the patches name, computed by the reference network.
        double[] Act(int seed) => reference.Run(new LevelSource(Spec, seed).Observation(32))[layer];
        var a = Act(5);
        var b = Act(6);
        var means = new double[c * area];
        for (int s = 0; s < 4; s++)
        {
            var act = Act(s);
            for (int i = 0; i < means.Length; i++) means[i] += act[i] / 4;
        }
        var cases = new (string Patch, Func<double[], double[]> Edit)[]
        {
            ("zero:embedder.block2.res1.resadd:2,5", x => x.Select((v, i) => i / area is 2 or 5 ? 0 : v).ToArray()),
            ("mean:embedder.block2.res1.resadd:1:4", x => x.Select((v, i) => i / area == 1 ? means[i] : v).ToArray()),
            ("add:embedder.block2.res1.resadd:-1.5:#5,#6", x => x.Select((v, i) => v - 1.5 * (a[i] - b[i])).ToArray()),
            ("set:embedder.block2.res1.resadd:3:1,2:4.5", x => x.Select((v, i) => i == 3 * area + 1 * w + 2 ? 4.5 : v).ToArray()),
        };
        foreach (var (text, edit) in cases)
        {
            var (logits, values) = Run(PatchedPolicy.Bind(model, Spec, [PatchSpec.Parse(text)]), obs, 2);
            for (int n = 0; n < 2; n++)
            {
                var expected = reference.Run(obs.AsSpan(n * 32 * 32 * 3, 32 * 32 * 3), (name, x) => name == layer ? edit(x) : x);
                for (int k = 0; k < 15; k++) Assert.True(Math.Abs(expected["logits"][k] - logits[n * 15 + k]) < 2e-4, $"{text}: logit {k} of {n}");
                Assert.True(Math.Abs(expected["values"][0] - values[n]) < 2e-4, text);
            }
        }
    }

    [Fact]
    public void Patches_compose_in_order()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 5);
        var obs = FirstFrames(0, 3);
        var scaleThenZero = PatchedPolicy.Bind(model, Spec, [PatchSpec.Parse("scale:embedder.relu3:2:3"), PatchSpec.Parse("zero:embedder.relu3:2")]);
        var zeroOnly = PatchedPolicy.Bind(model, Spec, [PatchSpec.Parse("zero:embedder.relu3:2")]);
        Assert.Equal(Run(zeroOnly, obs, 3).Logits, Run(scaleThenZero, obs, 3).Logits);
        var zeroThenSet = PatchedPolicy.Bind(model, Spec, [PatchSpec.Parse("zero:embedder.relu3:2"), PatchSpec.Parse("set:embedder.relu3:2:0,0:1")]);
        Assert.NotEqual(Run(zeroOnly, obs, 3).Logits, Run(zeroThenSet, obs, 3).Logits);
    }

    [Theory]
    [InlineData("zero:embedder.relu3_out:1-3,7", "zero:embedder.relu3:1,2,3,7", "zero-relu3-1.2.3.7")]
    [InlineData("mean:embedder.relu3:all:20", "mean:embedder.relu3:all:20", "mean-relu3-all")]
    [InlineData("SCALE:embedder.fc:0:2.50", "scale:embedder.fc:0:2.5", "scale-fc-0-x2.5")]
    [InlineData("set:embedder.block2.res1.resadd:55:3,4:5.6", "set:embedder.block2.res1.resadd:55:3,4:5.6", "set-block2.res1.resadd-55-3.4-5.6")]
    public void Patches_print_canonically_and_name_their_variants(string text, string canonical, string shortName)
    {
        var patch = PatchSpec.Parse(text);
        Assert.Equal(canonical, patch.Text);
        Assert.Equal(patch, PatchSpec.Parse(patch.Text));
        Assert.Equal(shortName, patch.ShortName);
    }

    [Theory]
    [InlineData("shift:embedder.relu3:1", "valid: zero, mean")]
    [InlineData("zero:embedder.relu9:1", "embedder.relu3")]
    [InlineData("zero:embedder.relu3", "zero:LAYER:CHANNELS")]
    [InlineData("zero:embedder.relu3:x", "'x'")]
    [InlineData("scale:embedder.relu3:1:big", "factor 'big'")]
    [InlineData("set:embedder.relu3:1:2:3", "ROW,COL")]
    [InlineData("add:embedder.relu3:-1:#1", "two levels")]
    public void Bad_patches_name_the_bad_part(string text, string expected)
    {
        var e = Assert.Throws<MisgenInputException>(() => PatchSpec.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Binding_checks_channels_positions_and_levels_against_the_network()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 6);
        var e = Assert.Throws<MisgenInputException>(() => PatchedPolicy.Bind(model, Spec, [PatchSpec.Parse("zero:embedder.relu3:8")]));
        Assert.Contains("valid: 0..7", e.Message);
        e = Assert.Throws<MisgenInputException>(() => PatchedPolicy.Bind(model, Spec, [PatchSpec.Parse("set:embedder.relu3:1:4,0:1")]));
        Assert.Contains("row 0..3", e.Message);
        e = Assert.Throws<MisgenInputException>(() => PatchedPolicy.Bind(model, Spec, [PatchSpec.Parse("resample:embedder.relu3:1:#no-such-file.txt")]));
        Assert.Contains("no-such-file.txt", e.Message);
        e = Assert.Throws<MisgenInputException>(() => PatchedPolicy.Bind(model, Spec, [PatchSpec.Parse("resample:embedder.relu3:1:maze:yellow-line@black;size=7#grid.txt")]));
        Assert.Contains("grid", e.Message);
    }
}
