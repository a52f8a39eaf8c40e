using System.Diagnostics;

namespace Misgen.Tests.Sweeps;

/// <summary>
/// A test that needs a working Slurm (`sinfo` answers). Without one it is skipped with the reason - except
/// under ./test.sh (MISGEN_TESTS_PROVISIONED=1) or in CI (CI=true), where .ci/setup-slurm.sh must have
/// started one, so the test runs and fails.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        bool provisioned = Environment.GetEnvironmentVariable("CI") == "true" || Environment.GetEnvironmentVariable("MISGEN_TESTS_PROVISIONED") == "1";
        if (!SlurmProbe.Available && !provisioned)
            Skip = $"no Slurm here ({SlurmProbe.Why}); run ./test.sh (it starts one), or scripts/slurm-local.sh";
    }
}

internal static class SlurmProbe
{
    private static readonly Lazy<string?> Problem = new(Probe);

    public static bool Available => Problem.Value == null;
    public static string Why => Problem.Value ?? "available";

    private static string? Probe()
    {
        // .ci/setup-slurm.sh leaves the config path here when it could not install /etc/slurm/slurm.conf.
        string hint = "/tmp/misgen-slurm.conf-path";
        if (Environment.GetEnvironmentVariable("SLURM_CONF") == null && File.Exists(hint))
        {
            string conf = File.ReadAllText(hint).Trim();
            if (File.Exists(conf)) Environment.SetEnvironmentVariable("SLURM_CONF", conf);
        }
        try
        {
            using var p = Process.Start(new ProcessStartInfo("sinfo", "-h -o %T") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            // sinfo retries for a minute when it cannot reach a controller; a working one answers at once.
            if (!p.WaitForExit(10_000)) { p.Kill(entireProcessTree: true); return "sinfo did not answer in 10 s"; }
            string state = stdout.Result;
            if (p.ExitCode != 0) return $"sinfo exited {p.ExitCode}: {stderr.Result.Trim().Split('\n')[0]}";
            return state.Contains("idle") || state.Contains("mix") || state.Contains("alloc") ? null : $"no usable node (sinfo: {state.Trim()})";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "sinfo is not installed";
        }
    }
}
