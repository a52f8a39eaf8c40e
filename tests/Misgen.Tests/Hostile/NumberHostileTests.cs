using Misgen.Envs;
using Misgen.Rl;

namespace Misgen.Tests.Hostile;

/// <summary>
/// Issue 18, items 3, 4, 7 and 14: every number read (--set, agent.yaml, study files, options) is finite and
/// within a documented range (docs/LIMITS.md), checked before any arithmetic and before anything is written;
/// a run whose loss or weights still become non-finite stops with exit code 1 and keeps its last good checkpoint.
/// </summary>
public sealed class NumberHostileTests : HostileKit
{
    [Theory]
    [InlineData("learning_rate", "Infinity")]
    [InlineData("learning_rate", "-Infinity")]
    [InlineData("learning_rate", "NaN")]
    [InlineData("learning_rate", "1e39")]      // float.Parse turns it into infinity
    [InlineData("learning_rate", "1e30")]      // finite, but not a learning rate
    [InlineData("ent_coef", "Infinity")]
    [InlineData("max_grad_norm", "NaN")]
    [InlineData("clip_coef", "∞")]
    [InlineData("total_steps", "9223372036854775807")]
    [InlineData("total_steps", "1e30")]
    [InlineData("update_epochs", "1000000")]
    [InlineData("num_envs", "2147483647")]
    [InlineData("num_steps", "100000")]
    [InlineData("num_minibatches", "-1")]
    [InlineData("width1", "100000")]
    [InlineData("hidden", "100000000")]
    [InlineData("observation_size", "4096")]
    [InlineData("start_level", "2147483000")]  // + num_levels 100000 overflows: the trainer used to find it after writing agent.yaml
    public void Set_values_that_cannot_train_are_refused_before_anything_is_written(string key, string value)
    {
        string dir = PathOf("agent");
        RefusedWithoutChanges(["train", TrainSpec, "--preset", "smoke", "--out", dir, "--set", $"{key}={value}"], key);
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData(new[] { "num_envs=1024", "num_steps=4096" }, "num_envs * num_steps")]              // batch 4M
    [InlineData(new[] { "num_envs=8", "num_steps=8", "total_steps=9000000000" }, "updates")]       // 140M updates
    [InlineData(new[] { "num_envs=1024", "num_steps=256", "observation_size=512", "total_steps=262144" }, "bytes")] // 200 GB rollout
    public void Derived_sizes_are_bounded_too(string[] sets, string named)
    {
        string dir = PathOf("agent");
        RefusedWithoutChanges(["train", TrainSpec, "--preset", "smoke", "--out", dir, .. sets.SelectMany(s => new[] { "--set", s })], named);
    }

