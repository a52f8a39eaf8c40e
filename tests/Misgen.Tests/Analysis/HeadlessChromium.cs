using System.Diagnostics;

namespace Misgen.Tests.Analysis;

/// <summary>Opens a local HTML file in headless Chromium, takes a screenshot and collects console errors.</summary>
internal static class HeadlessChromium
{
    public static string? Executable =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    public sealed record Result(string ScreenshotPath, IReadOnlyList<string> ConsoleErrors, string Log);

    public static Result Screenshot(string htmlPath, string workDir, int width = 1280, int height = 2000)
    {
        string exe = Executable ?? throw new InvalidOperationException(
            "Chromium is not installed: run .ci/setup-chromium.sh (apt-get install chromium)");
        string profile = Path.Combine(workDir, "chromium-profile");
        Directory.CreateDirectory(profile);
        string shot = Path.Combine(workDir, "screenshot.png");
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
                     $"--user-data-dir={profile}", $"--screenshot={shot}", $"--window-size={width},{height}",
                     "--virtual-time-budget=3000", new Uri(htmlPath).AbsoluteUri,
                 })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Chromium did not finish within 120 s");
        }
        string log = stderr.Result + stdout.Result;
        var errors = log.Split('\n')
            .Where(line => line.Contains("CONSOLE", StringComparison.Ordinal) &&
                           (line.Contains("Uncaught", StringComparison.Ordinal) || line.Contains(":ERROR:CONSOLE", StringComparison.Ordinal) ||
                            line.Contains("Failed to load", StringComparison.Ordinal) || line.Contains("Error", StringComparison.Ordinal)))
            .ToList();
        return new Result(shot, errors, log);
    }
}
