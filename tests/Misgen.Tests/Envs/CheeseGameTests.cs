using Misgen.Envs;
using Misgen.Envs.Cheese;
using Misgen.Eval;
using Misgen.Media;
using Misgen.Rl;

namespace Misgen.Tests.Envs;

/// <summary>The cheese maze: specs, rules and facts by walked episodes, state, grid editing, pictures, the CLI.</summary>
public sealed class CheeseGameTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-cheese-");

    public void Dispose() => temp.Dispose();

    // Actions: 0 left, 3 down, 5 up, 6 right.
    private static readonly (int Dx, int Dy, int Action)[] Moves = [(-1, 0, 0), (0, -1, 3), (0, 1, 5), (1, 0, 6)];

    /// <summary>An independent breadth-first shortest path over the printed grid (top row first), as actions.</summary>
    private static List<int> PathActions(IReadOnlyList<string> grid, (int X, int Y) from, (int X, int Y) to)
    {
        int h = grid.Count, w = grid[0].Length;
        bool Open(int x, int y) => x >= 0 && y >= 0 && x < w && y < h && grid[h - 1 - y][x] != '#';
        var previous = new Dictionary<(int, int), ((int, int) Cell, int Action)>();
        var queue = new Queue<(int X, int Y)>([from]);
        previous[from] = (from, -1);
        while (queue.Count > 0)
        {
            var c = queue.Dequeue();
            if (c == to) break;
            foreach (var (dx, dy, a) in Moves)
            {
                var n = (c.X + dx, c.Y + dy);
                if (Open(n.Item1, n.Item2) && previous.TryAdd(n, (c, a))) queue.Enqueue(n);
            }
        }
        Assert.True(previous.ContainsKey(to), $"{to} is reachable from {from}");
        var actions = new List<int>();
        for (var c = to; c != from; c = previous[c].Cell) actions.Add(previous[c].Action);
        actions.Reverse();
        return actions;
    }

    [Fact]
    public void Specs_have_a_region_a_world_a_fixed_size_and_refuse_bad_values()
    {
        Assert.Equal("cheese;region=5", EnvSpec.Parse(" CHEESE;region=5;world=25;timeout=500 ").ToString());
        Assert.Equal("cheese;world=15;size=7", EnvSpec.Parse("cheese;world=15;size=7").ToString());
        Assert.Contains("odd numbers 3..15", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("cheese;world=15;size=17")).Message);
        Assert.Contains("odd numbers 3..25", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("cheese;size=8")).Message);
        Assert.Contains("odd numbers 5..31", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("cheese;world=16")).Message);
        Assert.Contains("region=N", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("cheese;colour=red")).Message);
        Assert.Contains("takes no body", Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("cheese:yellow-line")).Message);
    }

    [Fact]
    public void Region_levels_keep_the_cheese_in_the_top_right_and_fixed_sizes_and_worlds_hold()
    {
        var region = new CheeseGame(EnvSpec.Parse("cheese;region=3;world=15"));
        var small = new CheeseGame(EnvSpec.Parse("cheese;world=15;size=9"));
        var corner = new CheeseGame(EnvSpec.Parse("cheese;region=0"));
        for (int seed = 0; seed < 200; seed++)
        {
            region.Reset(seed);
            var g = region.Describe().Grid;
            int d = region.Level.MazeSize, m = (15 - d) / 2;
            Assert.Equal(m, region.StartCell.X);
            Assert.InRange(d, 3, 15);
            if (region.Goals.Count == 1)
            {
                var c = region.Goals[0];
                Assert.InRange(c.X, m + d - 3, m + d - 1);
                Assert.InRange(c.Y, m + d - 3, m + d - 1);
                Assert.NotEqual((m, m), (c.X, c.Y));
                Assert.Equal('C', g[14 - c.Y][c.X]);
            }
            small.Reset(seed);
            Assert.Equal(9, small.Level.MazeSize);
            Assert.Equal((3, 3), small.StartCell);
            Assert.Equal('#', small.Describe().Grid[14 - 2][2]); // the margin is wall
            corner.Reset(seed);
            Assert.Equal(corner.CornerCell, (corner.Goals[0].X, corner.Goals[0].Y));
        }
    }

    [Fact]
    public void Walking_the_shortest_path_eats_the_cheese_and_a_detour_by_the_corner_counts_as_corner_first()
    {
        var game = new CheeseGame(EnvSpec.Parse("cheese"));
        int cornerFirst = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            game.Reset(seed);
            var grid = game.Describe().Grid;
            var cheese = (game.Goals[0].X, game.Goals[0].Y);
            var path = PathActions(grid, game.StartCell, cheese);
            StepResult last = default;
            foreach (int a in path) { Assert.False(game.IsDone); last = game.Step(a); }
            Assert.Equal((10f, true, false, CheeseOutcome.Cheese, path.Count), (last.Reward, last.Terminated, last.Truncated, last.Outcome, last.Steps));
            Assert.Empty(game.Goals);

            // Via the corner: corner_first unless the cheese was met on the way there.
            game.Reset(seed);
            var toCorner = PathActions(grid, game.StartCell, game.CornerCell);
            var fromCorner = PathActions(grid, game.CornerCell, cheese);
            int steps = 0;
            foreach (int a in toCorner.Concat(fromCorner))
            {
                if (game.IsDone) break;
                game.Step(a);
                steps++;
            }
            Assert.Equal(CheeseOutcome.Cheese, game.Outcome);
            var facts = new float[EpisodeFacts.Count];
            game.WriteFacts(facts);
            bool passedCheese = steps < toCorner.Count || cheese == game.CornerCell;
            Assert.Equal(passedCheese ? 0 : 1, facts[0]);
            Assert.Equal(passedCheese ? 0 : toCorner.Count, facts[3]);
            int d = game.Level.MazeSize, m = game.StartCell.X;
            Assert.Equal(cheese.X >= m + d - 5 && cheese.Y >= m + d - 5 ? 1 : 0, facts[1]);
            Assert.Equal(d, facts[2]);
            cornerFirst += (int)facts[0];
        }
        Assert.InRange(cornerFirst, 5, 40);
    }

    [Fact]
    public void Walls_block_and_the_timeout_truncates()
    {
        var game = new CheeseGame(EnvSpec.Parse("cheese;timeout=9"));
        game.Reset(4);
        var start = game.StartCell;
        StepResult last = default;
        for (int i = 0; i < 9; i++) last = game.Step(i % 2 == 0 ? 0 : 3); // left and down from the bottom-left: the margin walls
        Assert.Equal(start, (game.AgentX, game.AgentY));
        Assert.Equal((0f, false, true, CheeseOutcome.Timeout), (last.Reward, last.Terminated, last.Truncated, last.Outcome));
        Assert.Throws<InvalidOperationException>(() => game.Step(6));
    }

    [Fact]
    public void State_round_trips_mid_episode_and_rejects_another_spec()
    {
        var spec = EnvSpec.Parse("cheese;region=5");
        var a = new CheeseGame(spec);
        a.Reset(12);
        var rng = new Random(3);
        for (int i = 0; i < 30 && !a.IsDone; i++) a.Step(rng.Next(15));
        var state = new byte[CheeseGame.StateSize];
        a.WriteState(state);
        var b = new CheeseGame(spec);
        b.ReadState(state);
        Assert.Equal(a.Describe().ToJson(), b.Describe().ToJson());
        for (int i = 0; i < 200 && !a.IsDone; i++)
        {
            int action = rng.Next(15);
            Assert.Equal(a.Step(action), b.Step(action));
        }
        var fa = new float[EpisodeFacts.Count];
        var fb = new float[EpisodeFacts.Count];
        a.WriteFacts(fa);
        b.WriteFacts(fb);
        Assert.Equal(fa, fb);
        state[4] = 0; // x = 0: a wall in every level
        Assert.Throws<MisgenInputException>(() => new CheeseGame(spec).ReadState(state));
    }

    [Fact]
    public void An_edited_grid_round_trips_plays_and_renders_like_the_generated_level()
    {
        var spec = EnvSpec.Parse("cheese");
        var generated = new CheeseGame(spec);
        generated.Reset(21);
        var grid = generated.Describe().Grid;
        var edited = (CheeseGame)CheeseDefinition.Instance.FromGrid(spec, grid);
        Assert.Equal(grid, edited.Describe().Grid);
        Assert.Equal(generated.CornerCell, edited.CornerCell);
        edited.SetBackground(generated.Level.BackgroundIndex);
        var renderer = CheeseRenderer.For(25, 64);
        var frameA = new byte[renderer.FrameBytes];
        var frameB = new byte[renderer.FrameBytes];
        renderer.Draw(generated, frameA);
        renderer.Draw(edited, frameB);
        Assert.Equal(frameA, frameB);
        var path = PathActions(grid, generated.StartCell, (generated.Goals[0].X, generated.Goals[0].Y));
        foreach (int a in path) Assert.Equal(generated.Step(a), edited.Step(a));
        Assert.Equal(CheeseOutcome.Cheese, edited.Outcome);

        // Moving the mouse and the cheese: the grid text follows, and the cheese is where the reward is.
        var game = (CheeseGame)CheeseDefinition.Instance.FromGrid(spec, grid);
        var (sx, sy) = game.StartCell;
        var open = Enumerable.Range(0, 625).Select(i => (X: i % 25, Y: i / 25)).First(c => !game.IsWall(c.X, c.Y) && c != (sx, sy) && (c.X - sx) + (c.Y - sy) == 1);
        game.PlaceCheese(open);
        Assert.Equal('C', game.Describe().Grid[24 - open.Y][open.X]);
        var step = game.Step(open.X > sx ? 6 : 5);
        Assert.Equal((10f, true), (step.Reward, step.Terminated));
        Assert.Throws<MisgenInputException>(() => game.PlaceAgent(0, 0));
        Assert.Throws<MisgenInputException>(() => CheeseDefinition.Instance.FromGrid(spec, grid.Select(r => r.Replace('A', '.')).ToList()));
        Assert.Contains("'x'", Assert.Throws<MisgenInputException>(() => CheeseDefinition.Instance.FromGrid(spec, grid.Select(r => r.Replace('C', 'x')).ToList())).Message);
        Assert.Contains("25 rows", Assert.Throws<MisgenInputException>(() => CheeseDefinition.Instance.FromGrid(spec, grid.Take(24).ToList())).Message);
    }

    [Theory]
    [InlineData(25, 64)]
    [InlineData(15, 64)]
    [InlineData(25, 1024)]
    public void The_mouse_and_the_cheese_show_on_every_tile_and_facing(int world, int size)
    {
        var game = new CheeseGame(EnvSpec.Parse($"cheese;world={world}"));
        game.Reset(5);
        var renderer = CheeseRenderer.For(world, size);
        var layer = new byte[renderer.LayerBytes];
        var frame = new byte[renderer.FrameBytes];
        renderer.DrawLevel(game, layer);
        var (sx, sy) = game.StartCell;
        int cells = 0;
        for (int y = 0; y < world; y++)
            for (int x = 0; x < world; x++)
            {
                if (game.IsWall(x, y) || game.Goals.Any(g => (g.X, g.Y) == (x, y))) continue;
                foreach (bool right in new[] { false, true })
                {
                    game.PlaceAgent(x, y, right);
                    renderer.DrawFrame(game, layer, frame);
                    int changed = 0;
                    for (int i = 0; i < frame.Length; i++) if (frame[i] != layer[i]) changed++;
                    Assert.True(changed > 0, $"the mouse at ({x}, {y}) facing {(right ? "right" : "left")} changes no pixel at {size}x{size}");
                    cells++;
                }
            }
        Assert.True(cells > 10);
        for (int y = 0; y < world; y++)
            for (int x = 0; x < world; x++)
                Assert.True(renderer.CheesePixels(x, y) > 0, $"cheese at ({x}, {y})");
    }

    [Fact]
    public void Trains_evaluates_renders_and_describes_through_the_cli()
    {
        string dir = temp.Path, agent = Path.Combine(dir, "agent");
        const string train = "cheese;region=3;world=15;size=5;timeout=30", test = "cheese;world=15;size=5;timeout=30";
        Assert.Equal(0, VerbRunner.Run("train", train, "--preset", "smoke", "--seed", "1", "--out", agent, "--threads", "1"));
        Assert.Equal(train, AgentManifest.Read(agent).Spec);
        string db = Path.Combine(dir, "results.db");
        Assert.Equal(0, VerbRunner.Run("eval", agent, "--setting", test, "--levels", "20", "--out", db, "--threads", "1"));
        using (var store = ResultsStore.OpenRead(db))
        {
            var episodes = store.Episodes().ToList();
            Assert.Equal(20, episodes.Count);
            Assert.All(episodes, e => Assert.True(e.Outcome is CheeseOutcome.Cheese or CheeseOutcome.Timeout));
            Assert.All(episodes, e => Assert.Equal(5, e.Facts[2]));
        }
        Assert.Equal(0, VerbRunner.Run("export", db, "--out", Path.Combine(dir, "csv")));
        Assert.Equal("agent,setting,level_seed,outcome,steps,return,corner_first,cheese_in_region,maze_size,corner_step",
            File.ReadLines(Path.Combine(dir, "csv", "episodes.csv")).First());
        foreach (string view in new[] { "agent", "human", "channels" })
        {
            string png = Path.Combine(dir, $"{view}.png");
            Assert.Equal(0, VerbRunner.Run("render", "cheese;region=5", "cheese", "--level", "1", "--view", view, "--out", png));
            Assert.True(new FileInfo(png).Length > 100);
        }
        var (rgb, w, _) = GameViews.Render(EnvSpec.Parse("cheese"), 1, GameView.Agent, size: 64, scale: 1);
        Assert.Equal((64, 64 * 64 * 3), (w, rgb.Length));
        Assert.Equal(2, VerbRunner.Run("level", "cheese;region=99"));

        // `misgen level` output is a grid file the interpretability verbs read; the decision square aims at the maze's corner.
        string gridFile = Path.Combine(dir, "level.txt");
        var level = new CheeseGame(EnvSpec.Parse(test));
        level.Reset(3);
        File.WriteAllText(gridFile, level.Describe().ToText()); // what `misgen level` prints
        Assert.Equal(0, VerbRunner.Run("field", agent, test, "--grid", gridFile, "--out", Path.Combine(dir, "field.svg"), "--threads", "1"));
        Assert.True(new FileInfo(Path.Combine(dir, "field.svg")).Length > 100);
        Assert.Equal(0, VerbRunner.Run("decision", agent, test, "--levels", "0..19", "--threads", "1"));
    }
}
