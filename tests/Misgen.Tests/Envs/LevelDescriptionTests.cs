using System.Text.Json;
using Misgen.Envs;

namespace Misgen.Tests.Envs;

/// <summary>`misgen level`: every golden level described in words is the original's picture, in the documented JSON shape.</summary>
public sealed class LevelDescriptionTests
{
    [Theory]
    [MemberData(nameof(GoldenLevels.Seeds), MemberType = typeof(GoldenLevels))]
    public void A_golden_level_reads_as_the_originals_picture(int seed)
    {
        var g = GoldenLevels.Get(seed);
        foreach (var (spec, picture) in new[] { ("maze:yellow-line@black", g.PictureTrain), ("maze:red-line+yellow-gem@textured", g.PictureDuel) })
        {
            var envSpec = EnvSpec.Parse(spec);
            var game = envSpec.Game.CreateGame(envSpec);
            game.Reset(seed);
            var description = game.Describe();
            Assert.Equal(picture, description.Grid);
            Assert.Equal((5, 5, 0.5, 0.5), (description.Width, description.Height, description.AgentX, description.AgentY));
            var obj1 = description.Entities.Single(e => e.Type == "obj1");
            Assert.Equal((g.Obj1.X + 0.5, g.Obj1.Y + 0.5), (obj1.X, obj1.Y));
        }
    }

    [Fact]
    public void The_verb_prints_the_documented_json()
    {
        var g = GoldenLevels.Get(100003);
        string text = ConsoleCapture.Run(() => Assert.Equal(0, VerbRunner.Run("level", "maze:red-line+yellow-gem@textured", "--level", "100003", "--json")));
        string line = text.Split('\n').Single(l => l.StartsWith("{\"spec\"", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("maze:red-line+yellow-gem@textured", root.GetProperty("spec").GetString());
        Assert.Equal(100003, root.GetProperty("seed").GetInt32());
        Assert.Equal(g.PictureDuel, root.GetProperty("grid").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Equal("wall", root.GetProperty("legend").GetProperty("#").GetString());
        var obj2 = root.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "obj2");
        Assert.Equal((g.Obj2.X + 0.5, g.Obj2.Y + 0.5), (obj2.GetProperty("x").GetDouble(), obj2.GetProperty("y").GetDouble()));
        Assert.Equal("yellow-gem", obj2.GetProperty("object").GetString());
        Assert.Equal(0.5, root.GetProperty("agent").GetProperty("y").GetDouble());
        Assert.Equal(2, VerbRunner.Run("level", "maze:mauve-line", "--level", "1"));
        Assert.Equal(2, VerbRunner.Run("level", "maze:red-line", "--level", "-4"));
    }
}
