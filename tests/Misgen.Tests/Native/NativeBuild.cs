using System.Diagnostics;

namespace Misgen.Tests.Native;

/// <summary>
/// Builds libmisgen.so once per test run with scripts/build-native.sh (which skips the build when the sources
/// are unchanged), so the test command stays self-sufficient. A failed build fails the test with its output.
/// </summary>
internal static class NativeBuild
{
    private static readonly Lazy<(string Library, TimeSpan Took, string Output)> built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The built library's path (python/misgen/lib/libmisgen.so).</summary>
    public static string Library => built.Value.Library;

    /// <summary>How long the build step took in this run (near zero when it was up to date), and what it printed.</summary>
    public static (TimeSpan Took, string Output) Report => (built.Value.Took, built.Value.Output);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Misgen.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Misgen.slnx above {AppContext.BaseDirectory}");
    }

    private static (string, TimeSpan, string) Build()
    {
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepositoryRoot };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "scripts", "build-native.sh"));
        // The test host's MSBuild variables would redirect the nested build; it must see a clean environment.
        foreach (string key in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" }) start.Environment.Remove(key);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string all = output + errors.Result;
        if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/build-native.sh failed ({process.ExitCode}):\n{all}");
        string library = Path.Combine(RepositoryRoot, "python", "misgen", "lib", "libmisgen.so");
        if (!File.Exists(library)) throw new InvalidOperationException($"scripts/build-native.sh did not make {library}:\n{all}");
        return (library, clock.Elapsed, all.Trim());
    }
}
