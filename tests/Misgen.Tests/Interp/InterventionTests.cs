using Misgen.Envs;
using Misgen.Eval;
using Misgen.Interp;
using Misgen.Nn;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Interp;

public sealed class InterventionTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("misgen-intervention-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [InlineData("zero-r", new byte[] { 0, 20, 30, 0, 250, 0 })]
    [InlineData("zero-g", new byte[] { 10, 0, 30, 255, 0, 0 })]
    [InlineData("zero-b", new byte[] { 10, 20, 0, 255, 250, 0 })]
    [InlineData("swap-rg", new byte[] { 20, 10, 30, 250, 255, 0 })]
    [InlineData("swap-rb", new byte[] { 30, 20, 10, 0, 250, 255 })]
    [InlineData("swap-gb", new byte[] { 10, 30, 20, 255, 0, 250 })]
    // Luma 0.299 R + 0.587 G + 0.114 B: (2.99 + 11.74 + 3.42) = 18.15 -> 18; (76.245 + 146.75) = 222.995 -> 223.
    [InlineData("greyscale", new byte[] { 18, 18, 18, 223, 223, 223 })]
    public void Interventions_change_pixels_as_named(string name, byte[] expected)
    {
        byte[] pixels = [10, 20, 30, 255, 250, 0];
        InputIntervention.Parse(name).Apply(pixels);
        Assert.Equal(expected, pixels);
    }

    [Fact]
    public void An_intervened_policy_is_the_network_on_the_changed_observations()
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(16, 3, 17, 5, 15, 12), 1);
        var obs = ImpalaCnnTests.RandomObservations(3, 16, 2);
        var policy = new IntervenedPolicy(model, InputIntervention.Parse("zero-g"));
        var (a, b) = (new float[45], new float[45]);
        policy.Forward(obs, 3, a, new float[3]);
        var changed = (byte[])obs.Clone();
        for (int i = 1; i < changed.Length; i += 3) changed[i] = 0;
        model.Forward(changed, 3, b, new float[3]);
        Assert.Equal(b, a);
        var original = ImpalaCnnTests.RandomObservations(3, 16, 2);
        Assert.Equal(original, obs); // the caller's observations are untouched
        Assert.Contains("zero-r, zero-g", Assert.Throws<MisgenInputException>(() => InputIntervention.Parse("zero-x")).Message);
    }

    [Fact]
    public void A_variant_is_evaluated_as_its_own_agent_and_its_preference_shift_is_against_the_agent()
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(32, 4, 8, 8, Hidden: 16), 3);
        var agent = new EvalAgent(new AgentRecord("s1", ModelSha256: new string('a', 64)), model);
        var setting = new Setting("maze:red-line+yellow-gem@black;size=5;timeout=30", null);
        var dark = AgentVariant.Create(agent, setting.Env, [], InputIntervention.Parse("zero-r"));
        var patched = AgentVariant.Create(agent, setting.Env, [PatchSpec.Parse("zero:embedder.relu3:0-3")], null);
        Assert.Equal("s1+zero-r", dark.Record.Name);
        Assert.Equal("s1+zero-relu3-0.1.2.3", patched.Record.Name);
        Assert.NotEqual(dark.Record.ModelSha256, patched.Record.ModelSha256);
        Assert.NotEqual(agent.Record.ModelSha256, dark.Record.ModelSha256);
        using var store = ResultsStore.Open(Path.Combine(dir, "results.db"));
        var evaluator = new Evaluator(store, new EvalProtocol(100, 40, 40));
        foreach (var a in new[] { agent, dark, patched }) evaluator.Evaluate(a, setting);
        var metrics = store.Metrics();
        Assert.Equal(3, metrics.Count);
        var shifts = VariantShifts.Compute(metrics);
        Assert.Equal(2, shifts.Count);
        var baseline = metrics.Single(m => m.Agent == "s1");
        foreach (var shift in shifts)
        {
            Assert.Equal("s1", shift.Agent);
            var changed = metrics.Single(m => m.Agent == "s1+" + shift.Variant);
            double expected = (double)changed.Obj1 / (changed.Obj1 + changed.Obj2) - (double)baseline.Obj1 / (baseline.Obj1 + baseline.Obj2);
            Assert.Equal(expected, shift.PreferenceShift, 12);
        }
        // The same name with another patch is refused (its hash differs).
        var other = AgentVariant.Create(agent, setting.Env, [PatchSpec.Parse("zero:embedder.relu3:4")], null, name: "zero-r");
        Assert.Throws<MisgenInputException>(() => evaluator.Evaluate(other, setting));
    }
}
