using Misgen.Sweeps;

namespace Misgen.Tests.Sweeps;

public sealed class StudyFileTests : IDisposable
{
    private readonly SweepTestKit kit = new();

    public void Dispose() => kit.Dispose();

    private Study Load(string yaml) => Study.Load(kit.WriteStudy("s", yaml));

    private string Error(string yaml) => Assert.Throws<MisgenInputException>(() => Load(yaml)).Message;

    [Fact]
    public void Reads_conditions_with_defaults_and_overrides()
    {
        var study = Load("""
            name: demo
            out: runs/demo
            preset: fast
            set: {learning_rate: 0.001, update_epochs: 2}
            seeds: 0..4
            eval_levels: {start: 100000, count: 50}
            settings: [maze:red-line+yellow-gem@textured]
            conditions:
              - env: maze:yellow-line@textured
              - env: maze:yellow-line@black
                name: black
                preset: paper
                set: {update_epochs: 3}
                seeds: [7, 9]
                levels: {start: 10, count: 20}
                settings:
                  - maze:blue-line+yellow-gem@black
                  - maze:green-line+yellow-gem@black
            slurm: {partition: gpu, time: "2-00:00:00", cpus: 4, mem: 8G, concurrency: 10, directives: ["--qos=long"]}
            """);
        Assert.Equal("demo", study.Name);
        Assert.Equal("misgen", study.Runner);
        var a = study.Conditions[0];
        Assert.Equal("maze-yellow-line-textured", a.Name);
        Assert.Equal([0, 1, 2, 3, 4], a.Seeds);
        Assert.Equal("fast", a.Preset);
        Assert.Equal(new LevelRange(0, 100_000), a.TrainLevels);
        Assert.Equal(new LevelRange(100_000, 50), a.EvalLevels);
        Assert.Equal("maze:red-line+yellow-gem@textured", Assert.Single(a.Settings).Spec);
        var b = study.Conditions[1];
        Assert.Equal("black", b.Name);
        Assert.Equal("paper", b.Preset);
        Assert.Equal([7, 9], b.Seeds);
        Assert.Equal(new LevelRange(10, 20), b.TrainLevels);
        Assert.Equal(["learning_rate=0.001", "update_epochs=3"], b.Overrides.Select(o => $"{o.Key}={o.Value}"));
        Assert.Equal(2, b.Settings.Count);
        Assert.Equal(new SlurmResources("gpu", "2-00:00:00", 4, "8G", 10, 1000, null, []), study.Slurm with { Directives = [] });
        Assert.Equal(["--qos=long"], study.Slurm.Directives);
    }

    [Theory]
    [InlineData("seeds: {start: 3, count: 2}", new[] { 3, 4 })]
    [InlineData("seeds: [5, 1]", new[] { 5, 1 })]
    [InlineData("seeds: 2..2", new[] { 2 })]
    public void Seed_forms(string seeds, int[] expected)
    {
        var study = Load($"{seeds}\nconditions:\n  - env: maze:yellow-line@black\n");
        Assert.Equal(expected, study.Conditions[0].Seeds);
    }

    [Theory]
    [InlineData("seeds: 0..3\nconditions:\n  - env: maze:yellow-line@black\n    setings: []\n", ":4: conditions[0].setings: unknown field 'setings'; valid:")]
    [InlineData("seeds: 5..3\nconditions:\n  - env: maze:yellow-line@black\n", ":1: seeds: range '5..3'")]
    [InlineData("seeds: [1, 1]\nconditions:\n  - env: maze:yellow-line@black\n", ":1: seeds: seed 1 is listed twice")]
    [InlineData("seeds: 0..1\nconditions:\n  - preset: fast\n", ":3: conditions[0]: missing `env:`")]
    [InlineData("conditions:\n  - env: maze:yellow-line@black\n", ":2: conditions[0]: no seeds")]
    [InlineData("seeds: 0..1\nconditions:\n  - env: maze:yellow-line@black\nslurm:\n  time: soon\n", ":5: slurm.time: 'soon' is not a Slurm time limit")]
    [InlineData("seeds: 0..1\nconditions:\n  - env: maze:yellow-line@black\nslurm:\n  cpus: many\n", ":5: slurm.cpus: 'many' is not an integer")]
    [InlineData("seeds: 0..1\nrunner: magic\nconditions:\n  - env: maze:yellow-line@black\n", ":2: runner: unknown value 'magic'; valid: misgen, synthetic")]
    [InlineData("seeds: 0..1\neval_levels: {start: 1}\nconditions:\n  - env: maze:yellow-line@black\n", ":2: eval_levels: expected {start: N, count: M}")]
    [InlineData("seeds: 0..1\nconditions: []\n", ":2: conditions: a study needs a list")]
    [InlineData("seeds: 0..1\nconditions:\n  - env: maze:yellow-line@black\n  - env: maze:yellow-line@black\n", "two conditions are named 'maze-yellow-line-black'")]
    [InlineData("seeds: 0..1\nconditions:\n  - env: maze:blue-line@black\n    settings: all\n", ":4: conditions[0].settings: `all` means the catalogue's settings of the training env, and 'maze:blue-line@black' is not a catalogued condition")]
    [InlineData("seeds: 0..1\nconditions:\n  - env: maze:yellow-line@black\n    settings: [red]\n", ":4: conditions[0].settings: 'red' is neither an env spec")]
    [InlineData("seeds: 0..1\nconditions:\n  - env: maze:yellow-line@black\n    preset: turbo\n", ":4: conditions[0].preset: unknown preset for maze 'turbo'; valid: fast, paper, smoke")]
    [InlineData("seeds: 0..1\nconditions:\n  - env: maze:yellow-line@black\n    set: {epochs: 2}\n", ":4: conditions[0].set: unknown config key 'epochs'; valid: total_steps")]
    [InlineData("seeds: 0..1\nconditions:\n  - env: maze:yellow-line@black\n    set: {num_envs: many}\n", ":4: conditions[0].set: bad value 'many' for num_envs")]
    [InlineData("seeds: [1\nconditions: 3\n", "not valid YAML")]
    [InlineData("seeds: 0..1\nconditions:\n  - env: \"maze yellow\"\n", ":3: conditions[0].env: unknown game 'maze yellow' in env spec 'maze yellow'; valid: maze")]
    [InlineData("seeds: 0..1\nconditions:\n  - env: maze:mauve-line@black\n", ":3: conditions[0].env: unknown")]
    [InlineData("seeds: 0..1\nconditions:\n  - env: maze:yellow-line@black\n    settings: [maze:red-line+yellow-gem@pink]\n", ":4: conditions[0].settings: unknown background 'pink'")]
    public void Invalid_files_name_the_line_and_the_field(string yaml, string expected)
    {
        string message = Error(yaml);
        Assert.Contains(expected, message);
        Assert.StartsWith(Path.Combine(kit.Dir, "s.yaml"), message);
    }

