using Misgen.Rl;

namespace Misgen.Tests.Rl;

public sealed class PpoConfigTests
{
    [Theory]
    [InlineData("paper")]
    [InlineData("fast")]
    [InlineData("smoke")]
    public void Presets_are_valid(string name) => PpoConfig.Preset(name).Validate();

    [Fact]
    public void Paper_is_the_original_recipe()
    {
        var c = PpoConfig.Preset("paper");
        Assert.Equal((256, 256, 3, 8, 8192), (c.NumEnvs, c.NumSteps, c.UpdateEpochs, c.NumMinibatches, c.MinibatchSize));
        Assert.Equal((0.999f, 0.95f, 5e-4f, 1e-5f, 0.5f, 0.2f, 0.5f, 0.01f),
            (c.Gamma, c.GaeLambda, c.LearningRate, c.AdamEps, c.MaxGradNorm, c.ClipCoef, c.VfCoef, c.EntCoef));
        Assert.Equal((64, 16, 32, 32, 256), (c.ObservationSize, c.Width1, c.Width2, c.Width3, c.Hidden));
        Assert.Equal(5_000_000, c.TotalSteps);
        Assert.Equal(10_000_000, Recipe.Config("paper", Misgen.Envs.EnvSpec.Parse("maze:yellow-line@textured")).TotalSteps);
        Assert.Equal(100_000, c.NumLevels);
    }

    [Fact]
    public void Set_parses_each_type()
    {
        var c = PpoConfig.Preset("paper");
        c.Set("num_envs=32");
        c.Set("total_steps=2e6");
        c.Set("gamma", "0.99");
        c.Set("anneal_lr=false");
        Assert.Equal((32, 2_000_000L, 0.99f, false), (c.NumEnvs, c.TotalSteps, c.Gamma, c.AnnealLr));
    }

    [Fact]
    public void Unknown_key_names_it_and_lists_valid_keys()
    {
        var e = Assert.Throws<MisgenInputException>(() => PpoConfig.Preset("fast").Set("num_env=3"));
        Assert.Contains("'num_env'", e.Message);
        Assert.Contains("num_envs", e.Message);
        Assert.Contains("ent_coef", e.Message);
    }

    [Theory]
    [InlineData("num_envs=many")]
    [InlineData("total_steps=1.5")]
    [InlineData("anneal_lr=maybe")]
    [InlineData("gamma")]
    public void Bad_values_are_input_errors(string assignment) =>
        Assert.Throws<MisgenInputException>(() => PpoConfig.Preset("fast").Set(assignment));

    [Fact]
    public void Unknown_preset_lists_presets()
    {
        var e = Assert.Throws<MisgenInputException>(() => PpoConfig.Preset("quick"));
        Assert.Contains("fast, paper, smoke", e.Message);
    }

    [Fact]
    public void Validate_rejects_indivisible_minibatches()
    {
        var c = PpoConfig.Preset("smoke");
        c.Set("num_minibatches=7");
        Assert.Throws<MisgenInputException>(c.Validate);
    }

    [Fact]
    public void Manifest_round_trips_through_yaml()
    {
        var config = PpoConfig.Preset("fast");
        config.Set("learning_rate=0.000123");
        config.Set("ent_coef=0.0075");
        var m = new AgentManifest { Spec = "maze:yellow-line@black", Preset = "fast", Seed = 42, MisgenVersion = "0.1.0", Config = config };
        string yaml = m.ToYaml();
        Assert.Contains("num_envs:", yaml);
        var back = AgentManifest.FromYaml(yaml);
        Assert.True(m.SameRecipe(back));
        Assert.Equal(yaml, back.ToYaml());
        Assert.Equal(0.000123f, back.Config.LearningRate);
        Assert.Equal(("maze:yellow-line@black", "fast", 42UL), (back.Spec, back.Preset, back.Seed));
    }

    [Fact]
    public void Recipe_differences_name_the_changed_keys()
    {
        var a = new AgentManifest { Spec = "s", Seed = 1, Config = PpoConfig.Preset("fast") };
        var b = new AgentManifest { Spec = "s", Seed = 2, Config = PpoConfig.Preset("fast") };
        b.Config.Set("gamma=0.5");
        Assert.Equal(["seed", "gamma"], a.RecipeDifferences(b));
    }

    [Fact]
    public void Corrupt_manifest_is_input_error() =>
        Assert.Throws<MisgenInputException>(() => AgentManifest.FromYaml("config: [1, 2"));
}
