using System.Text.Json;
using Misgen.Envs;
using Misgen.Envs.Cheese;

namespace Misgen.Tests.Envs;

/// <summary>
/// Every level of Data/maze-cheese.json (procgen's maze and maze_aisc with rand_region=5, hard, seeds 0..49, dumped
/// from the original C++): the maze, the cheese, the background and the number of mt19937 draws must agree.
/// </summary>
public sealed class CheeseGoldenTests
{
    public sealed record Golden(string Game, int Seed, int BackgroundIndex, int MazeDim, (int X, int Y) AgentStart, (int X, int Y)? Cheese, int Draws, string[] Picture);

    private static readonly Lazy<Golden[]> All = new(Load);

    public static IEnumerable<object[]> Cases() => All.Value.Select(g => new object[] { g.Game, g.Seed });

    private static Golden[] Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "maze-cheese.json")));
        Assert.Equal(25, doc.RootElement.GetProperty("world_dim").GetInt32());
        Assert.Equal(5, doc.RootElement.GetProperty("maze_aisc").GetProperty("rand_region").GetInt32());
        return new[] { "maze", "maze_aisc" }.SelectMany(game => doc.RootElement.GetProperty(game).GetProperty("levels").EnumerateArray().Select(l => new Golden(
            game,
            l.GetProperty("seed").GetInt32(),
            l.GetProperty("background_index").GetInt32(),
            l.GetProperty("maze_dim").GetInt32(),
            Cell(l.GetProperty("agent_start"))!.Value,
            Cell(l.GetProperty("cheese")),
            l.GetProperty("rng_draws").GetInt32(),
            l.GetProperty("picture").EnumerateArray().Select(s => s.GetString()!).ToArray()))).ToArray();
    }

    private static (int, int)? Cell(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : (e[0].GetInt32(), e[1].GetInt32());

    [Fact]
    public void The_data_holds_fifty_levels_of_each_game()
    {
        Assert.Equal(50, All.Value.Count(g => g.Game == "maze"));
        Assert.Equal(50, All.Value.Count(g => g.Game == "maze_aisc"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Layout_cheese_background_and_draws_match_the_original(string gameName, int seed)
    {
        var golden = All.Value.Single(g => g.Game == gameName && g.Seed == seed);
        var game = new CheeseGame(EnvSpec.Parse(gameName == "maze" ? "cheese" : "cheese;region=5"));
        game.Reset(seed);
        Assert.Equal(golden.BackgroundIndex, game.Level.BackgroundIndex);
        Assert.Equal(golden.MazeDim, game.Level.MazeSize);
        Assert.Equal(golden.AgentStart, game.StartCell);
        Assert.Equal(golden.AgentStart, (game.AgentX, game.AgentY));
        Assert.Equal(golden.Cheese, game.Goals.Count == 0 ? null : (game.Goals[0].X, game.Goals[0].Y));
        Assert.Equal(golden.Draws, game.Level.RngDraws);
        // The picture in the data's alphabet: '1' is the cheese.
        var ours = game.Describe().Grid.Select(r => r.Replace('C', '1')).ToArray();
        Assert.Equal(golden.Picture, ours);
    }
}
