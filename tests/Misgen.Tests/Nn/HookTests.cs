using Misgen.Nn;

namespace Misgen.Tests.Nn;

public sealed class HookTests
{
    private static readonly ImpalaConfig Small = new(16, 3, 17, 5, 15, 12);

    [Fact]
    public void Cache_holds_every_activation_in_pytorch_layout()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 1);
        const int batch = 3;
        var obs = ImpalaCnnTests.RandomObservations(batch, 16, 2);
        var result = model.RunWithCache(obs, batch);
        Assert.Equal(ImpalaCnn.HookPoints.Count, result.Cache.Count);
        Assert.Equal([batch, 17, 4, 4], result.Cache["embedder.block2.res1.resadd"].Shape);
        Assert.Equal([batch, 3, 16, 16], result.Cache["embedder.block1.conv"].Shape);
        Assert.Equal([batch, 12], result.Cache["embedder.relufc"].Shape);
        var reference = new ReferenceImpala(model);
        for (int n = 0; n < batch; n++)
        {
            var expected = reference.Run(obs.AsSpan(n * 16 * 16 * 3, 16 * 16 * 3));
            foreach (var name in ImpalaCnn.HookPoints)
            {
                var tensor = result.Cache[name];
                int per = tensor.Count / batch;
                Assert.Equal(expected[name].Length, per);
                for (int i = 0; i < per; i++) Assert.True(Math.Abs(expected[name][i] - tensor.Data[n * per + i]) < 1e-4, $"{name}[{n}, {i}]");
            }
        }
        var logits = new float[batch * 15];
        var values = new float[batch];
        model.Forward(obs, batch, logits, values);
        Assert.Equal(logits, result.Logits.Data);
        Assert.Equal(values, result.Values);
    }

    [Fact]
    public void Patching_an_activation_from_another_observation_gives_that_observations_output()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 3);
        var a = ImpalaCnnTests.RandomObservations(1, 16, 4);
        var b = ImpalaCnnTests.RandomObservations(1, 16, 5);
        const string point = "embedder.block2.res1.resadd";
        var fromB = model.RunWithCache(b, 1, [point]);
        var patched = model.RunWithHooks(a, 1, [(point, (t, _) => fromB.Cache[point].Data.CopyTo(t.Data, 0))]);
        var plainA = model.RunWithCache(a, 1, []);
        for (int i = 0; i < 15; i++) Assert.Equal(fromB.Logits.Data[i], patched.Logits.Data[i], 1e-5);
        Assert.NotEqual(plainA.Logits.Data, patched.Logits.Data);
    }

    [Fact]
    public void Hooks_last_for_one_call_only_and_edits_flow_downstream()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 6);
        var obs = ImpalaCnnTests.RandomObservations(2, 16, 7);
        var before = model.RunWithCache(obs, 2, []);
        string seen = "";
        var zeroed = model.RunWithHooks(obs, 2, [("embedder.relufc", (t, name) => { seen = name; Array.Clear(t.Data); })], ["embedder.relufc", "fc_value"]);
        Assert.Equal("embedder.relufc", seen);
        Assert.All(zeroed.Cache["embedder.relufc"].Data, v => Assert.Equal(0f, v));
        var policyBias = model.Parameters.Single(p => p.Name == "fc_policy.bias").Value.ToArray();
        float valueBias = model.Parameters.Single(p => p.Name == "fc_value.bias").Value[0];
        for (int n = 0; n < 2; n++)
        {
            for (int a = 0; a < 15; a++) Assert.Equal(policyBias[a], zeroed.Logits[n, a]);
            Assert.Equal(valueBias, zeroed.Values[n]);
        }
        var after = model.RunWithCache(obs, 2, []);
        Assert.Equal(before.Logits.Data, after.Logits.Data);
        var logits = new float[30];
        model.Forward(obs, 2, logits, new float[2]);
        Assert.Equal(before.Logits.Data, logits);
    }

    [Fact]
    public void Unknown_hook_point_is_bad_input_naming_the_valid_ones()
    {
        var model = new ImpalaCnn(Small, 1);
        var obs = new byte[16 * 16 * 3];
        var e = Assert.Throws<MisgenInputException>(() => model.RunWithCache(obs, 1, ["embedder.block4.conv"]));
        Assert.Contains("embedder.block2.res1.resadd", e.Message);
        Assert.Throws<MisgenInputException>(() => model.RunWithHooks(obs, 1, [("relu3", (_, _) => { })]));
    }
}
