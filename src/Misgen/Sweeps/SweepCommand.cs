using System.Runtime.InteropServices;

namespace Misgen.Sweeps;

/// <summary>
/// The command line that runs `misgen` itself for a task, resolved at plan time from the running CLI
/// (dotnet host + Misgen.Cli.dll), so generated Slurm scripts work from a fresh clone's build without
/// `misgen` being installed on PATH.
/// </summary>
public static class SweepCommand
{
    public static IReadOnlyList<string> For(string cliAssemblyPath)
    {
        string dll = Path.GetFullPath(cliAssemblyPath);
        if (!dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return [dll];   // a native apphost or tool shim
        return [DotnetHost(), dll];
    }

    public static string DotnetHost()
    {
        string? process = Environment.ProcessPath;
        if (process != null && Path.GetFileNameWithoutExtension(process) == "dotnet") return process;
        string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath)) return hostPath;
        // The runtime lives at <root>/shared/Microsoft.NETCore.App/<version>/; the host is <root>/dotnet.
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
