using Misgen.Envs;
using Misgen.Envs.Maze;
using Misgen.Interp;
using Misgen.Nn;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Interp;

public sealed class VectorFieldTests
{
    private static readonly ImpalaConfig Small = new(32, 4, 8, 8, Hidden: 16);

    [Theory]
    [InlineData("maze:red-line+yellow-gem@textured;size=9", 4)]
    [InlineData("room;size=6", 2)]
    public void A_field_equals_forward_passes_on_the_individually_rendered_levels(string specText, int level)
    {
        var spec = EnvSpec.Parse(specText);
        var model = ImpalaCnnTests.RandomModel(Small, 7);
        var game = new LevelSource(spec, level).CreateGrid();
        var field = VectorField.Compute(model, game);
        int open = 0;
        for (int y = 0; y < game.GridHeight; y++)
            for (int x = 0; x < game.GridWidth; x++)
                if (!game.IsWall(x, y)) open++;
        Assert.Equal(open, field.Cells.Count);
        for (int i = 0; i < field.Cells.Count; i++)
        {
            // Each cell on its own: a fresh game, the agent moved there, drawn by a GameEnv, one observation per pass.
            var fresh = (IGridAgentGame)spec.Game.CreateGame(spec);
            fresh.Reset(level);
            fresh.PlaceAgent(field.Cells[i].X, field.Cells[i].Y);
            var env = new GameEnv(fresh, 32);
            var logits = new float[15];
            model.Forward(env.Redraw(), 1, logits, new float[1]);
            var groups = Categorical.GroupProbabilities(logits);
            for (int g = 0; g < 5; g++) Assert.Equal(groups[g], field.Probability(i, Categorical.GroupNames[g]), 1e-6);
            var (dx, dy) = field.Arrow(i);
            Assert.Equal(groups[3] - groups[0], dx, 1e-6);
            Assert.Equal(groups[2] - groups[1], dy, 1e-6);
        }
        Assert.Equal((0, 0), (game.AgentX, game.AgentY)); // the agent was put back
    }

    [Fact]
    public void The_difference_of_a_field_with_itself_is_zero_and_of_a_patched_field_is_the_change()
    {
        var spec = EnvSpec.Parse("maze:yellow-line@black;size=7");
        var model = ImpalaCnnTests.RandomModel(Small, 8);
        var game = new LevelSource(spec, 1).CreateGrid();
        var field = VectorField.Compute(model, game);
        var zero = field.Minus(VectorField.Compute(model, game));
        Assert.True(zero.IsDifference);
        Assert.All(zero.Probabilities, p => Assert.Equal(0f, p));
        var patched = VectorField.Compute(new PatchedPolicy(model, [new ZeroChannels("embedder.relu3", [0, 1, 2])]), game);
        var difference = patched.Minus(field);
        for (int i = 0; i < field.Probabilities.Length; i++) Assert.Equal(patched.Probabilities[i] - field.Probabilities[i], difference.Probabilities[i]);
        Assert.Contains(difference.Probabilities, p => p != 0);
    }

    [Fact]
    public void Pictures_are_an_svg_with_one_arrow_per_visible_cell_and_a_png_of_the_level_size()
    {
        var spec = EnvSpec.Parse("maze:yellow-line@grey;size=5");
        var model = ImpalaCnnTests.RandomModel(Small, 9);
        var game = new LevelSource(spec, 2).CreateGrid();
        var field = VectorField.Compute(model, game);
        var picture = new FieldPicture(field, FieldPicture.LevelPicture(game, 32), 32, 4) { Caption = "a <test>" };
        picture.Mark(new CellArea(game.CellArea(0, 0)), (255, 255, 255));
        string svg = picture.ToSvg();
        int drawn = Enumerable.Range(0, field.Cells.Count).Count(i =>
        {
            var (dx, dy) = field.Arrow(i);
            return Math.Sqrt(dx * dx + dy * dy) * 0.8 >= 0.04;
        });
        Assert.Equal(drawn, svg.Split("<polygon").Length - 1);
        Assert.Contains("a &lt;test&gt;", svg);
        System.Xml.Linq.XDocument.Parse(svg);
        var png = Misgen.Media.Png.Decode(picture.ToPng(), "field");
        Assert.Equal((128, 128), (png.Width, png.Height));
    }

    /// <summary>A game that hides its grid (as a game that is not maze-like would).</summary>
    private sealed class Opaque(IGame inner) : IGame
    {
        public EnvSpec Spec => inner.Spec;
        public int LevelSeed => inner.LevelSeed;
        public int Steps => inner.Steps;
        public float Return => inner.Return;
        public byte Outcome => inner.Outcome;
        public int LevelVersion => inner.LevelVersion;
        public void Reset(int levelSeed) => inner.Reset(levelSeed);
        public StepResult Step(int action) => inner.Step(action);
        public void WriteFacts(Span<float> facts) => inner.WriteFacts(facts);
        public int StateSize => inner.StateSize;
        public void WriteState(Span<byte> state) => inner.WriteState(state);
        public void ReadState(ReadOnlySpan<byte> state) => inner.ReadState(state);
        public LevelDescription Describe() => inner.Describe();
    }

    [Fact]
    public void A_game_without_grid_moves_is_refused_with_the_grid_games_named()
    {
        var maze = new MazeGame(EnvSpec.Parse("maze:yellow-line@black"));
        Assert.Same(maze, GridGames.Require(maze));
        var e = Assert.Throws<MisgenInputException>(() => GridGames.Require(new Opaque(maze)));
        Assert.Contains("not a grid game", e.Message);
        Assert.Contains("maze", e.Message);
        Assert.Contains("room", e.Message);
    }
}