    [Fact]
    public void Specs_are_spelled_canonically()
    {
        var c = Load("seeds: [0]\nconditions:\n  - env: maze:yellow-line\n    settings: [\"maze:red-line+yellow-gem@textured;size=5\"]\n").Conditions[0];
        Assert.Equal("maze:yellow-line@black", c.Env);   // black is the default background
        Assert.Equal("maze-yellow-line-black", c.Name);
        Assert.Equal("maze:red-line+yellow-gem@textured", c.Settings[0].Spec);
    }

    [Fact]
    public void All_means_the_catalogued_settings_of_the_training_env()
    {
        var c = Load("seeds: [0]\nconditions:\n  - env: maze:white-line@black\n    settings: all\n").Conditions[0];
        Assert.Equal(Misgen.Studies.StudyCatalogue.Condition("maze:white-line@black").Settings.Select(x => x.Spec), c.Settings.Select(x => x.Spec));
        Assert.Equal(11, c.Settings.Count);   // docs/ORIGINS.md §5
    }

    [Fact]
    public void Synthetic_runner_does_not_check_training_recipes() =>
        Assert.Equal("turbo", Load("runner: synthetic\npreset: turbo\nseeds: [0]\nconditions:\n  - env: maze:yellow-line@black\n").Conditions[0].Preset);

    [Fact]
    public void Missing_file_is_bad_input() =>
        Assert.Contains("does not exist", Assert.Throws<MisgenInputException>(() => Study.Load(Path.Combine(kit.Dir, "nope.yaml"))).Message);

    // The six published conditions (docs/ORIGINS.md §5): agents and number of settings per condition.
    [Theory]
    [InlineData("yellow-line-textured", "maze:yellow-line@textured", 100, 16)]
    [InlineData("yellow-line-black", "maze:yellow-line@black", 100, 14)]
    [InlineData("white-line-black", "maze:white-line@black", 512, 11)]
    [InlineData("yellow-line-grey", "maze:yellow-line@grey", 100, 11)]
    [InlineData("red-line-grey", "maze:red-line@grey", 100, 11)]
    [InlineData("red-line-black", "maze:red-line@black", 100, 14)]
    public void Shipped_published_studies_load_at_full_scale(string file, string env, int agents, int settings)
    {
        var study = Study.Load(Path.Combine(RepoRoot(), "studies", file + ".yaml"));
        var c = Assert.Single(study.Conditions);
        Assert.Equal(env, c.Env);
        Assert.Equal(agents, c.Seeds.Count);
        Assert.Equal(settings, c.Settings.Count);
        Assert.Equal("paper", c.Preset);
        Assert.Equal(new LevelRange(100_000, 1_000), c.EvalLevels);
        Assert.Equal(Misgen.Studies.StudyCatalogue.Condition(env).Settings.Select(x => x.Spec), c.Settings.Select(x => x.Spec));
        string background = env[(env.IndexOf('@') + 1)..];
        Assert.All(c.Settings, s => Assert.EndsWith("@" + background, s.Spec));
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("synthetic")]
    public void Shipped_small_studies_load(string file) =>
        Assert.NotEmpty(Study.Load(Path.Combine(RepoRoot(), "studies", file + ".yaml")).Conditions);

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Misgen.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Misgen.slnx) not found above the test binaries");
    }
}
