using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Misgen.Envs;
using Misgen.Explore;
using Misgen.Interp;
using Misgen.Nn;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Explore;

/// <summary>A tiny agent and a running explorer on a free loopback port, shared by one test class.</summary>
public sealed class ExploreFixture : IAsyncLifetime
{
    public const string Spec = "maze:yellow-line@black;size=9";

    private readonly TempFolder folder = new("misgen-explore-");

    public ImpalaCnn Model { get; } = ImpalaCnnTests.RandomModel(new ImpalaConfig(32, 4, 8, 8, Hidden: 16), 1);

    public string AgentDirectory => folder["agents", "s1"];

    public string Root => folder.Path;

    public ExploreServer Server { get; private set; } = null!;

    /// <summary>The same agent served from a results.db (study mode).</summary>
    public ExploreServer StudyServer { get; private set; } = null!;

    public const string Setting = "maze:red-line+yellow-gem@black;size=9;timeout=30";

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(AgentDirectory);
        Safetensors.Save(Path.Combine(AgentDirectory, "model.safetensors"), Model);
        File.WriteAllText(Path.Combine(AgentDirectory, "agent.yaml"), $"env: \"{Spec}\"\n");
        Server = await ExploreServer.StartAsync(new Explorer(ExploreAgents.FromInputs([folder["agents"]])), "127.0.0.1", 0);
        Http.BaseAddress = Server.Address;
        string db = folder["results.db"];
        if (VerbRunner.Run("eval", AgentDirectory, "--setting", Setting, "--levels", "10", "--out", db) != 0)
            throw new InvalidOperationException("misgen eval failed to make the study's results.db");
        StudyServer = await ExploreServer.StartAsync(new Explorer(ExploreAgents.FromInputs([db])), "127.0.0.1", 0);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await StudyServer.DisposeAsync();
        Http.Dispose();
        folder.Dispose();
    }
}

