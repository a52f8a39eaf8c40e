using Misgen.Rl;

namespace Misgen.Tests.Rl;

// Runs use private worker pools, so the tests never swap the shared pool under other tests.
public sealed class TrainingTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "misgen-rl-" + Guid.NewGuid().ToString("N"));
    private readonly WorkerPool one = new(1), two = new(2);

    public void Dispose()
    {
        one.Dispose();
        two.Dispose();
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static AgentManifest Smoke(ulong seed = 5, params string[] sets)
    {
        var config = PpoConfig.Preset("smoke");
        foreach (var s in sets) config.Set(s);
        return new AgentManifest { Spec = "maze:yellow-line@black", Preset = "smoke", Seed = seed, Config = config };
    }

    private string Dir(string name) => Path.Combine(root, name);

    private byte[] Model(string dir) => File.ReadAllBytes(Path.Combine(dir, AgentTraining.ModelFile));

    [Fact]
    public void Same_seed_gives_identical_weights_on_one_and_two_threads()
    {
        AgentTraining.Run(Dir("one"), Smoke(), new TrainOptions { Pool = one });
        AgentTraining.Run(Dir("two"), Smoke(), new TrainOptions { Pool = two });
        Assert.Equal(Model(Dir("one")), Model(Dir("two")));

        AgentTraining.Run(Dir("other-seed"), Smoke(seed: 6), new TrainOptions());
        Assert.NotEqual(Model(Dir("one")), Model(Dir("other-seed")));
    }

    [Theory]
    [InlineData(1, 10)]  // stop after update 1, checkpoint there
    [InlineData(3, 2)]   // stop after update 3; the checkpoint at update 2 is older, resume from 3
    public void Interrupted_and_resumed_run_equals_uninterrupted(int stopAfter, int checkpointEvery)
    {
        var full = AgentTraining.Run(Dir("full"), Smoke(), new TrainOptions { Pool = two });
        Assert.True(full.Finished);

        var part = AgentTraining.Run(Dir("part"), Smoke(), new TrainOptions { StopAfterUpdates = stopAfter, CheckpointEvery = checkpointEvery, Pool = two });
        Assert.False(part.Finished);
        Assert.False(File.Exists(Path.Combine(Dir("part"), AgentTraining.ModelFile)));
        // resuming on another thread count changes nothing
        var rest = AgentTraining.Run(Dir("part"), Smoke(), new TrainOptions { Resume = true, Pool = one });
        Assert.True(rest.Finished);
        Assert.Equal(Model(Dir("full")), Model(Dir("part")));

        string[] csv = File.ReadAllLines(Path.Combine(Dir("part"), AgentTraining.CsvFile));
        Assert.Equal(UpdateStats.CsvHeader, csv[0]);
        Assert.Equal(Enumerable.Range(1, full.CompletedUpdates).Select(u => u.ToString()), csv.Skip(1).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public void Cancellation_checkpoints_and_a_rerun_continues()
    {
        using var cancel = new CancellationTokenSource();
        int seen = 0;
        Assert.Throws<OperationCanceledException>(() => AgentTraining.Run(Dir("c"), Smoke(), new TrainOptions
        {
            Cancellation = cancel.Token,
            Progress = _ => { if (++seen == 2) cancel.Cancel(); },
        }));
        Assert.Single(Directory.GetFiles(Path.Combine(Dir("c"), AgentTraining.CheckpointDir)));
        var rest = AgentTraining.Run(Dir("c"), Smoke(), new TrainOptions());
        Assert.True(rest.Finished);
        AgentTraining.Run(Dir("d"), Smoke(), new TrainOptions());
        Assert.Equal(Model(Dir("d")), Model(Dir("c")));
    }

    [Fact]
    public void Agent_directory_has_the_documented_files()
    {
        AgentTraining.Run(Dir("a"), Smoke(), new TrainOptions());
        var manifest = AgentManifest.Read(Dir("a"));
        Assert.True(manifest.SameRecipe(Smoke()));
        var model = Misgen.Nn.Safetensors.Load(Path.Combine(Dir("a"), AgentTraining.ModelFile));
        Assert.Equal(PpoTrainer.NetworkOf(Smoke().Config, Misgen.Envs.EnvSpec.Parse(Smoke().Spec)), model.Config);
        string[] csv = File.ReadAllLines(Path.Combine(Dir("a"), AgentTraining.CsvFile));
        Assert.Equal(1 + Smoke().Config.NumUpdates, csv.Length);
        foreach (var column in new[] { "timesteps", "episodes", "mean_return", "mean_length", "success_rate", "timeouts", "policy_loss",
                     "value_loss", "entropy", "approx_kl", "clip_fraction", "explained_variance", "learning_rate", "steps_per_second" })
            Assert.Contains(column, csv[0].Split(','));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Dir("a"), AgentTraining.CheckpointDir), "*.ckpt"));

        // Rerunning a finished recipe is a no-op; a different recipe is refused unless forced.
        var again = AgentTraining.Run(Dir("a"), Smoke(), new TrainOptions());
        Assert.True(again.AlreadyTrained);
        var e = Assert.Throws<MisgenInputException>(() => AgentTraining.Run(Dir("a"), Smoke(sets: "gamma=0.9"), new TrainOptions()));
        Assert.Contains("gamma", e.Message);
        AgentTraining.Run(Dir("a"), Smoke(sets: "gamma=0.9"), new TrainOptions { Force = true });
        Assert.Equal(0.9f, AgentManifest.Read(Dir("a")).Config.Gamma);
    }

    [Fact]
    public void Resume_without_a_checkpoint_is_an_input_error() =>
        Assert.Throws<MisgenInputException>(() => AgentTraining.Run(Dir("none"), Smoke(), new TrainOptions { Resume = true }));

    // --- the verb ---

    private static int Cli(params string[] args) => VerbRunner.Run(args);

    [Theory]
    [InlineData("--preset", "smoke", "--set", "num_env=3")]
    [InlineData("--preset", "smoke", "--set", "gamma=high")]
    [InlineData("--preset", "smoke", "--set", "num_minibatches=7")]
    [InlineData("--preset", "quick")]
    [InlineData("--preset", "smoke", "--threads", "0")]
    public void Config_errors_exit_with_2(params string[] options) =>
        Assert.Equal(2, Cli(["train", "maze:yellow-line@black", .. options, "--out", Path.Combine(Path.GetTempPath(), "misgen-never-" + Guid.NewGuid().ToString("N"))]));

    [Fact]
    public void Bad_spec_exits_with_2() => Assert.Equal(2, Cli("train", "maze:mauve-line@black", "--out", Path.Combine(Path.GetTempPath(), "misgen-never")));

    [Fact]
    public void Verb_trains_and_refuses_a_different_recipe()
    {
        string dir = Dir("verb");
        Assert.Equal(0, Cli("train", "maze:yellow-line@black", "--preset", "smoke", "--seed", "3", "--out", dir));
        Assert.True(File.Exists(Path.Combine(dir, AgentTraining.ModelFile)));
        Assert.Equal(2, Cli("train", "maze:yellow-line@black", "--preset", "smoke", "--seed", "4", "--out", dir));
        Assert.Equal(0, Cli("train", "maze:yellow-line@black", "--preset", "smoke", "--seed", "4", "--out", dir, "--force"));
    }

    [Fact]
    public void Held_out_check_plays_each_level_once()
    {
        AgentTraining.Run(Dir("h"), Smoke(), new TrainOptions { Pool = two });
        const string spec = "maze:yellow-line@black;timeout=20"; // short episodes keep the test fast
        var a = HeldOutCheck.Run(Dir("h"), start: 100_000, count: 12, spec: spec, seed: 3, envs: 5);
        var b = HeldOutCheck.Run(Dir("h"), start: 100_000, count: 12, spec: spec, seed: 3, envs: 5);
        Assert.Equal(12, a.Levels);
        Assert.Equal((a.Successes, a.Timeouts, a.MeanSteps), (b.Successes, b.Timeouts, b.MeanSteps));
        Assert.Equal(12, a.Successes + a.Timeouts); // a training maze ends only at the goal or the timeout
        Assert.InRange(a.MeanSteps, 1, 20);
    }
}
