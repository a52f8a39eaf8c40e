using System.Diagnostics;

namespace Misgen.Tests.Interop;

/// <summary>
/// Runs Debian's /usr/bin/python3 (with python3-onnx, -numpy, -torch from .ci/setup-python.sh; a
/// `python3` on PATH may be another Python without them). A missing interpreter or module fails
/// the test with the command that installs it; nothing is skipped.
/// </summary>
internal static class DebianPython
{
    public const string Interpreter = "/usr/bin/python3";

    public static (int ExitCode, string Output, string Errors) Run(string script, params string[] args)
    {
        Assert.True(File.Exists(Interpreter), $"{Interpreter} is missing: run .ci/setup-python.sh (apt-get install python3 python3-numpy python3-onnx python3-torch)");
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errors.Result);
    }

    public static void Require(string module)
    {
        var (code, _, errors) = Run($"import {module}");
        Assert.True(code == 0, $"Debian's python3 cannot import {module}: run .ci/setup-python.sh (apt-get install python3-{module}).\n{errors}");
    }
}