public sealed class ExploreServerTests(ExploreFixture fx) : IClassFixture<ExploreFixture>
{
    private async Task<(HttpStatusCode Status, JsonNode Body)> Post(string path, object body)
    {
        using var response = await fx.Http.PostAsJsonAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!);
    }

    private async Task<JsonNode> Ok(string path, object body)
    {
        var (status, json) = await Post(path, body);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {json}");
        return json;
    }

    private static float[] Floats(JsonNode? node) => node!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray();

    private static IGridAgentGame Seeded(int seed) => new LevelSource(EnvSpec.Parse(ExploreFixture.Spec), seed).CreateGrid();

    [Fact]
    public async Task The_page_loads_nothing_from_elsewhere_and_info_names_the_agent()
    {
        string page = await fx.Http.GetStringAsync("/");
        Assert.Contains("<canvas id=\"levelCanvas\"", page);
        Assert.DoesNotContain("http://", page);
        Assert.DoesNotContain("https://", page);
        Assert.DoesNotContain("src=\"/", page);
        var info = JsonNode.Parse(await fx.Http.GetStringAsync("/api/info"))!;
        Assert.Equal("s1", (string)info["agents"]![0]!["name"]!);
        Assert.Equal(ExploreFixture.Spec, (string)info["agents"]![0]!["trainSpec"]!);
        Assert.Contains("embedder.block2.res1.resadd", info["layers"]!.AsArray().Select(l => (string)l!));
    }

    [Fact]
    public async Task A_seed_level_comes_with_its_grid_and_three_pictures()
    {
        var level = await Ok("/api/level", new { agent = "s1", level = new { seed = 4 } });
        Assert.Equal(Seeded(4).Describe().Grid, level["grid"]!.AsArray().Select(r => (string)r!));
        Assert.True((bool)level["editable"]!);
        Assert.Equal(81, level["areas"]!.AsArray().Count);
        foreach (string view in new[] { "agentView", "levelView", "humanView" })
        {
            var png = Convert.FromBase64String((string)level[view]!);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        }
        var image = Misgen.Media.Png.Decode(Convert.FromBase64String((string)level["agentView"]!));
        Assert.Equal(32, image.Width);
    }

    [Fact]
    public async Task The_field_matches_the_library_and_a_toggled_wall_changes_it()
    {
        var game = Seeded(2);
        var expected = VectorField.Compute(fx.Model, game);
        var field = await Ok("/api/field", new { agent = "s1", level = new { seed = 2 } });
        Assert.Equal(expected.Cells.Count, field["cells"]!.AsArray().Count);
        var p = Floats(field["probabilities"]);
        Assert.Equal(expected.Probabilities.Length, p.Length);
        for (int i = 0; i < p.Length; i++) Assert.True(Math.Abs(expected.Probabilities[i] - p[i]) < 1e-5, $"cell value {i}: {p[i]} vs {expected.Probabilities[i]}");
        int groups = field["groups"]!.AsArray().Count;
        for (int c = 0; c < expected.Cells.Count; c++) Assert.Equal(1.0, p.Skip(c * groups).Take(groups).Sum(), 3);
        Assert.Null(field["before"]);
        var (square, reason) = DecisionSquare.Find(game);
        if (square is null) Assert.Equal(reason, (string)field["decision"]!["reason"]!);
        else
        {
            Assert.Equal((square.X, square.Y), ((int)field["decision"]!["x"]!, (int)field["decision"]!["y"]!));
            // The page's number is read from the field; the library computes it with its own forward pass.
            Assert.Equal(square.Probabilities(fx.Model, game).TowardGoal, (float)(double)field["decision"]!["pGoal"]!, 4);
        }

        // Close one open cell that is neither the agent's nor a goal's: one arrow fewer, and the rest move.
        var rows = game.Describe().Grid.ToArray();
        int row = Array.FindIndex(rows, r => r.Contains('.'));
        int col = rows[row].IndexOf('.');
        rows[row] = rows[row][..col] + "#" + rows[row][(col + 1)..];
        var edited = await Ok("/api/field", new { agent = "s1", level = new { grid = rows }, withLevel = true });
        Assert.Equal(expected.Cells.Count - 1, edited["cells"]!.AsArray().Count);
        Assert.Equal(rows, edited["level"]!["grid"]!.AsArray().Select(r => (string)r!));
        Assert.Null(edited["level"]!["humanView"]);

        // "before": false leaves out the unpatched field the page already has.
        var patched = await Ok("/api/field", new
        {
            agent = "s1", level = new { seed = 2 }, before = false,
            patches = new object[] { new { kind = "zero", layer = "embedder.relu3", channels = "all" } },
        });
        Assert.Null(patched["before"]);
        Assert.NotEqual(p, Floats(patched["probabilities"]));
    }

    [Fact]
    public async Task Channel_search_labels_appear_under_the_layers_channels()
    {
        var before = await Ok("/api/channels", new { agent = "s1", level = new { seed = 1 }, layer = "embedder.relu3", spec = ExploreFixture.Spec + ";timeout=40" });
        Assert.Null(before["labels"]);
        var search = await Ok("/api/labels", new { agent = "s1", layer = "embedder.relu3", pairs = 8, spec = ExploreFixture.Spec + ";timeout=40" });
        var labels = search["labels"]!.AsObject();
        Assert.True((int)search["pairs"]! > 0);
        Assert.NotEmpty(labels);
        Assert.All(labels, kv => Assert.Contains((string)kv.Value!, new[] { "left", "down", "up", "right" }));
        var after = await Ok("/api/channels", new { agent = "s1", level = new { seed = 1 }, layer = "embedder.relu3", spec = ExploreFixture.Spec + ";timeout=40" });
        Assert.Equal(labels.ToJsonString(), after["labels"]!.ToJsonString());
    }

    [Fact]
    public async Task The_cheese_maze_is_edited_and_its_cheese_vector_applied_through_the_catalogue_alone()
    {
        const string cheese = "cheese;world=9;size=9";
        var level = await Ok("/api/level", new { agent = "s1", spec = cheese, level = new { seed = 4 } });
        Assert.True((bool)level["editable"]!);
        Assert.Equal("cheese", (string)level["goals"]![0]!["name"]!);
        var rows = level["grid"]!.AsArray().Select(r => (string)r!).ToArray();
        var withoutCheese = rows.Select(r => r.Replace('C', '.')).ToArray();
        // The cheese vector's recipe: act(with cheese) - act(without), subtracted.
        var field = await Ok("/api/field", new
        {
            agent = "s1", spec = cheese, level = new { grid = rows },
            patches = new object[] { new { kind = "add", layer = "embedder.block2.res1.resadd", coefficient = -1.0, b = new { grid = withoutCheese } } },
        });
        Assert.NotEqual(Floats(field["before"]), Floats(field["probabilities"]));
        // Applied to the level without the cheese, with the vector taken there too, it changes nothing.
        var same = await Ok("/api/field", new
        {
            agent = "s1", spec = cheese, level = new { grid = withoutCheese },
            patches = new object[] { new { kind = "add", layer = "embedder.block2.res1.resadd", coefficient = -1.0, b = new { grid = withoutCheese } } },
        });
        Assert.Equal(Floats(same["before"]), Floats(same["probabilities"]));
    }

    [Fact]
    public async Task A_game_that_cannot_build_levels_from_a_grid_is_shown_but_not_editable()
    {
        var level = await Ok("/api/level", new { agent = "s1", spec = "room", level = new { seed = 3 } });
        Assert.False((bool)level["editable"]!);
        var field = await Ok("/api/field", new { agent = "s1", spec = "room", level = new { seed = 3 } });
        Assert.True(field["cells"]!.AsArray().Count > 0);
        var (status, body) = await Post("/api/field", new { agent = "s1", spec = "room", level = new { grid = level["grid"] } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("cannot build levels from a grid", (string)body["error"]!);
    }

    [Fact]
    public async Task Policy_gives_probabilities_and_value_and_a_zero_patch_changes_them()
    {
        var plain = await Ok("/api/policy", new { agent = "s1", level = new { seed = 1 }, at = new { x = 0, y = 0 } });
        Assert.Equal(1.0, Floats(plain["probabilities"]).Sum(), 3);
        var patched = await Ok("/api/policy", new
        {
            agent = "s1", level = new { seed = 1 }, at = new { x = 0, y = 0 },
            patches = new object[] { new { kind = "zero", layer = "embedder.relu3", channels = "all" } },
        });
        Assert.Equal(Floats(plain["probabilities"]), Floats(patched["before"]!["probabilities"]));
        Assert.NotEqual(Floats(plain["probabilities"]), Floats(patched["probabilities"]));
        Assert.Equal("zero:embedder.relu3:all", (string)patched["patches"]![0]!);
        // With relu3 all zero the head sees a constant: the output is the same on every level.
        var other = await Ok("/api/policy", new
        {
            agent = "s1", level = new { seed = 6 },
            patches = new object[] { new { kind = "zero", layer = "embedder.relu3", channels = "all" } },
        });
        Assert.Equal(Floats(patched["probabilities"]), Floats(other["probabilities"]));
    }

    [Fact]
    public async Task Channels_have_the_layers_shape_and_a_level_pair_of_one_level_changes_nothing()
    {
        var ch = await Ok("/api/channels", new { agent = "s1", level = new { seed = 3 }, layer = "embedder.block2.res1.resadd" });
        var (c, h, w) = fx.Model.HookShape("embedder.block2.res1.resadd");
        Assert.Equal((c, h, w), ((int)ch["channels"]!, (int)ch["height"]!, (int)ch["width"]!));
        Assert.Equal(c * h * w, ch["values"]!.AsArray().Count);
        // act(A) - act(A) = 0: the field is unchanged (difference exactly zero).
        var field = await Ok("/api/field", new
        {
            agent = "s1", level = new { seed = 3 },
            patches = new object[] { new { kind = "add", layer = "embedder.block2.res1.resadd", coefficient = -1.0, a = new { seed = 3 }, b = new { seed = 3 } } },
        });
        Assert.Equal(Floats(field["before"]), Floats(field["probabilities"]));
    }

    [Theory]
    [InlineData("/api/field", "{\"agent\":\"nobody\"}", 404, "unknown agent 'nobody'")]
    [InlineData("/api/field", "{\"agent\":\"../../etc/passwd\"}", 404, "unknown agent")]
    [InlineData("/api/field", "{\"agent\":\"s1\",\"level\":{\"seed\":-4}}", 400, "'level.seed' is -4")]
    [InlineData("/api/field", "{\"agent\":\"s1\",\"level\":{\"grid\":[\"##\",\"..\"]}}", 400, "the grid has 2 rows")]
    [InlineData("/api/field", "{\"agent\":\"s1\",\"level\":{\"grid\":\"#\"}}", 400, "must be a list")]
    [InlineData("/api/field", "{\"agent\":\"s1\",\"spec\":\"maze:purple-thing\"}", 400, "purple-thing")]
    [InlineData("/api/field", "not json", 400, "not valid JSON")]
    [InlineData("/api/field", "[1,2]", 400, "must be a JSON object")]
    [InlineData("/api/policy", "{\"agent\":\"s1\",\"at\":{\"x\":99,\"y\":0}}", 400, "'at.x' is 99")]
    [InlineData("/api/channels", "{\"agent\":\"s1\",\"layer\":\"embedder.nothing\"}", 400, "unknown layer")]
    [InlineData("/api/field", "{\"agent\":\"s1\",\"patches\":[{\"kind\":\"zero\",\"layer\":\"embedder.relu3\",\"channels\":\"1;rm\"}]}", 400, "channels '1;rm' are invalid")]
    [InlineData("/api/field", "{\"agent\":\"s1\",\"patches\":[{\"kind\":\"zero\",\"layer\":\"embedder.relu3\",\"channels\":\"999\"}]}", 400, "999")]
    [InlineData("/api/field", "{\"agent\":\"s1\",\"patches\":[{\"kind\":\"resample\",\"layer\":\"embedder.relu3\"}]}", 400, "unknown patch kind 'resample'")]
    [InlineData("/api/field", "{\"agent\":\"s1\",\"patches\":[{\"kind\":\"scale\",\"layer\":\"embedder.relu3\",\"channels\":\"1\",\"factor\":1e9}]}", 400, "'patches[0].factor'")]
    public async Task Bad_input_is_a_4xx_with_a_message_never_a_500(string path, string body, int status, string message)
    {
        using var response = await fx.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, (int)response.StatusCode);
        string error = (string)JsonNode.Parse(text)!["error"]!;
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error); // no stack trace
    }

    [Fact]
    public async Task Path_traversal_and_huge_bodies_reach_nothing()
    {
        foreach (string path in new[] { "/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/../../etc/hostname", "/explore.html", "/Misgen.Explore.dll" })
        {
            using var response = await fx.Http.GetAsync(path);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("root:", text);
        }
        // A grid of 1,000 rows of 1,000 characters: refused before any game sees it (413, or the connection closed
        // while the body is still being sent), and the server still answers.
        string row = new('#', 1000);
        var huge = JsonSerializer.Serialize(new { agent = "s1", level = new { grid = Enumerable.Repeat(row, 1000) } });
        try
        {
            using var big = await fx.Http.PostAsync("/api/field", new StringContent(huge, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        }
        catch (HttpRequestException)
        {
        }
        Assert.Contains("\"s1\"", await fx.Http.GetStringAsync("/api/info"));
        var wide = JsonSerializer.Serialize(new { agent = "s1", level = new { grid = Enumerable.Repeat(new string('#', 65), 9) } });
        using var tooWide = await fx.Http.PostAsync("/api/field", new StringContent(wide, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, tooWide.StatusCode);
    }

    [Fact]
    public async Task A_hundred_requests_at_once_all_succeed_and_info_stays_responsive()
    {
        var requests = Enumerable.Range(0, 100).Select(i => fx.Http.PostAsJsonAsync("/api/field", new { agent = "s1", level = new { seed = i % 10 } })).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string info = await fx.Http.GetStringAsync("/api/info");
        var infoTime = clock.Elapsed;
        Assert.Contains("\"s1\"", info);
        var responses = await Task.WhenAll(requests);
        var allTime = clock.Elapsed;
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var r in responses) r.Dispose();
        // Responsive: answered within 5 s, or, on a machine so loaded that the hundred fields take far longer, while they
        // are still being computed rather than queued behind them (5 s alone failed under load, the relative bound alone
        // when the hundred tiny fields took as little time as the connection set-up).
        Assert.True(infoTime < TimeSpan.FromSeconds(5) || infoTime < allTime / 2,
            $"/api/info took {infoTime.TotalMilliseconds:F0} ms, the hundred fields {allTime.TotalMilliseconds:F0} ms: it waited behind them");
    }

    [Fact]
    public void The_verb_refuses_missing_agents_a_bad_host_and_a_bad_port_with_exit_code_2()
    {
        Assert.Equal(2, VerbRunner.Run("explore", Path.Combine(fx.Root, "missing")));
        Assert.Equal(2, VerbRunner.Run("explore", Path.Combine(fx.Root, "missing.db")));
        Assert.Equal(2, VerbRunner.Run("explore", fx.AgentDirectory, "--host", "not a host"));
        Assert.Equal(2, VerbRunner.Run("explore", fx.AgentDirectory, "--port", "70000"));
    }

    [Fact]
    public async Task A_greedy_rollout_follows_the_most_probable_actions_and_matches_its_frames()
    {
        var r = await Ok("/api/rollout", new { agent = "s1", level = new { seed = 2 }, maxSteps = 12 });
        var steps = r["steps"]!.AsArray();
        Assert.InRange(steps.Count, 1, 12);
        Assert.Equal(steps.Count + 1, r["frames"]!.AsArray().Count);
        var groups = r["groups"]!.AsArray().Select(g => (string)g!).ToList();
        var game = Seeded(2);
        Assert.Equal((game.StartCell.X, game.StartCell.Y), ((int)steps[0]!["x"]!, (int)steps[0]!["y"]!));
        var logits = new float[fx.Model.Config.Actions];
        var value = new float[1];
        foreach (var step in steps)
        {
            // Independently: the agent's own forward pass on the game stepped alongside.
            Assert.Equal((game.AgentX, game.AgentY), ((int)step!["x"]!, (int)step["y"]!));
            fx.Model.Forward(Observations.Of(game, 32), 1, logits, value);
            int best = Array.IndexOf(logits, logits.Max());
            Assert.Equal(best, (int)step["action"]!);
            game.Step(best);
        }
        var frame = Misgen.Media.Png.Decode(Convert.FromBase64String((string)r["frames"]![0]!));
        Assert.Equal(32, frame.Width);
        Assert.Contains((string)r["outcome"]!, new[] { "running", "obj1", "timeout" });
        // Sampled rollouts with one seed repeat exactly.
        var s1 = await Ok("/api/rollout", new { agent = "s1", level = new { seed = 2 }, mode = "sample", sampleSeed = 9, frames = false });
        var s2 = await Ok("/api/rollout", new { agent = "s1", level = new { seed = 2 }, mode = "sample", sampleSeed = 9, frames = false });
        Assert.Equal(s1["steps"]!.ToJsonString(), s2["steps"]!.ToJsonString());
        Assert.Null(s1["frames"]);
    }

    [Fact]
    public async Task A_patched_rollout_also_gives_the_unpatched_path_and_attribution_covers_every_step()
    {
        var r = await Ok("/api/rollout", new
        {
            agent = "s1", level = new { seed = 3 }, frames = false, maxSteps = 8,
            patches = new object[] { new { kind = "scale", layer = "embedder.fc", channels = "all", factor = 1.0 } },
        });
        // Scaling by 1 changes nothing: the unpatched path is the patched one.
        var path = r["steps"]!.AsArray().Select(s => $"{s!["x"]},{s["y"]}").Append($"{r["final"]!["x"]},{r["final"]!["y"]}");
        Assert.Equal(path, r["before"]!["path"]!.AsArray().Select(c => $"{c![0]},{c[1]}"));

        int steps = r["steps"]!.AsArray().Count;
        var a = await Ok("/api/attribution", new { agent = "s1", level = new { seed = 3 }, maxSteps = 8, step = steps, target = "value", method = "integrated", igSteps = 32 });
        var image = Misgen.Media.Png.Decode(Convert.FromBase64String((string)a["overlay"]!));
        Assert.Equal(32, image.Width);
        // Integrated gradients' completeness: the attributions sum to F(x) - F(black), up to the 32-step Riemann error.
        var black = new float[1];
        fx.Model.Forward(new byte[32 * 32 * 3], 1, new float[fx.Model.Config.Actions], black);
        double expected = (double)a["output"]! - black[0], total = (double)a["total"]!;
        Assert.True(Math.Abs(total - expected) <= 0.05 * Math.Abs(expected) + 0.01, $"attributions sum to {total}, F(x) - F(0) = {expected}");
        var (status, body) = await Post("/api/attribution", new { agent = "s1", level = new { seed = 3 }, maxSteps = 8, step = steps + 1 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'step'", (string)body["error"]!);
    }

    [Fact]
    public async Task Attribution_with_a_patch_is_the_patched_networks_the_one_the_rollout_runs()
    {
        var patches = new object[] { new { kind = "zero", layer = "embedder.block1.conv", channels = "0,1" } };
        foreach (string method in new[] { "gradient", "integrated" })
        {
            // Step 0's frame is the level's start whatever the patches, so the two answers can differ only by the network.
            var plain = await Ok("/api/attribution", new { agent = "s1", level = new { seed = 3 }, maxSteps = 8, step = 0, target = "value", method });
            var patched = await Ok("/api/attribution", new { agent = "s1", level = new { seed = 3 }, maxSteps = 8, step = 0, target = "value", method, patches });
            Assert.Equal("zero:embedder.block1.conv:0,1", (string)patched["patches"]![0]!);
            Assert.Empty(plain["patches"]!.AsArray());
            var a = Misgen.Media.Png.Decode(Convert.FromBase64String((string)plain["overlay"]!));
            var b = Misgen.Media.Png.Decode(Convert.FromBase64String((string)patched["overlay"]!));
            int differing = 0;
            for (int i = 0; i < a.Rgb.Length; i++) if (a.Rgb[i] != b.Rgb[i]) differing++;
            Assert.True(differing > a.Rgb.Length / 20, $"{method}: the patched heatmap differs from the unpatched one in {differing} of {a.Rgb.Length} bytes");
            Assert.NotEqual((double)plain["total"]!, (double)patched["total"]!);

            // The target explained is the value the rollouts report at that step: patched with the patch, plain without.
            var rollout = await Ok("/api/rollout", new { agent = "s1", level = new { seed = 3 }, maxSteps = 8, frames = false, patches });
            var unpatched = await Ok("/api/rollout", new { agent = "s1", level = new { seed = 3 }, maxSteps = 8, frames = false });
            Assert.Equal((double)rollout["steps"]![0]!["value"]!, (double)patched["output"]!, 4);
            Assert.Equal((double)unpatched["steps"]![0]!["value"]!, (double)plain["output"]!, 4);
            Assert.True(Math.Abs((double)plain["output"]! - (double)patched["output"]!) > 1e-4, "the patch does not change the value; the test would show nothing");
        }
    }

    [Fact]
    public async Task Study_mode_serves_the_reports_scatter_with_the_agent_named_and_loadable()
    {
        using var http = new HttpClient { BaseAddress = fx.StudyServer.Address };
        var info = JsonNode.Parse(await http.GetStringAsync("/api/info"))!;
        Assert.True((bool)info["study"]!);
        Assert.Equal("s1", (string)info["agents"]![0]!["name"]!);
        using var response = await http.PostAsJsonAsync("/api/study", new { });
        var study = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var setting = study["settings"]![0]!;
        Assert.Equal(EnvSpec.Parse(ExploreFixture.Setting).ToString(), (string)setting["spec"]!);
        Assert.Contains("<title>s1: ", (string)setting["svg"]!);
        using var field = await http.PostAsJsonAsync("/api/field", new { agent = "s1", spec = (string)setting["spec"]!, level = new { seed = 1 } });
        Assert.Equal(HttpStatusCode.OK, field.StatusCode);
        // Without a results.db there is no study.
        var (status, body) = await Post("/api/study", new { });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not a results.db", (string)body["error"]!);
    }
}
