using Misgen.Envs.Procgen;
using Misgen.Envs.Maze;
using Misgen.Envs;

namespace Misgen.Tests.Envs;

public sealed class MazeLevelTests
{
    private static (int X, int Y) XY(int cell) => (cell % 5, cell / 5);

    private static string[] Picture(MazeLevel level)
    {
        int w = level.WorldSize;
        var rows = new string[w];
        for (int y = 0; y < w; y++)
        {
            var row = new char[w];
            for (int x = 0; x < w; x++)
                row[x] = level[x, y] switch { Cell.Wall => '#', Cell.Obj1 => '1', Cell.Obj2 => '2', _ => x == 0 && y == 0 ? 'A' : '.' };
            rows[w - 1 - y] = new string(row);
        }
        return rows;
    }

    [Fact]
    public void Golden_file_has_all_200_seeds() =>
        Assert.Equal(Enumerable.Range(0, 100).Concat(Enumerable.Range(100000, 100)), GoldenLevels.Levels.Select(l => l.Seed));

    [Fact]
    public void One_generator_reproduces_all_seeds_in_a_row()
    {
        // Reusing buffers across resets must not leak state from one level into the next.
        var level = new MazeLevel(5);
        foreach (var g in GoldenLevels.Levels.Reverse())
        {
            level.Generate(g.Seed, duel: true);
            Assert.Equal(g.PictureDuel, Picture(level));
            Assert.Equal(g.DrawsDuel, level.RngDraws);
        }
    }

    [Theory]
    [MemberData(nameof(GoldenLevels.Seeds), MemberType = typeof(GoldenLevels))]
    public void Golden_training_level_matches_the_original(int seed)
    {
        var level = new MazeLevel(5);
        var g = GoldenLevels.Get(seed);
        {
            level.Generate(g.Seed, duel: false);
            Assert.Equal(g.BackgroundIndex, level.BackgroundIndex);
            var kruskal = level.KruskalCells.ToArray().Select(XY).OrderBy(c => c.Y).ThenBy(c => c.X).ToArray();
            Assert.Equal(g.KruskalOpenCells, kruskal);
            var open = Enumerable.Range(0, 25).Where(i => level.Cells[i] != Cell.Wall).Select(XY).OrderBy(c => c.Y).ThenBy(c => c.X).ToArray();
            Assert.Equal(g.OpenCells, open);
            Assert.Equal(g.Goal, XY(level.Obj1Cell));
            Assert.Equal(-1, level.Obj2Cell);
            Assert.Equal(g.DrawsTrain, level.RngDraws);
            Assert.Equal(g.PictureTrain, Picture(level));
            Assert.Equal((0, 0), g.AgentStart);
        }
    }

    [Theory]
    [MemberData(nameof(GoldenLevels.Seeds), MemberType = typeof(GoldenLevels))]
    public void Golden_duel_level_matches_the_original(int seed)
    {
        var level = new MazeLevel(5);
        var g = GoldenLevels.Get(seed);
        {
            level.Generate(g.Seed, duel: true);
            Assert.Equal(g.BackgroundIndex, level.BackgroundIndex);
            Assert.Equal(g.Obj1, XY(level.Obj1Cell));
            Assert.Equal(g.Obj2, XY(level.Obj2Cell));
            Assert.Equal(g.DrawsDuel, level.RngDraws);
            Assert.Equal(g.PictureDuel, Picture(level));
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(25)]
    public void Other_world_sizes_give_connected_mazes_without_dead_ends(int size)
    {
        var level = new MazeLevel(size);
        for (int seed = 0; seed < 50; seed++)
        {
            level.Generate(seed, duel: true);
            Assert.Equal(Cell.Space, level[0, 0]);
            Assert.NotEqual(level.Obj1Cell, level.Obj2Cell);
            // Every open cell is reachable from the start (flood fill).
            var seen = new bool[size * size];
            var queue = new Queue<int>([0]);
            seen[0] = true;
            while (queue.Count > 0)
            {
                int c = queue.Dequeue(), x = c % size, y = c / size;
                foreach (var (nx, ny) in new[] { (x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1) })
                    if (nx >= 0 && ny >= 0 && nx < size && ny < size && level[nx, ny] != Cell.Wall && !seen[ny * size + nx])
                    {
                        seen[ny * size + nx] = true;
                        queue.Enqueue(ny * size + nx);
                    }
            }
            for (int i = 0; i < size * size; i++)
                Assert.Equal(level.Cells[i] != Cell.Wall, seen[i]);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    [InlineData(27)]
    public void Bad_world_size_is_bad_input(int size) => Assert.Throws<MisgenInputException>(() => new MazeLevel(size));

    [Fact]
    public void Mt19937_matches_the_cpp_standard()
    {
        // The C++ standard requires the 10000th output of a default-seeded mt19937 to be 4123659995.
        var rng = new Mt19937();
        uint value = 0;
        for (int i = 0; i < 10000; i++) value = rng.Next();
        Assert.Equal(4123659995u, value);
        rng.Seed(5489);
        Assert.Equal(3499211612u, rng.Next()); // first output of the default seed
    }
}
