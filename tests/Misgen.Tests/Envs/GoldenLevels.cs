using System.Text.Json;

namespace Misgen.Tests.Envs;

/// <summary>The golden levels the original C++ produced (Data/maze-colour-shape.json; docs/ORIGINS.md §2).</summary>
internal static class GoldenLevels
{
    public sealed record Level(
        int Seed, int BackgroundIndex, (int X, int Y) AgentStart, (int X, int Y)[] OpenCells, (int X, int Y)[] KruskalOpenCells,
        (int X, int Y) Goal, (int X, int Y) Obj1, (int X, int Y) Obj2, int DrawsTrain, int DrawsDuel,
        string[] PictureTrain, string[] PictureDuel);

    private static readonly Lazy<Level[]> All = new(Load);

    public static IReadOnlyList<Level> Levels => All.Value;

    public static IEnumerable<object[]> Seeds() => Levels.Select(l => new object[] { l.Seed });

    public static Level Get(int seed) => Levels.Single(l => l.Seed == seed);

    private static Level[] Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "maze-colour-shape.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("levels").EnumerateArray().Select(l => new Level(
            l.GetProperty("seed").GetInt32(),
            l.GetProperty("background_index").GetInt32(),
            Cell(l.GetProperty("agent_start")),
            l.GetProperty("open_cells").EnumerateArray().Select(Cell).ToArray(),
            l.GetProperty("kruskal_open_cells").EnumerateArray().Select(Cell).ToArray(),
            Cell(l.GetProperty("goal")),
            Cell(l.GetProperty("duel").GetProperty("obj1")),
            Cell(l.GetProperty("duel").GetProperty("obj2")),
            l.GetProperty("rng_draws").GetProperty("maze_pure_yellowline").GetInt32(),
            l.GetProperty("rng_draws").GetProperty("maze_colorsobjects_duel").GetInt32(),
            l.GetProperty("picture_train").EnumerateArray().Select(s => s.GetString()!).ToArray(),
            l.GetProperty("picture_duel").EnumerateArray().Select(s => s.GetString()!).ToArray())).ToArray();
    }

    private static (int, int) Cell(JsonElement e) => (e[0].GetInt32(), e[1].GetInt32());
}
