using System.Text.RegularExpressions;
using Misgen.Analysis;
using Misgen.Eval;
using Misgen.Media;

namespace Misgen.Tests.Analysis;

public sealed class StudyReportTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-report-");
    private string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    private string RenderSynthetic(bool withGifs)
    {
        SyntheticStudy.Create(dir);
        using var store = ResultsStore.Open(Path.Combine(dir, "results.db"), mustExist: true);
        string path = Path.Combine(dir, "report.html");
        StudyReport.Write(store, path, new ReportOptions
        {
            Title = "Synthetic study",
            OutlierGif = withGifs ? _ => SyntheticStudy.FakeAgentGif() : null,
        });
        return path;
    }

    [Fact]
    public void Report_is_one_self_contained_file_with_every_part()
    {
        string html = File.ReadAllText(RenderSynthetic(withGifs: true));
        // Nothing is fetched: no external URL other than SVG's namespace name, no scripts, no links.
        var urls = Regex.Matches(html, "(?:src|href)=\"(?!#|data:)([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Empty(urls);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.Equal(SyntheticStudy.Settings.Length + 2, Regex.Count(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=")); // scatters + OLS + training
        foreach (string id in new[] { "setup", "scatter", "table", "ols", "outliers", "training" }) Assert.Contains($"id=\"{id}\"", html);
        // The planted outlier is flagged, shown with its GIF, and explained by the red-line setting.
        var card = Regex.Match(html, "<article class=\"card\"><h3>agent-07</h3>.*?</article>", RegexOptions.Singleline);
        Assert.True(card.Success, "agent-07 should have an outlier card");
        Assert.Contains("data:image/gif;base64,", card.Value);
        Assert.Contains("preference for red-line 0.9", card.Value);
    }

    [Fact]
    public void Report_verb_writes_the_file_and_rejects_a_missing_database()
    {
        SyntheticStudy.Create(dir, agents: 4, levels: 20);
        string output = Path.Combine(dir, "out", "r.html");
        Assert.Equal(0, VerbRunner.Run("report", Path.Combine(dir, "results.db"), "--out", output));
        Assert.Contains("<h1>Misgen study report</h1>", File.ReadAllText(output));
        Assert.Equal(2, VerbRunner.Run("report", Path.Combine(dir, "missing.db"), "--out", output));
    }

    [Fact]
    public void Headless_chromium_renders_the_report_without_errors()
    {
        string path = RenderSynthetic(withGifs: true);
        var result = HeadlessChromium.Screenshot(path, dir);
        Assert.True(File.Exists(result.ScreenshotPath), "no screenshot; chromium log:\n" + result.Log);
        Assert.Empty(result.ConsoleErrors);
        var image = Png.Read(result.ScreenshotPath);
        var (colours, nonWhite) = Inspect(image);
        Assert.True(colours > 50, $"page looks blank: {colours} distinct colours");
        Assert.True(nonWhite > image.Width * image.Height / 20, $"page looks blank: {nonWhite} non-white pixels");
        // Keep a copy for people to look at when MISGEN_REPORT_SCREENSHOT names a path.
        if (Environment.GetEnvironmentVariable("MISGEN_REPORT_SCREENSHOT") is { Length: > 0 } keep)
        {
            File.Copy(result.ScreenshotPath, keep, overwrite: true);
            File.Copy(path, Path.ChangeExtension(keep, ".html"), overwrite: true);
        }
    }

    [Fact]
    public void The_chromium_check_catches_a_blank_page_and_a_script_error()
    {
        // The negative control: the detector must see what it is meant to catch.
        string page = Path.Combine(dir, "broken.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body><script>notDefined();</script></body></html>");
        var result = HeadlessChromium.Screenshot(page, dir, 400, 300);
        Assert.NotEmpty(result.ConsoleErrors);
        var (colours, _) = Inspect(Png.Read(result.ScreenshotPath));
        Assert.True(colours <= 2, $"blank page has {colours} colours");
    }

    private static (int Colours, long NonWhite) Inspect(PngImage image)
    {
        var colours = new HashSet<int>();
        long nonWhite = 0;
        for (int i = 0; i < image.Width * image.Height; i++)
        {
            int c = image.Rgb[i * 3] << 16 | image.Rgb[i * 3 + 1] << 8 | image.Rgb[i * 3 + 2];
            colours.Add(c);
            if (c != 0xFFFFFF) nonWhite++;
        }
        return (colours.Count, nonWhite);
    }
}
