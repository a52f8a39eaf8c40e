using Misgen.Envs;
using System.Text.Json;
using Misgen.Bench;
using Misgen.Media;

namespace Misgen.Tests.Envs;

public sealed class EnvVerbTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-envverbs-");
    private string folder => temp.Path;

    public void Dispose() => temp.Dispose();

    private static int Misgen(params string[] args) => VerbRunner.Run(args);

    [Theory]
    [InlineData("agent", "6", 384, 384)]
    [InlineData("human", "6", 512, 512)]
    [InlineData("channels", "2", 4 * 128 + 3 * 2, 128)]
    public void Render_writes_the_picture(string view, string scale, int width, int height)
    {
        string path = Path.Combine(folder, view + ".png");
        Assert.Equal(0, Misgen("render", "maze:red-line+yellow-gem@textured", "--level", "3", "--view", view, "--scale", scale, "--out", path));
        var image = Png.Read(path);
        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Fact]
    public void Render_channels_panels_are_the_rgb_channels_as_grey()
    {
        string path = Path.Combine(folder, "c.png");
        Assert.Equal(0, Misgen("render", "maze:red-line@black", "--view", "channels", "--scale", "1", "--out", path));
        var image = Png.Read(path);
        int w = image.Width;
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
                for (int c = 0; c < 3; c++)
                {
                    int panel = (y * w + x + (c + 1) * (64 + 2)) * 3;
                    byte composite = image.Rgb[(y * w + x) * 3 + c];
                    Assert.Equal((composite, composite, composite), (image.Rgb[panel], image.Rgb[panel + 1], image.Rgb[panel + 2]));
                }
    }

    [Fact]
    public void Render_grid_has_a_row_per_spec_and_a_column_per_level()
    {
        string path = Path.Combine(folder, "grid.png");
        Assert.Equal(0, Misgen("render", "maze:yellow-line@black", "maze:red-line+yellow-gem@grey", "--level", "0", "1", "2", "--scale", "1", "--size", "32", "--out", path));
        var image = Png.Read(path);
        Assert.Equal((3 * 32 + 2 * 4, 2 * 32 + 4), (image.Width, image.Height));
    }

    [Theory]
    [InlineData("render", "maze:mauve-line", "--out", "x.png")]
    [InlineData("render", "maze:red-line", "--view", "side", "--out", "x.png")]
    [InlineData("render", "maze:red-line", "--size", "2", "--out", "x.png")]
    [InlineData("render", "maze:red-line", "--level", "-4", "--out", "x.png")]
    [InlineData("bench", "gpu")]
    public void Bad_input_exits_2(params string[] args) => Assert.Equal(2, Misgen(args));

    [Fact]
    public void Envs_lists_and_exits_0() => Assert.Equal(0, Misgen("envs"));

    [Fact]
    public void Env_bench_reports_a_design_json_line()
    {
        var results = new List<BenchResult>();
        EnvBench.Run(new BenchOptions([1], Seconds: 0.05), results.Add);
        Assert.Equal(GameCatalogue.All.Select(g => $"{g.Name}-{g.DefaultObservationSize}"), results.Select(r => r.Case));
        var result = results[0];
        using var json = JsonDocument.Parse(result.ToJson());
        var root = json.RootElement;
        Assert.Equal("env", root.GetProperty("bench").GetString());
        Assert.Equal("maze-64", root.GetProperty("case").GetString());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.Equal("steps/s", root.GetProperty("unit").GetString());
        Assert.True(root.GetProperty("value").GetDouble() > 0);
        Assert.Equal(64, root.GetProperty("envs").GetInt32());
    }
}
