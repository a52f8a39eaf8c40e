using System.Text.Json;
using Microsoft.Playwright;
using Misgen.Tests.Analysis;
using Xunit.Abstractions;

namespace Misgen.Tests.Explore;

/// <summary>
/// The explorer page in Debian's Chromium driven by Playwright (pointed at /usr/bin/chromium: browser downloads are
/// impossible here). Fails, never skips, when Chromium is missing: .ci/setup-chromium.sh installs it.
/// </summary>
public sealed class ExploreBrowserTests(ExploreFixture fx, ITestOutputHelper output) : IClassFixture<ExploreFixture>
{
    internal static async Task<(IPlaywright, IBrowser)> Launch()
    {
        string exe = HeadlessChromium.Executable ?? throw new InvalidOperationException(
            "Chromium is not installed: run .ci/setup-chromium.sh (apt-get install chromium)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = exe,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
        return (playwright, browser);
    }

    /// <summary>The page, with every console error and page error collected.</summary>
    internal static async Task<(IPage Page, List<string> Errors)> Open(IBrowser browser, Uri address, string query = "")
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") lock (errors) errors.Add(m.Text); };
        page.PageError += (_, e) => { lock (errors) errors.Add(e); };
        await page.GotoAsync(new Uri(address, query).ToString());
        await page.WaitForSelectorAsync("body[data-ready='1']", new PageWaitForSelectorOptions { Timeout = 60_000 });
        return (page, errors);
    }

    internal static Task Idle(IPage page) =>
        page.WaitForFunctionAsync("() => window.misgenBusy === 0", null, new PageWaitForFunctionOptions { Timeout = 60_000 });

    /// <summary>Clicks the middle of cell (x, y) of the level canvas.</summary>
    internal static async Task ClickCell(IPage page, int x, int y)
    {
        var box = (await page.Locator("#levelCanvas").BoundingBoxAsync())!;
        var area = JsonSerializer.Deserialize<double[]>(await page.EvaluateAsync<string>($"JSON.stringify(state.level.areas[{y} * state.level.width + {x}])"))!;
        await page.Mouse.ClickAsync((float)(box.X + (area[0] + area[2] / 2) * box.Width), (float)(box.Y + (area[1] + area[3] / 2) * box.Height));
    }

    /// <summary>An open cell of the page's level that is neither the agent's nor a goal's (x from the left, y from the bottom).</summary>
    internal static async Task<(int X, int Y)> PlainOpenCell(IPage page, int skip = 0)
    {
        var grid = JsonSerializer.Deserialize<string[]>(await page.EvaluateAsync<string>("JSON.stringify(state.grid)"))!;
        var cells = new List<(int, int)>();
        for (int row = 0; row < grid.Length; row++)
            for (int x = 0; x < grid[row].Length; x++)
                if (grid[row][x] == '.') cells.Add((x, grid.Length - 1 - row));
        return cells[skip % cells.Count];
    }

