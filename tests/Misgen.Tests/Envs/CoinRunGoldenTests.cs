using System.Text.Json;
using Misgen.Envs;
using Misgen.Envs.CoinRun;

namespace Misgen.Tests.Envs;

/// <summary>
/// CoinRun levels against the original C++ (Data/coinrun.json: procgen's coinrun, the AISC fork's coinrun at
/// random_percent=0 and coinrun_aisc, seeds 0..39 each, hard mode; docs/COINRUN.md): every tile, entity, theme,
/// coin place and the number of generator draws.
/// </summary>
public sealed class CoinRunGoldenTests
{
    private static readonly Lazy<JsonDocument> Data = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "coinrun.json"))));

    public static IEnumerable<object[]> Blocks() =>
        [["coinrun", "coinrun"], ["coinrun_aiscfork_rp0", "coinrun:fork"], ["coinrun_aisc", "coinrun:aisc"]];

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Every_golden_level_is_generated_as_the_original_generated_it(string block, string spec)
    {
        var game = new CoinRunGame(EnvSpec.Parse(spec));
        var levels = Data.Value.RootElement.GetProperty(block).GetProperty("levels");
        Assert.Equal(40, levels.GetArrayLength());
        foreach (var golden in levels.EnumerateArray())
        {
            int seed = golden.GetProperty("seed").GetInt32();
            game.Reset(seed);
            var level = game.Level;
            string where = $"{block} seed {seed}";
            Assert.True(golden.GetProperty("difficulty").GetInt32() == level.Difficulty, where);
            Assert.True(golden.GetProperty("num_sections").GetInt32() == level.NumSections, where);
            Assert.True(golden.GetProperty("danger_type").GetInt32() == level.DangerType, where);
            Assert.True(Optional(golden, "random_coin_section") == level.RandomCoinSection, where);
            Assert.True(Optional(golden, "rand_check") == level.RandCheck, where);
            Assert.True(golden.GetProperty("agent_skin").GetInt32() == level.AgentSkin, where);
            Assert.True(golden.GetProperty("wall_theme").GetInt32() == level.WallTheme, where);
            Assert.True(golden.GetProperty("background_index").GetInt32() == level.BackgroundIndex, where);
            Assert.True(golden.GetProperty("bg_pct_x").GetSingle() == level.BackgroundOffset, where);
            Assert.True(Cell(golden.GetProperty("coin")) == level.CoinCell, where);
            Assert.True(Cell(golden.GetProperty("invisible_coin")) == level.MarkerCell, where);
            Assert.True(golden.GetProperty("end_x").GetInt32() == level.EndCell.X, where);
            Assert.True(golden.GetProperty("rng_draws").GetInt64() == level.RngDraws, where);
            var start = golden.GetProperty("agent_start");
            Assert.True((start.GetProperty("x").GetSingle(), start.GetProperty("y").GetSingle()) == (game.AgentX, game.AgentY), where);

            string[] picture = [.. golden.GetProperty("picture").EnumerateArray().Select(r => r.GetString()!)];
            Assert.Equal(picture, level.Picture());
            Assert.Equal(picture, game.Describe().Grid);

            var entities = golden.GetProperty("entities");
            Assert.True(entities.GetArrayLength() == level.EntityCount, where);
            int i = 0;
            foreach (var e in entities.EnumerateArray())
            {
                string type = e.GetProperty("type").GetString()!;
                Assert.Equal((type, e.GetProperty("x").GetSingle(), e.GetProperty("y").GetSingle(), e.GetProperty("vx").GetSingle()),
                    (level.Kinds[i].ToString().ToLowerInvariant(), level.X[i], level.Y[i], level.Vx[i]));
                if (type != "saw") Assert.True(e.GetProperty("theme").GetInt32() == level.Themes[i], $"{where} entity {i}");
                i++;
            }
        }
    }

    [Fact]
    public void The_fork_at_random_percent_100_swaps_the_coin_and_the_marker_of_the_same_level()
    {
        // The README of the data: with random_percent=100 the same level has the two places swapped.
        var rp0 = new CoinRunGame(EnvSpec.Parse("coinrun:fork"));
        var rp100 = new CoinRunGame(EnvSpec.Parse("coinrun:fork;random_percent=100"));
        for (int seed = 0; seed < 40; seed++)
        {
            rp0.Reset(seed);
            rp100.Reset(seed);
            Assert.Equal(rp0.Level.CoinCell, rp100.Level.MarkerCell);
            Assert.Equal(rp0.Level.MarkerCell, rp100.Level.CoinCell);
            Assert.Equal(rp0.Level.RngDraws, rp100.Level.RngDraws);
            Assert.True(rp100.Level.RandomizedCoin);
        }
    }

    [Fact]
    public void Pit_width_and_step_height_come_from_float32_arithmetic()
    {
        // 0.5f * 2 * 1.5f / 0.2f rounds to 7.5f in float32 (6.999... in double): pits up to 7 wide, steps up to 5.
        Assert.Equal(7, CoinRunLevel.MaxPitWidth);
        Assert.Equal(5, CoinRunLevel.MaxStep);
    }

    private static int Optional(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : -1;

    private static (int, int) Cell(JsonElement e) => e.ValueKind == JsonValueKind.Null ? (-1, -1) : (e[0].GetInt32(), e[1].GetInt32());
}
