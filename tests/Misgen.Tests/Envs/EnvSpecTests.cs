using Misgen.Envs.Maze;
using Misgen.Envs;

namespace Misgen.Tests.Envs;

public sealed class EnvSpecTests
{
    [Theory]
    [InlineData("maze:yellow-line@textured")]
    [InlineData("maze:red-line+yellow-gem@black")]
    [InlineData("maze:black-gem+invisible-gem@grey;size=7;timeout=100")]
    [InlineData("maze:white-line@black;timeout=1000")]
    [InlineData("maze:cyan-line+purple-line@textured;size=25")]
    public void Canonical_specs_round_trip(string text)
    {
        var spec = EnvSpec.Parse(text);
        Assert.Equal(text, spec.ToString());
        Assert.Equal(spec, EnvSpec.Parse(spec.ToString()));
    }

    [Fact]
    public void Parse_reads_every_part()
    {
        var spec = EnvSpec.Parse(" maze:Red-Line+yellow-gem@Grey;timeout=42;size=9 ");
        Assert.Equal("maze", spec.Game.Name);
        var maze = spec.ConfigAs<MazeConfig>();
        Assert.Equal(new MazeObject(ObjectColour.Red, ObjectShape.Line), maze.Obj1);
        Assert.Equal(new MazeObject(ObjectColour.Yellow, ObjectShape.Gem), maze.Obj2);
        Assert.True(maze.IsDuel);
        Assert.Equal(Background.Grey, maze.Background);
        Assert.Equal(9, maze.WorldSize);
        Assert.Equal(42, spec.Timeout);
        Assert.Equal("maze:red-line+yellow-gem@grey;size=9;timeout=42", spec.ToString());
    }

    [Fact]
    public void Defaults_are_black_size_5_timeout_500()
    {
        var spec = EnvSpec.Parse("maze:yellow-line");
        var maze = spec.ConfigAs<MazeConfig>();
        Assert.False(maze.IsDuel);
        Assert.Null(maze.Obj2);
        Assert.Equal(Background.Black, maze.Background);
        Assert.Equal(5, maze.WorldSize);
        Assert.Equal(500, spec.Timeout);
        Assert.Equal("maze:yellow-line@black", spec.ToString());
    }

    [Fact]
    public void All_17_objects_parse_and_print()
    {
        Assert.Equal(17, MazeObject.All.Count);
        foreach (var o in MazeObject.All) Assert.Equal(o, MazeObject.Parse(o.ToString()));
        Assert.Equal("invisible-gem", new MazeObject(ObjectColour.Invisible, ObjectShape.Gem).ToString());
    }

    [Theory]
    [InlineData("chaser:yellow-line", "chaser", "maze")]
    [InlineData("maze:mauve-line", "mauve-line", "yellow-line")]
    [InlineData("maze:invisible-line", "invisible-line", "invisible-gem")]
    [InlineData("maze:yellow-line@pink", "pink", "textured")]
    [InlineData("maze:yellow-line;speed=3", "speed=3", "timeout=N")]
    [InlineData("maze:yellow-line;size=4", "size=4", "3..25")]
    [InlineData("maze:yellow-line;size=x", "size=x", "3..25")]
    [InlineData("maze:yellow-line;timeout=0", "timeout=0", "1..")]
    [InlineData("yellow-line", "yellow-line", "maze:yellow-line@textured")]
    [InlineData("maze:a-line+b-gem+c-gem", "3 objects", "obj1+obj2")]
    public void Bad_specs_name_the_bad_part_and_the_valid_choices(string text, string bad, string valid)
    {
        var e = Assert.Throws<MisgenInputException>(() => EnvSpec.Parse(text));
        Assert.Contains(bad, e.Message);
        Assert.Contains(valid, e.Message);
    }

    [Fact]
    public void Actions_follow_procgen_mapping_without_diagonals()
    {
        // docs/ORIGINS.md §1: 0-2 left, 3 down, 4 stay, 5 up, 6-8 right, 9-14 stay.
        (int, int)[] expected = [(-1, 0), (-1, 0), (-1, 0), (0, -1), (0, 0), (0, 1), (1, 0), (1, 0), (1, 0),
                                 (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0)];
        Assert.Equal(15, Actions.Count);
        for (int a = 0; a < Actions.Count; a++) Assert.Equal(expected[a], Actions.MazeMove(a));
        Assert.Equal([0, 1, 2], Actions.Left.ToArray());
        Assert.Equal([3], Actions.Down.ToArray());
        Assert.Equal([5], Actions.Up.ToArray());
        Assert.Equal([6, 7, 8], Actions.Right.ToArray());
        Assert.Equal([4, 9, 10, 11, 12, 13, 14], Actions.Noop.ToArray());
        Assert.Equal(15, Actions.Groups.Sum(g => g.Actions.Length));
    }
}