    [Fact]
    public async Task Toggling_a_wall_redraws_a_different_field_without_console_errors()
    {
        var (playwright, browser) = await Launch();
        using var _ = playwright;
        await using var __ = browser;
        var (page, errors) = await Open(browser, fx.Server.Address, "?seed=5");
        string before = await page.EvaluateAsync<string>("JSON.stringify(state.field.probabilities)");
        int cellsBefore = await page.EvaluateAsync<int>("state.field.cells.length");
        var (x, y) = await PlainOpenCell(page);
        await ClickCell(page, x, y);
        await page.WaitForFunctionAsync("() => window.misgenLatencies.length >= 1", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await Idle(page);
        Assert.Equal(cellsBefore - 1, await page.EvaluateAsync<int>("state.field.cells.length"));
        Assert.NotEqual(before, await page.EvaluateAsync<string>("JSON.stringify(state.field.probabilities)"));
        Assert.Equal('#', (await page.EvaluateAsync<string>($"state.grid[state.level.height - 1 - {y}]"))[x]);

        // Moving the goal: pick obj1 and click another open cell.
        var (gx, gy) = await PlainOpenCell(page, 3);
        await page.CheckAsync("input[name=tool][value='1']");
        await ClickCell(page, gx, gy);
        await page.WaitForFunctionAsync("() => window.misgenLatencies.length >= 2", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await Idle(page);
        Assert.Equal((gx, gy), (await page.EvaluateAsync<int>("state.level.goals[0].x"), await page.EvaluateAsync<int>("state.level.goals[0].y")));

        // Dragging the goal carries it along: press on it, move over open cells, release.
        var (dx, dy) = await PlainOpenCell(page, 6);
        var boxNow = (await page.Locator("#levelCanvas").BoundingBoxAsync())!;
        async Task<(float, float)> Centre(int cx, int cy)
        {
            var a = JsonSerializer.Deserialize<double[]>(await page.EvaluateAsync<string>($"JSON.stringify(state.level.areas[{cy} * state.level.width + {cx}])"))!;
            return ((float)(boxNow.X + (a[0] + a[2] / 2) * boxNow.Width), (float)(boxNow.Y + (a[1] + a[3] / 2) * boxNow.Height));
        }
        var (fromX, fromY) = await Centre(gx, gy);
        var (toX, toY) = await Centre(dx, dy);
        await page.Mouse.MoveAsync(fromX, fromY);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(toX, toY, new MouseMoveOptions { Steps = 1 });
        await page.Mouse.UpAsync();
        await page.WaitForFunctionAsync("() => window.misgenLatencies.length >= 3", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await Idle(page);
        Assert.Equal((dx, dy), (await page.EvaluateAsync<int>("state.level.goals[0].x"), await page.EvaluateAsync<int>("state.level.goals[0].y")));

        // Hovering a cell shows the policy there.
        var box = (await page.Locator("#levelCanvas").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 5, box.Y + box.Height - 5);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#policyBars .bar').length > 0", null, new PageWaitForFunctionOptions { Timeout = 30_000 });

        // The Inside tab draws one small heatmap per channel of the layer.
        await page.ClickAsync("button[data-tab='insideTab']");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#channelGrid canvas').length > 0", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        int channels = fx.Model.HookShape("embedder.block2.res1.resadd").Channels;
        Assert.Equal(channels, await page.Locator("#channelGrid canvas").CountAsync());
        await page.ClickAsync("#channelGrid figure >> nth=1");
        Assert.Contains("channel 1", await page.TextContentAsync("#bigTitle"));

        string shot = Path.Combine(fx.Root, "explore-edited.png");
        await page.ClickAsync("button[data-tab='levelTab']");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 10_000);
        Keep(shot);
        Assert.False(await page.IsVisibleAsync("#error"), await page.TextContentAsync("#error"));
        Assert.Empty(errors);
        output.WriteLine($"edit to redrawn field: {string.Join(", ", await page.EvaluateAsync<double[]>("window.misgenLatencies"))} ms");
    }

    /// <summary>
    /// The README's picture (explore.png, kept when MISGEN_EXPLORE_SCREENSHOTS names a folder): the level tab with its
    /// vector field, the mouse on the agent's cell. By default the fixture's random network, so CI needs no trained
    /// agent; MISGEN_EXPLORE_SCREENSHOT_AGENT names an agent directory to serve instead (a trained agent's field is
    /// worth looking at), on its training spec; the level is MISGEN_EXPLORE_SCREENSHOT_SEED (default 5).
    /// </summary>
    [Fact]
    public async Task The_level_tab_screenshot_shows_the_field_of_the_agent_MISGEN_EXPLORE_SCREENSHOT_AGENT_names()
    {
        string? agentDir = Environment.GetEnvironmentVariable("MISGEN_EXPLORE_SCREENSHOT_AGENT") is { Length: > 0 } d ? d : null;
        string seedText = Environment.GetEnvironmentVariable("MISGEN_EXPLORE_SCREENSHOT_SEED") is { Length: > 0 } t ? t : "5";
        if (!int.TryParse(seedText, out int seed) || seed < 0)
            throw new InvalidOperationException($"MISGEN_EXPLORE_SCREENSHOT_SEED '{seedText}' is not a level seed (an integer from 0)");
        if (agentDir is not null && !Misgen.Eval.AgentDirectory.IsAgent(agentDir))
            throw new InvalidOperationException($"MISGEN_EXPLORE_SCREENSHOT_AGENT '{agentDir}' is not an agent directory (no model.safetensors in it)");
        await using var own = agentDir is null ? null
            : await Misgen.Explore.ExploreServer.StartAsync(new Misgen.Explore.Explorer(Misgen.Explore.ExploreAgents.FromInputs([agentDir])), "127.0.0.1", 0);
        var (playwright, browser) = await Launch();
        using var _ = playwright;
        await using var __ = browser;
        var (page, errors) = await Open(browser, (own ?? fx.Server).Address, $"?seed={seed}");
        await Idle(page);
        int open = await page.EvaluateAsync<int>("state.field.cells.length");
        Assert.True(open > 0, "the field has no cells");
        // The mouse on the agent's cell fills the policy panel, as a person looking at the page would see it.
        var (ax, ay) = (await page.EvaluateAsync<int>("state.level.agent.x"), await page.EvaluateAsync<int>("state.level.agent.y"));
        var box = (await page.Locator("#levelCanvas").BoundingBoxAsync())!;
        var area = JsonSerializer.Deserialize<double[]>(await page.EvaluateAsync<string>($"JSON.stringify(state.level.areas[{ay} * state.level.width + {ax}])"))!;
        await page.Mouse.MoveAsync((float)(box.X + (area[0] + area[2] / 2) * box.Width), (float)(box.Y + (area[1] + area[3] / 2) * box.Height));
        await Until(page, "document.querySelectorAll('#policyBars .bar').length > 0 && window.misgenBusy === 0", 30_000);
        string shot = Path.Combine(fx.Root, "explore.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 10_000);
        Keep(shot);
        Assert.False(await page.IsVisibleAsync("#error"), await page.TextContentAsync("#error"));
        Assert.Empty(errors);
        output.WriteLine($"{(agentDir ?? "the fixture's random network")}, level {seed}: {open} open cells");
    }

    /// <summary>Copies a screenshot into MISGEN_EXPLORE_SCREENSHOTS (a folder) when set, for people to look at (the README's picture).</summary>
    private static void Keep(string shot)
    {
        if (Environment.GetEnvironmentVariable("MISGEN_EXPLORE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.Copy(shot, Path.Combine(folder, Path.GetFileName(shot)), overwrite: true);
        }
    }

    private static Task Until(IPage page, string condition, int timeout = 60_000) =>
        page.WaitForFunctionAsync($"() => {condition}", null, new PageWaitForFunctionOptions { Timeout = timeout });

    [Fact]
    public async Task A_channel_zero_makes_before_and_after_differ_and_a_rollout_plays_with_attribution()
    {
        var (playwright, browser) = await Launch();
        using var _ = playwright;
        await using var __ = browser;
        var (page, errors) = await Open(browser, fx.Server.Address, "?seed=7");
        await page.ClickAsync("button[data-tab='patchesTab']");
        await page.ClickAsync("#addZero");
        await Until(page, "window.misgenPatchLatencies.length >= 1 && window.misgenBusy === 0");
        // Channel 0 of relu3 alone may barely matter in a random network: zero them all.
        await page.FillAsync("#patchRows input[data-f='channels']", "0-7");
        await page.DispatchEventAsync("#patchRows input[data-f='channels']", "change");
        await Until(page, "window.misgenPatchLatencies.length >= 2 && window.misgenBusy === 0");
        Assert.NotEqual(await page.EvaluateAsync<string>("JSON.stringify(state.field.before)"),
                        await page.EvaluateAsync<string>("JSON.stringify(state.field.probabilities)"));
        Assert.Contains("zero:embedder.relu3:0,1,2,3,4,5,6,7", await page.TextContentAsync("#afterRollout"));

        // The level-pair vector with its coefficient slider: a second patch, another update.
        await page.ClickAsync("#addVector");
        await Until(page, "window.misgenPatchLatencies.length >= 3 && window.misgenBusy === 0");
        await page.EvaluateAsync("() => { const s = document.querySelector('#patchRows input.coefficient'); s.value = '2.5'; s.dispatchEvent(new Event('input')); }");
        await Until(page, "window.misgenPatchLatencies.length >= 4 && window.misgenBusy === 0");
        Assert.Contains("add:embedder.block2.res1.resadd:2.5:", await page.TextContentAsync("#afterRollout"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(fx.Root, "patches.png"), FullPage = true });
        Keep(Path.Combine(fx.Root, "patches.png"));

        await page.ClickAsync("button[data-tab='rolloutTab']");
        await page.ClickAsync("#play");
        await Until(page, "rollout.data !== null && window.misgenBusy === 0");
        int steps = await page.EvaluateAsync<int>("rollout.data.steps.length");
        Assert.True(steps >= 1);
        await page.CheckAsync("#showAttribution");
        await Until(page, "document.getElementById('attrInfo').textContent.includes('attribution of value')");
        await page.ClickAsync("#animate");
        await Until(page, $"rollout.step >= {Math.Min(steps, 3)}");
        if (await page.EvaluateAsync<bool>("rollout.timer !== null")) await page.ClickAsync("#animate");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(fx.Root, "rollout.png"), FullPage = true });
        Keep(Path.Combine(fx.Root, "rollout.png"));
        Assert.False(await page.IsVisibleAsync("#error"), await page.TextContentAsync("#error"));
        Assert.Empty(errors);
        output.WriteLine($"patch updates: {string.Join(", ", await page.EvaluateAsync<double[]>("window.misgenPatchLatencies"))} ms");
    }

    [Fact]
    public async Task Two_tabs_edit_their_own_levels_at_once()
    {
        var (playwright, browser) = await Launch();
        using var _ = playwright;
        await using var __ = browser;
        var (first, errors1) = await Open(browser, fx.Server.Address, "?seed=1");
        var (second, errors2) = await Open(browser, fx.Server.Address, "?seed=2");
        int cells1 = await first.EvaluateAsync<int>("state.field.cells.length"), cells2 = await second.EvaluateAsync<int>("state.field.cells.length");
        var (x1, y1) = await PlainOpenCell(first, 2);
        var (x2, y2) = await PlainOpenCell(second, 4);
        await Task.WhenAll(ClickCell(first, x1, y1), ClickCell(second, x2, y2));
        await Task.WhenAll(Until(first, "window.misgenLatencies.length >= 1 && window.misgenBusy === 0"),
                           Until(second, "window.misgenLatencies.length >= 1 && window.misgenBusy === 0"));
        Assert.Equal(cells1 - 1, await first.EvaluateAsync<int>("state.field.cells.length"));
        Assert.Equal(cells2 - 1, await second.EvaluateAsync<int>("state.field.cells.length"));
        Assert.Equal('#', (await first.EvaluateAsync<string>($"state.level.grid[state.level.height - 1 - {y1}]"))[x1]);
        Assert.Equal('#', (await second.EvaluateAsync<string>($"state.level.grid[state.level.height - 1 - {y2}]"))[x2]);
        Assert.Empty(errors1);
        Assert.Empty(errors2);
    }

    [Fact]
    public async Task A_click_on_a_study_dot_loads_that_agent()
    {
        var (playwright, browser) = await Launch();
        using var _ = playwright;
        await using var __ = browser;
        var (page, errors) = await Open(browser, fx.StudyServer.Address);
        await page.ClickAsync("#studyButton");
        await page.WaitForSelectorAsync("#studyPlots circle", new PageWaitForSelectorOptions { Timeout = 30_000 });
        await page.EvaluateAsync("() => { window.loaded = false; document.addEventListener('misgen-level', () => window.loaded = true); }");
        await page.Locator("#studyPlots circle").First.DispatchEventAsync("click");
        await Until(page, "window.loaded && window.misgenBusy === 0");
        Assert.Equal("s1", await page.InputValueAsync("#agent"));
        Assert.Equal(Misgen.Envs.EnvSpec.Parse(ExploreFixture.Setting).ToString(), await page.InputValueAsync("#spec"));
        Assert.True(await page.IsVisibleAsync("#levelCanvas"));
        Assert.Empty(errors);
    }

    /// <summary>
    /// Edits and patch updates timed in the page (edit to redrawn field, slider move to redrawn before/after fields and
    /// rollouts). By default a tiny network and 3 of each; MISGEN_EXPLORE_LATENCY=N measures N of each with the paper-size
    /// network (IMPALA 16/32/32, 64x64) on a 25x25 maze for BENCHMARKS.md. Times are printed, never asserted.
    /// </summary>
    [Fact]
    public async Task Edits_and_patch_updates_are_timed_in_the_page()
    {
        int bench = int.TryParse(Environment.GetEnvironmentVariable("MISGEN_EXPLORE_LATENCY"), out int n) && n > 0 ? n : 0;
        int edits = bench > 0 ? bench : 3;
        using var folder = new TempFolder("misgen-explore-latency-");
        var config = bench > 0 ? new Misgen.Nn.ImpalaConfig() : new Misgen.Nn.ImpalaConfig(32, 4, 8, 8, Hidden: 16);
        string spec = bench > 0 ? "maze:yellow-line@black;size=25" : ExploreFixture.Spec;
        Directory.CreateDirectory(folder["a"]);
        Misgen.Nn.Safetensors.Save(folder["a", "model.safetensors"], Misgen.Tests.Nn.ImpalaCnnTests.RandomModel(config, 2));
        await using var server = await Misgen.Explore.ExploreServer.StartAsync(
            new Misgen.Explore.Explorer(Misgen.Explore.ExploreAgents.FromInputs([folder["a"]])), "127.0.0.1", 0);
        var (playwright, browser) = await Launch();
        using var _ = playwright;
        await using var __ = browser;
        var (page, errors) = await Open(browser, server.Address, "?seed=0&spec=" + Uri.EscapeDataString(spec));
        var serverTimes = new List<double>();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < edits; i++)
        {
            string before = await page.EvaluateAsync<string>("JSON.stringify(state.field.probabilities)");
            var (x, y) = await PlainOpenCell(page, 7 * i + 5);
            await ClickCell(page, x, y);
            await Until(page, $"window.misgenLatencies.length >= {i + 1} && window.misgenBusy === 0");
            Assert.NotEqual(before, await page.EvaluateAsync<string>("JSON.stringify(state.field.probabilities)"));
            serverTimes.Add(await page.EvaluateAsync<double>("state.field.milliseconds"));
        }
        double cpuPerEdit = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / edits;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = folder["explore-25.png"] });
        Keep(folder["explore-25.png"]);
        // The field endpoint alone, from a client in this process: the level as the page last sent it.
        string request = await page.EvaluateAsync<string>("JSON.stringify(Object.assign(baseRequest(), { withLevel: true }))");
        using var http = new HttpClient { BaseAddress = server.Address };
        var endpointTimes = new List<double>();
        for (int i = 0; i < edits; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var response = await http.PostAsync("/api/field", new StringContent(request, System.Text.Encoding.UTF8, "application/json"));
            await response.Content.ReadAsStringAsync();
            endpointTimes.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
        await page.ClickAsync("button[data-tab='patchesTab']");
        await page.ClickAsync("#addVector");
        await Until(page, "window.misgenPatchLatencies.length >= 1 && window.misgenBusy === 0");
        for (int i = 0; i < edits; i++)
        {
            double coefficient = -3 + 0.2 * (i % 30);
            await page.EvaluateAsync($"() => {{ const s = document.querySelector('#patchRows input.coefficient'); s.value = '{coefficient.ToString(System.Globalization.CultureInfo.InvariantCulture)}'; s.dispatchEvent(new Event('input')); }}");
            await Until(page, $"window.misgenPatchLatencies.length >= {i + 2} && window.misgenBusy === 0");
        }
        Assert.Empty(errors);
        var editTimes = await page.EvaluateAsync<double[]>("window.misgenLatencies");
        var patchTimes = (await page.EvaluateAsync<double[]>("window.misgenPatchLatencies")).Skip(1).ToArray();
        Assert.Equal(edits, editTimes.Length);
        Assert.Equal(edits, patchTimes.Length);
        output.WriteLine($"{(bench > 0 ? "paper-size network, 25x25 maze" : "tiny network, 9x9 maze")}: edit to redrawn field over {editTimes.Length} edits: {Stats(editTimes)}");
        output.WriteLine($"  of which the field computed on the server: {Stats(serverTimes.ToArray())}; CPU of the test process (server and Playwright client) per edit: {cpuPerEdit:F0} ms");
        output.WriteLine($"POST /api/field (with the level's layout) from a client in the test process, {endpointTimes.Count} requests: {Stats(endpointTimes.ToArray())}");
        output.WriteLine($"patch update (coefficient slider to redrawn before/after fields and rollouts) over {patchTimes.Length}: {Stats(patchTimes)}");
    }

    private static string Stats(double[] times)
    {
        var sorted = times.Order().ToArray();
        double Percentile(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return System.FormattableString.Invariant($"median {Percentile(0.5):F0} ms, p95 {Percentile(0.95):F0} ms, min {sorted[0]:F0}, max {sorted[^1]:F0}");
    }
}
