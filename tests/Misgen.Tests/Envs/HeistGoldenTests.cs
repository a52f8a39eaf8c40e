using System.Text.Json;
using Misgen.Envs;
using Misgen.Envs.Heist;

namespace Misgen.Tests.Envs;

/// <summary>
/// Every level of Data/heist-keys-chests.json, dumped from the original C++ (procgenAISC heist_aisc_many_chests
/// and heist_aisc_many_keys, procgen heist; hard mode): the maze picture with keys, chests, locks, gem and the
/// agent, the counts, the offset, the key floats bit for bit, the background draw and the number of mt19937
/// outputs the reset consumed.
/// </summary>
public sealed class HeistGoldenTests
{
    private static readonly Lazy<JsonDocument> Data = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "heist-keys-chests.json"))));

    [Theory]
    [InlineData("heist_aisc_many_chests", "heist:many-chests", 40)]
    [InlineData("heist_aisc_many_keys", "heist:many-keys", 40)]
    [InlineData("heist", "heist:classic", 20)]
    public void Every_golden_level_matches_the_original(string block, string spec, int expectedLevels)
    {
        var game = new HeistGame(EnvSpec.Parse(spec));
        var levels = Data.Value.RootElement.GetProperty(block).GetProperty("levels");
        Assert.True(levels.GetArrayLength() >= expectedLevels);
        foreach (var golden in levels.EnumerateArray())
        {
            int seed = golden.GetProperty("seed").GetInt32();
            game.Reset(seed);
            var level = game.Level;
            string where = $"{block} seed {seed}";
            Assert.True(golden.GetProperty("picture").EnumerateArray().Select(r => r.GetString()).SequenceEqual(game.Describe().Grid), where);
            Assert.Equal(golden.GetProperty("difficulty").GetInt32(), level.Difficulty);
            Assert.Equal(golden.GetProperty("maze_dim").GetInt32(), level.MazeSize);
            Assert.Equal(golden.GetProperty("maze_offset")[0].GetInt32(), level.OffsetX);
            Assert.Equal(golden.GetProperty("maze_offset")[1].GetInt32(), level.OffsetY);
            Assert.Equal(golden.GetProperty("num_keys").GetInt32(), level.NumKeys);
            Assert.Equal(golden.GetProperty("background_index").GetInt32(), level.BackgroundIndex);
            Assert.Equal(golden.GetProperty("bg_pct_x").GetSingle(), level.BackgroundOffset);
            Assert.Equal(golden.GetProperty("agent_pos")[0].GetSingle(), game.AgentX);
            Assert.Equal(golden.GetProperty("agent_pos")[1].GetSingle(), game.AgentY);
            Assert.True(golden.GetProperty("rng_draws").GetInt64() == level.RngDraws, $"{where}: rng draws {level.RngDraws}");

            var keys = Entities(level, HeistEntityKind.Key);
            var chests = Entities(level, block == "heist" ? HeistEntityKind.Lock : HeistEntityKind.Chest);
            if (block == "heist")
            {
                // procgen's heist lists keys and locks by colour (theme), not in creation order.
                keys = [.. keys.OrderBy(e => level.Themes[e])];
                chests = [.. chests.OrderBy(e => level.Themes[e])];
                AssertEntities(golden.GetProperty("keys").EnumerateArray(), level, keys, where);
                AssertEntities(golden.GetProperty("locks").EnumerateArray(), level, chests, where);
                AssertEntities([golden.GetProperty("gem")], level, Entities(level, HeistEntityKind.Gem), where);
            }
            else
            {
                Assert.Equal(golden.GetProperty("num_chests").GetInt32(), level.NumChests);
                Assert.Equal(golden.GetProperty("num_keys_placed").GetInt32(), keys.Count);
                Assert.Equal(golden.GetProperty("num_chests_placed").GetInt32(), chests.Count);
                AssertEntities(golden.GetProperty("key_entities").EnumerateArray(), level, keys, where);
                AssertEntities(golden.GetProperty("chest_entities").EnumerateArray(), level, chests, where);
            }
        }
    }

    private static List<int> Entities(HeistLevel level, HeistEntityKind kind) =>
        Enumerable.Range(0, level.EntityCount).Where(e => level.Kinds[e] == kind).ToList();

    private static void AssertEntities(IEnumerable<JsonElement> golden, HeistLevel level, List<int> entities, string where) =>
        AssertEntities(golden.ToArray(), level, entities, where);

    private static void AssertEntities(JsonElement[] golden, HeistLevel level, List<int> entities, string where)
    {
        Assert.True(golden.Length == entities.Count, $"{where}: {entities.Count} entities, expected {golden.Length}");
        for (int i = 0; i < golden.Length; i++)
        {
            var g = golden[i];
            int e = entities[i];
            Assert.True(g.GetProperty("x").GetSingle() == level.X[e] && g.GetProperty("y").GetSingle() == level.Y[e],
                $"{where}: entity {i} at ({level.X[e]}, {level.Y[e]}), expected ({g.GetProperty("x")}, {g.GetProperty("y")})");
            Assert.Equal(g.GetProperty("rx").GetSingle(), level.Rx[e]);
            Assert.Equal(g.GetProperty("ry").GetSingle(), level.Ry[e]);
            Assert.Equal(g.GetProperty("theme").GetInt32(), level.Themes[e]);
        }
    }

}
