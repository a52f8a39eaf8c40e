using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Misgen.Sweeps;

namespace Misgen.Tests.Hostile;

/// <summary>
/// Issue 18, items 5, 6 and 8: study files are bounded (tasks, seeds, expanded YAML aliases; docs/LIMITS.md)
/// and refused before anything is expanded or written; nothing in a study can add a line to, or run a
/// command from, a generated Slurm script.
/// </summary>
public sealed class StudyHostileTests : HostileKit
{
    private string Study(string fileName, string yaml)
    {
        string path = PathOf(fileName);
        File.WriteAllText(path, yaml);
        return path;
    }

    private string Minimal(string body, string name = "hostile") => $"""
        name: {name}
        out: {Quoted(PathOf("out"))}
        runner: synthetic
        {body}
        """;

    private static string Quoted(string value) => JsonSerializer.Serialize(value); // a JSON string is a YAML double-quoted scalar

    // ---- item 5: sizes refused up front ----

    [Theory]
    [InlineData("seeds: {start: 0, count: 1000000000}", "seeds", "split")]
    [InlineData("seeds: 0..2147483647", "seeds", "split")]
    [InlineData("seeds: 0..99999999999", "seeds", "2147483647")]
    [InlineData("seeds: 0..99999\nsettings: all", "tasks", "split")]   // 100,000 agents x 17 tasks each
    public void Huge_studies_are_refused_up_front(string seeds, string named, string advice)
    {
        string study = Study("huge.yaml", Minimal($"{seeds}\nconditions:\n  - env: maze:yellow-line@textured"));
        var clock = Stopwatch.StartNew();
        RefusedWithoutChanges(["sweep", "plan", study], "huge.yaml", named, advice);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.False(Directory.Exists(PathOf("out")));
    }

    [Fact]
    public void The_plan_is_small_per_task()
    {
        // 5,000 agents x 3 settings: 20,000 tasks.
        string study = Study("big.yaml", Minimal("""
            seeds: {start: 0, count: 5000}
            conditions:
              - env: maze:yellow-line@textured
                settings: [maze:red-line+yellow-gem@textured, maze:green-line+yellow-gem@textured, maze:blue-line+yellow-gem@textured]
            """));
        var o = Misgen("sweep", "plan", study);
        Assert.True(o.ExitCode == 0, o.ToString());
        long bytes = new FileInfo(PathOf("out", "plan.json")).Length;
        Assert.InRange(bytes / 20_000.0, 100, 300); // it was 412 bytes per task (indented, '+' escaped)
    }

    // ---- item 6: YAML aliases ----

    [Fact]
    public void Aliases_cannot_expand_a_small_file_into_a_huge_script()
    {
        // 1 MB of file, 200 uses of it: 200 MB once expanded.
        var yaml = new StringBuilder(Minimal("seeds: [0]\nconditions:\n  - env: maze:yellow-line@black"));
        yaml.Append("\nslurm:\n  directives:\n    - &big \"--comment=").Append('x', 1 << 20).Append("\"\n");
        for (int i = 0; i < 199; i++) yaml.Append("    - *big\n");
        string study = Study("aliases.yaml", yaml.ToString());
        RefusedWithoutChanges(["sweep", "run", study, "--executor", "slurm", "--dry-run"], "aliases.yaml", "expands");
    }

