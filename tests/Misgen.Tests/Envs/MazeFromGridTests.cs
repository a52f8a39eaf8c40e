using Misgen.Envs;
using Misgen.Envs.Maze;
using Misgen.Interp;

namespace Misgen.Tests.Envs;

public sealed class MazeFromGridTests
{
    private const string Spec = "maze:yellow-line@black;size=9";

    private static MazeGame Seeded(string spec, int seed)
    {
        var game = new MazeGame(EnvSpec.Parse(spec));
        game.Reset(seed);
        return game;
    }

    [Theory]
    [InlineData(Spec, 3)]
    [InlineData("maze:red-line+yellow-gem@black;size=11", 7)]
    public void A_seed_levels_printed_grid_builds_the_same_level_and_observation(string spec, int seed)
    {
        var seeded = Seeded(spec, seed);
        var rows = seeded.Describe().Grid;
        var built = EnvSpec.Parse(spec).Game.FromGrid(EnvSpec.Parse(spec), rows);
        Assert.Equal(rows, built.Describe().Grid);
        // On a plain background the picture depends on the layout only, so the two must match pixel for pixel.
        Assert.Equal(Observations.Of(seeded, 64), Observations.Of(built, 64));
        Assert.Equal(((IGridAgentGame)seeded).Goals, ((IGridAgentGame)built).Goals);
    }

    [Fact]
    public void The_agent_starts_on_its_A_and_reaching_obj1_pays_10_and_reset_restores_the_grid()
    {
        string[] grid =
        [
            "#########",
            "#########",
            "#########",
            "#########",
            "#########",
            "#########",
            "#########",
            "#########",
            ".A1######",
        ];
        var game = MazeGame.FromGrid(EnvSpec.Parse(Spec), grid);
        Assert.Equal((1, 0), game.StartCell);
        Assert.Equal((1, 0), (game.AgentX, game.AgentY));
        Assert.Equal(-1, game.LevelSeed);
        var step = game.Step(Actions.Right[1]);
        Assert.Equal(10f, step.Reward);
        Assert.True(step.Terminated);
        Assert.Empty(((IGridAgentGame)game).Goals);
        game.Reset(12345);
        Assert.Equal(grid, game.Describe().Grid);
        Assert.Single(((IGridAgentGame)game).Goals);
        var state = new byte[MazeGame.StateSize];
        game.Step(Actions.Left[1]);
        game.WriteState(state);
        var copy = MazeGame.FromGrid(EnvSpec.Parse(Spec), grid);
        copy.ReadState(state);
        Assert.Equal((0, 0), (copy.AgentX, copy.AgentY));
        Assert.Equal(1, copy.Steps);
    }

    [Fact]
    public void A_level_without_obj1_is_allowed_and_has_no_goal()
    {
        var rows = Seeded(Spec, 3).Describe().Grid.Select(r => r.Replace('1', '.')).ToList();
        var game = (IGridAgentGame)MazeGame.FromGrid(EnvSpec.Parse(Spec), rows);
        Assert.Empty(game.Goals);
    }

    [Theory]
    [InlineData(8, '.', "has 8 rows")]
    [InlineData(9, 'x', "has 'x'")]
    [InlineData(9, '2', "one-object maze")]
    [InlineData(9, 'A', "more than one agent")]
    [InlineData(9, '1', "more than one obj1")]
    public void Bad_grids_are_refused_with_the_reason(int rows, char extra, string message)
    {
        var grid = Seeded(Spec, 3).Describe().Grid.Take(rows).ToList();
        // Put the extra character on an open cell far from the existing agent and object.
        int row = grid.FindIndex(r => r.Contains('.'));
        int col = grid[row].IndexOf('.');
        grid[row] = grid[row][..col] + extra + grid[row][(col + 1)..];
        var e = Assert.Throws<MisgenInputException>(() => MazeGame.FromGrid(EnvSpec.Parse(Spec), grid));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_short_row_and_an_agent_on_a_wall_are_refused()
    {
        var grid = Seeded(Spec, 3).Describe().Grid.ToList();
        grid[4] = grid[4][..8];
        Assert.Contains("row 5 has 8 characters", Assert.Throws<MisgenInputException>(() => MazeGame.FromGrid(EnvSpec.Parse(Spec), grid)).Message);
    }
}
