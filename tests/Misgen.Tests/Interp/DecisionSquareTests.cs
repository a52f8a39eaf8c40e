using Misgen.Envs;
using Misgen.Interp;
using Misgen.Nn;

namespace Misgen.Tests.Interp;

public sealed class DecisionSquareTests
{
    [Fact]
    public void The_paths_part_where_the_corridor_forks()
    {
        // The only way to the goal turns right at (3, 2); the only way to the top-right cell goes up there.
        var game = new TextGridGame(
            "###..",
            "###.#",
            "....G",
            ".####",
            "S####");
        var (square, reason) = DecisionSquare.Find(game);
        Assert.Null(reason);
        Assert.Equal((3, 2), (square!.X, square.Y));
        Assert.Equal(("right", "up"), (square.TowardGoal, square.TowardCorner));
        Assert.Equal([(0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (3, 2), (4, 2)], square.GoalPath);
        Assert.Equal([(0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (3, 2), (3, 3), (3, 4), (4, 4)], square.CornerPath);
    }

    [Fact]
    public void The_start_is_the_decision_square_when_the_paths_part_at_once()
    {
        var game = new TextGridGame(
            ".....",
            ".####",
            ".#G..",
            ".###.",
            "S....");
        var (square, _) = DecisionSquare.Find(game);
        Assert.Equal((0, 0, "right", "up"), (square!.X, square.Y, square.TowardGoal, square.TowardCorner));
    }

    [Fact]
    public void No_decision_square_when_the_goal_is_on_the_way_to_the_corner_or_cut_off()
    {
        var onTheWay = new TextGridGame(
            "###..",
            "###G#",
            "....#",
            ".####",
            "S####");
        var (square, reason) = DecisionSquare.Find(onTheWay);
        Assert.Null(square);
        Assert.Contains("on the way to the top-right", reason);
        var cutOff = new TextGridGame(
            ".....",
            ".####",
            ".#G#.",
            ".###.",
            "S....");
        Assert.Contains("cannot be reached", DecisionSquare.Find(cutOff).Reason);
    }

    [Fact]
    public void Shortest_paths_on_a_real_maze_are_shortest_and_step_between_open_neighbours()
    {
        var game = (IGridAgentGame)EnvSpec.Parse("maze:yellow-line@black;size=15").Game.CreateGame(EnvSpec.Parse("maze:yellow-line@black;size=15"));
        game.Reset(3);
        var goal = game.Goals[0];
        var path = new GridPaths(game, 0, 0).PathTo(goal.X, goal.Y);
        // An independent breadth-first distance.
        var distance = new Dictionary<(int, int), int> { [(0, 0)] = 0 };
        var queue = new Queue<(int X, int Y)>([(0, 0)]);
        while (queue.Count > 0)
        {
            var c = queue.Dequeue();
            foreach (var n in new[] { (c.X + 1, c.Y), (c.X - 1, c.Y), (c.X, c.Y + 1), (c.X, c.Y - 1) })
                if (!game.IsWall(n.Item1, n.Item2) && distance.TryAdd(n, distance[c] + 1)) queue.Enqueue(n);
        }
        Assert.Equal(distance[(goal.X, goal.Y)] + 1, path.Count);
        for (int i = 1; i < path.Count; i++)
        {
            Assert.False(game.IsWall(path[i].X, path[i].Y));
            Assert.Equal(1, Math.Abs(path[i].X - path[i - 1].X) + Math.Abs(path[i].Y - path[i - 1].Y));
        }
    }

    [Fact]
    public void Decision_probabilities_are_the_policy_on_the_decision_square()
    {
        var spec = EnvSpec.Parse("maze:yellow-line@black;size=9");
        var model = new ImpalaCnn(new ImpalaConfig(32, 4, 8, 8, Hidden: 16), 5);
        for (int seed = 0; seed < 50; seed++)
        {
            var game = new LevelSource(spec, seed).CreateGrid();
            var (square, _) = DecisionSquare.Find(game);
            if (square is null) continue;
            var p = square.Probabilities(model, game);
            Assert.Equal((0, 0), (game.AgentX, game.AgentY)); // the level is left as it was
            var moved = new LevelSource(spec, seed).CreateGrid();
            moved.PlaceAgent(square.X, square.Y);
            var logits = new float[15];
            model.Forward(Observations.Of(moved, 32), 1, logits, new float[1]);
            var groups = Categorical.GroupProbabilities(logits);
            int Index(string g) => Array.IndexOf(Categorical.GroupNames, g);
            Assert.Equal(groups[Index(square.TowardGoal)], p.TowardGoal, 1e-6);
            Assert.Equal(groups[Index(square.TowardCorner)], p.TowardCorner, 1e-6);
            return;
        }
        Assert.Fail("no level of 50 had a decision square");
    }
}