    [Fact]
    public void Billion_laughs_is_refused()
    {
        var yaml = new StringBuilder(Minimal("seeds: [0]\nconditions:\n  - env: maze:yellow-line@black") + "\nsynthetic:\n  fail:\n");
        yaml.Append("    - &a0 [\"lol\"]\n");
        for (int level = 1; level < 12; level++)
            yaml.Append($"    - &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        string study = Study("laughs.yaml", yaml.ToString());
        RefusedWithoutChanges(["sweep", "plan", study], "laughs.yaml", "expands");
    }

    [Fact]
    public void A_field_longer_than_its_limit_is_refused()
    {
        string study = Study("long.yaml", Minimal("seeds: [0]\nconditions:\n  - env: maze:yellow-line@black")
            + $"\nslurm:\n  directives: [\"--comment={new string('y', StudyLimits.MaxDirectiveChars)}\"]\n");
        RefusedWithoutChanges(["sweep", "plan", study], "slurm.directives[0]", "characters");
    }

    // ---- item 8: nothing in a study reaches a Slurm script as a command ----

    public static TheoryData<string, string> Injections()
    {
        var data = new TheoryData<string, string>();
        foreach (string field in new[] { "name", "out", "file", "partition", "account", "directives", "env", "settings", "condition" })
            foreach (string payload in new[] { "newline", "carriage-return", "substitution", "single-quote", "double-quote" })
                data.Add(field, payload);
        return data;
    }

    private static string Payload(string kind, string canary) => kind switch
    {
        "newline" => $"x\ntouch {canary}",
        "carriage-return" => $"x\r\ntouch {canary}\r",
        "substitution" => $"x$(touch {canary})`touch {canary}`",
        "single-quote" => $"x'; touch {canary}; '",
        _ => $"x\"; touch {canary}; #",
    };

    [Theory]
    [MemberData(nameof(Injections))]
    public void Hostile_strings_never_run_from_a_slurm_script(string field, string payloadKind)
    {
        // Relative: the script runs in Root, so an injected `touch` would create Root/INJECTED.
        const string canary = "INJECTED";
        string payload = Payload(payloadKind, canary);
        string value = field == "directives" ? "--comment=" + payload : payload;
        string Field(string f, string benign) => f == field ? Quoted(value) : benign;

        string fileName = field == "file" ? $"study{payload}.yaml" : "study.yaml";
        string outDir = field == "out" ? PathOf("out" + payload) : PathOf("out");
        string yaml = $"""
            name: {Field("name", "hostile")}
            out: {Quoted(outDir)}
            runner: synthetic
            seeds: [0, 1]
            conditions:
              - env: {Field("env", "maze:yellow-line@black")}
                name: {Field("condition", "black")}
                settings: [{Field("settings", "maze:red-line+yellow-gem@black")}]
            slurm:
              partition: {Field("partition", "short")}
              account: {Field("account", "lab")}
              directives: [{Field("directives", "\"--qos=low\"")}]
            """;
        string study = Study(fileName, yaml);
        var o = Misgen("sweep", "run", study, "--executor", "slurm", "--dry-run");
        if (o.ExitCode == 2)
        {
            string named = field switch { "file" => "control character", "condition" => "conditions[0].name", "env" => "conditions[0].env", "settings" => "conditions[0].settings", "directives" => "slurm.directives[0]", "partition" => "slurm.partition", "account" => "slurm.account", _ => field };
            AssertRefused(o, named);
            Assert.False(Directory.Exists(Path.Combine(outDir, "slurm")));
            return;
        }
        Assert.True(o.ExitCode == 0, o.ToString());

        // Accepted: every script has exactly the lines of a benign study's, and running one (train and eval
        // differ only in the phase) runs no payload.
        var scripts = Directory.GetFiles(Path.Combine(outDir, "slurm"), "*.sbatch");
        Assert.Equal(2, scripts.Length);
        foreach (string script in scripts)
        {
            string[] lines = File.ReadAllText(script).Split('\n');
            Assert.Equal(BenignScriptLineCount(), lines.Length);
            Assert.DoesNotContain(lines, l => l.StartsWith("touch", StringComparison.Ordinal) || l.Contains('\r'));
        }
        RunScript(scripts.Single(s => s.EndsWith("train.sbatch", StringComparison.Ordinal)));
        Assert.False(File.Exists(PathOf(canary)), "a payload ran: " + payload);
    }

    private int? benignLines;

    private int BenignScriptLineCount()
    {
        if (benignLines is { } n) return n;
        string dir = PathOf("benign");
        string study = Study("benign.yaml", $"""
            name: benign
            out: {Quoted(dir)}
            runner: synthetic
            seeds: [0, 1]
            conditions:
              - env: maze:yellow-line@black
                settings: [maze:red-line+yellow-gem@black]
            slurm: {"{"}partition: short, account: lab, directives: ["--qos=low"]{"}"}
            """);
        Assert.Equal(0, Misgen("sweep", "run", study, "--executor", "slurm", "--dry-run").ExitCode);
        benignLines = File.ReadAllText(Path.Combine(dir, "slurm", "train.sbatch")).Split('\n').Length;
        return benignLines.Value;
    }

    // Runs the script as Slurm would, for an array index outside the plan: misgen refuses it (exit 2), so
    // the only commands that run are the script's own.
    private void RunScript(string script)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.Environment["SLURM_ARRAY_TASK_ID"] = "999999";
        psi.Environment["SLURM_ARRAY_JOB_ID"] = "1";
        psi.Environment["SLURM_CPUS_PER_TASK"] = "1";
        using var bash = Process.Start(psi)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        string errors = bash.StandardError.ReadToEnd();
        Assert.True(bash.WaitForExit(TimeSpan.FromMinutes(1)));
        Assert.True(bash.ExitCode == 2, $"exit {bash.ExitCode}: {output.Result} {errors}");
    }
}
