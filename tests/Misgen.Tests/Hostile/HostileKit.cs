using System.Diagnostics;
using System.Security.Cryptography;
using Misgen.Rl;
using Misgen.Tests.Sweeps;

namespace Misgen.Tests.Hostile;

/// <summary>
/// The hostile-input suite's tools: a scratch folder, the real `misgen` of this build run as a child process
/// (so exit codes, messages and crashes are what a user sees), and a snapshot of a folder to prove that a
/// refused command changed nothing on disk.
/// </summary>
public abstract class HostileKit : IDisposable
{
    private readonly TempFolder temp = new("misgen-hostile-");

    /// <summary>The scratch folder of one test class instance (deleted afterwards).</summary>
    protected string Root => temp.Path;

    protected string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public virtual void Dispose()
    {
        temp.Dispose();
        GC.SuppressFinalize(this);
    }

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    /// <summary>
    /// Starts `misgen ARGS` in <paramref name="workingDir"/> with its output redirected: this build's CLI, or the
    /// Misgen.Cli.dll named by MISGEN_HOSTILE_CLI (to see which tests an older build fails).
    /// </summary>
    public static Process Start(string workingDir, IEnumerable<string> args)
    {
        var cli = Environment.GetEnvironmentVariable("MISGEN_HOSTILE_CLI") is { Length: > 0 } other
            ? global::Misgen.Sweeps.SweepCommand.For(other)
            : SweepTestKit.Cli;
        var psi = new ProcessStartInfo(cli[0])
        {
            WorkingDirectory = workingDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in cli.Skip(1).Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start misgen");
    }

    /// <summary>Runs `misgen ARGS` to the end (killed after two minutes, which fails the test).</summary>
    protected Outcome Misgen(params string[] args)
    {
        using var process = Start(Root, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"misgen {string.Join(' ', args)} did not finish in two minutes");
        }
        process.WaitForExit();
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Bad input: exit code 2, one `misgen:` line that mentions every <paramref name="named"/> thing (the bad
    /// value, the file, the field), and no stack trace.
    /// </summary>
    protected static void AssertRefused(Outcome o, params string[] named)
    {
        Assert.True(o.ExitCode == 2, $"expected exit code 2 (bad input)\n{o}");
        Assert.StartsWith("misgen: ", o.Stderr);
        Assert.DoesNotContain("   at ", o.Stderr);
        foreach (string n in named) Assert.True(o.Stderr.Contains(n, StringComparison.Ordinal), $"the message does not name '{n}'\n{o}");
    }

    /// <summary>Every entry under <paramref name="root"/>: files by SHA-256, links by target, folders, devices.</summary>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root)) return result;
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions
                 { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
        {
            string rel = Path.GetRelativePath(root, entry.FullName);
            if (entry.LinkTarget is { } target) result[rel] = "link " + target;
            else if (entry is DirectoryInfo) result[rel] = "folder";
            else if (FileKinds.Of(entry.FullName) is var kind && kind != FileKind.Regular) result[rel] = kind.ToString();
            else result[rel] = "file " + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry.FullName)));
        }
        return result;
    }

    /// <summary>Runs a command that must be refused and checks that nothing under <see cref="Root"/> changed.</summary>
    protected Outcome RefusedWithoutChanges(string[] args, params string[] named)
    {
        var before = Snapshot(Root);
        var o = Misgen(args);
        AssertRefused(o, named);
        Assert.Equal(before, Snapshot(Root));
        return o;
    }

    // ---- agents ----

    protected const string TrainSpec = "maze:yellow-line@black";

    /// <summary>The smoke recipe `misgen train maze:yellow-line@black --preset smoke --seed S [--set ...]` gives.</summary>
    protected static AgentManifest SmokeManifest(ulong seed, params string[] sets)
    {
        var config = PpoConfig.Preset("smoke");
        foreach (string s in sets) config.Set(s);
        return new AgentManifest { Spec = TrainSpec, Preset = "smoke", Seed = seed, Config = config };
    }

    /// <summary>Trains a smoke agent in this process (checkpoint after every update, so two are kept).</summary>
    protected static TrainResult TrainSmoke(string dir, ulong seed = 11, int? stopAfter = null)
    {
        using var pool = new WorkerPool(1);
        return AgentTraining.Run(dir, SmokeManifest(seed), new TrainOptions { CheckpointEvery = 1, StopAfterUpdates = stopAfter, Pool = pool });
    }

    protected static string[] Checkpoints(string agentDir) =>
        Directory.GetFiles(Path.Combine(agentDir, AgentTraining.CheckpointDir), "*.ckpt").Order(StringComparer.Ordinal).ToArray();
}