    [Fact]
    public void Every_key_has_a_documented_range()
    {
        string limits = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "LIMITS.md"));
        var bounded = PpoConfig.Limits().ToList();
        var numbers = PpoConfig.Keys.Where(k => PpoConfig.Preset("paper").Get(k) is not ("true" or "false"));
        Assert.Equal(numbers, bounded.Select(b => b.Key)); // every number, and only numbers
        foreach (var (key, range) in bounded)
            Assert.Contains($"| `{key}` | {range} |", limits);
    }

    [Fact]
    public void A_non_finite_number_in_agent_yaml_is_refused_naming_the_file()
    {
        string dir = PathOf("agent");
        TrainSmoke(dir);
        string yaml = Path.Combine(dir, AgentManifest.FileName);
        File.WriteAllLines(yaml, File.ReadAllLines(yaml).Select(l => l.TrimStart().StartsWith("learning_rate:") ? "  learning_rate: .inf" : l));
        RefusedWithoutChanges(["train", TrainSpec, "--preset", "smoke", "--seed", "11", "--out", dir], "agent.yaml", "learning_rate", "Infinity");
    }

    [Fact]
    public void A_non_finite_number_in_a_study_is_refused_naming_file_line_and_field()
    {
        string study = PathOf("nan.yaml");
        File.WriteAllText(study, $"""
            name: nan
            out: {PathOf("out")}
            seeds: [0]
            conditions:
              - env: maze:yellow-line@black
                set: {"{"}learning_rate: Infinity{"}"}
            """);
        RefusedWithoutChanges(["sweep", "plan", study], "nan.yaml:6", "conditions[0].set", "learning_rate");
    }

    [Theory]
    [InlineData("demo", "--minutes", "NaN")]
    [InlineData("demo", "--minutes", "Infinity")]
    [InlineData("demo", "--minutes", "-1")]
    [InlineData("bench", "--seconds", "Infinity")]
    [InlineData("bench", "--seconds", "NaN")]
    public void Non_finite_options_are_refused(string verb, string option, string value)
    {
        string[] args = verb == "bench" ? ["bench", "env", option, value] : [verb, option, value, "--out", PathOf("demo")];
        RefusedWithoutChanges(args, option, value);
    }

    public static TheoryData<string[]> VerbsWithThreads => new()
    {
        new[] { "train", TrainSpec, "--preset", "smoke", "--out", "agent" },
        new[] { "eval", "agents", "--setting", "maze:red-line+yellow-gem@black" },
        new[] { "bench", "env" },
        new[] { "bench-nn" },
        new[] { "demo", "--out", "demo" },
        new[] { "sweep", "task", "--study", "study.yaml", "--index", "0" },
    };

    [Theory]
    [MemberData(nameof(VerbsWithThreads))]
    public void Every_verb_checks_threads_the_same_way(string[] verb)
    {
        foreach (string bad in new[] { "0", "-3", "10000" })
        {
            var o = RefusedWithoutChanges([.. verb, "--threads", bad], $"--threads {bad} is invalid; valid: 1..{WorkerPool.MaxThreads}");
            Assert.Single(o.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("misgen: --threads"));
        }
    }

    [Theory]
    [InlineData("train", "--checkpoint-every", "0")]
    [InlineData("eval", "--levels", "2000000000")]
    [InlineData("eval", "--batch", "100000")]
    [InlineData("render", "--scale", "1000")]
    [InlineData("render", "--size", "100000")]
    [InlineData("video", "--frames", "100000000")]
    [InlineData("demo", "--agents", "1000000")]
    [InlineData("sweep run", "--workers", "100000")]
    public void Counts_have_a_maximum(string verb, string option, string value)
    {
        string[] args = verb switch
        {
            "train" => ["train", TrainSpec, "--preset", "smoke", "--out", "agent"],
            "eval" => ["eval", "agents", "--setting", "maze:red-line+yellow-gem@black"],
            "render" => ["render", TrainSpec, "--out", "x.png"],
            "video" => ["video", "agent", "maze:red-line+yellow-gem@black"],
            "demo" => ["demo", "--out", "demo"],
            _ => ["sweep", "run", "study.yaml"],
        };
        RefusedWithoutChanges([.. args, option, value], option, value, "valid:");
    }

    [Fact]
    public void Render_refuses_a_picture_too_large_to_draw()
    {
        // Each option is in range; together they would ask for 256 pictures of 4096 x 32 pixels a side.
        RefusedWithoutChanges(["render", TrainSpec, "--size", "4096", "--scale", "32", "--out", "x.png"], "pixels");
    }

    [Fact]
    public void A_run_whose_loss_becomes_non_finite_stops_with_exit_1_and_keeps_its_last_checkpoint()
    {
        // A checkpoint whose weights are huge but finite (it verifies): the first forward pass overflows.
        string dir = PathOf("agent");
        var manifest = SmokeManifest(3);
        manifest.MisgenVersion = AgentTraining.Version;
        Directory.CreateDirectory(Path.Combine(dir, AgentTraining.CheckpointDir));
        manifest.Write(dir);
        using (var pool = new WorkerPool(1))
        using (var trainer = new PpoTrainer(EnvSpec.Parse(TrainSpec), manifest.Config, manifest.Seed, pool))
        {
            foreach (var p in trainer.Model.Parameters) p.Value.Fill(1e30f);
            using var file = File.Create(Path.Combine(dir, AgentTraining.CheckpointDir, "update-000000.ckpt"));
            trainer.SaveCheckpoint(file);
        }
        var before = Snapshot(Root);

        var o = Misgen("train", TrainSpec, "--preset", "smoke", "--seed", "3", "--out", dir);
        Assert.True(o.ExitCode == 1, o.ToString());
        Assert.Contains("diverged in update 1", o.Stderr);
        Assert.Contains("update-000000.ckpt", o.Stderr);
        Assert.Equal(before, Snapshot(Root));
        Assert.False(File.Exists(Path.Combine(dir, AgentTraining.ModelFile)));
    }

    [Fact]
    public void The_trainer_refuses_to_checkpoint_or_continue_after_an_abandoned_update()
    {
        var config = PpoConfig.Preset("smoke");
        using var pool = new WorkerPool(1);
        using var trainer = new PpoTrainer(EnvSpec.Parse(TrainSpec), config, 1, pool);
        Assert.Throws<OperationCanceledException>(() => trainer.Update(new CancellationToken(canceled: true)));
        Assert.Throws<InvalidOperationException>(() => trainer.SaveCheckpoint(Stream.Null));
        Assert.Throws<InvalidOperationException>(() => trainer.Update());
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Misgen.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
