using System.Buffers;
using Misgen.Envs;
using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>
/// What a policy wants to do everywhere in one level: the agent is put on every open cell, all those observations
/// go through one batched forward pass, and each cell's action-group probabilities (left, down, up, right, ...) are
/// summed into an arrow (P(right) - P(left), P(up) - P(down)), y up. Networks that can (<see cref="IBackgroundPolicy"/>)
/// compute the level's share of the first block once and only the agent's surroundings per cell. <see cref="Minus"/>
/// gives the difference of two fields (e.g. patched minus unpatched), shown the same way.
/// </summary>
public sealed class VectorField
{
    private VectorField(EnvSpec spec, int width, int height, (int X, int Y)[] cells, CellArea[] areas, float[] probabilities, string[] groups, bool isDifference)
    {
        Areas = areas;
        Spec = spec;
        GridWidth = width;
        GridHeight = height;
        Cells = cells;
        Probabilities = probabilities;
        GroupNames = groups;
        IsDifference = isDifference;
    }

    public EnvSpec Spec { get; }
    public int GridWidth { get; }
    public int GridHeight { get; }

    /// <summary>The open cells, bottom row first, left to right.</summary>
    public IReadOnlyList<(int X, int Y)> Cells { get; }

    /// <summary>Where each cell is in the observation (fractions of its side), for drawing.</summary>
    public IReadOnlyList<CellArea> Areas { get; }

    /// <summary>Cells x groups: each cell's action-group probabilities (differences of them for a difference field).</summary>
    public float[] Probabilities { get; }

    public IReadOnlyList<string> GroupNames { get; }

    public bool IsDifference { get; }

    public float Probability(int cell, string group) => Probabilities[cell * GroupNames.Count + Group(group)];

    /// <summary>The cell's arrow in cells, x to the right and y up; its length is at most 1 (at most 2 for a difference).</summary>
    public (float Dx, float Dy) Arrow(int cell) =>
        (Probability(cell, "right") - Probability(cell, "left"), Probability(cell, "up") - Probability(cell, "down"));

    private int Group(string name)
    {
        for (int g = 0; g < GroupNames.Count; g++)
            if (GroupNames[g] == name) return g;
        throw new MisgenInputException($"the game's actions have no '{name}' group; groups: {string.Join(", ", GroupNames)}");
    }

    /// <summary>
    /// The field of <paramref name="policy"/> on <paramref name="game"/>'s level as it stands (the agent is put back
    /// where it was). The level layer is drawn once; each cell's frame adds only the agent.
    /// </summary>
    public static VectorField Compute(IPolicy policy, IGridAgentGame game)
    {
        var groups = game.Spec.Game.Actions.Groups;
        foreach (string needed in (string[])["left", "down", "up", "right"]) GroupProbabilities.IndexOf(groups, needed);
        var cells = OpenCells(game);
        if (cells.Length == 0) throw new MisgenInputException($"level {game.LevelSeed} of {game.Spec} has no open cell");
        var renderer = Observations.Renderer(game, policy.Config.InputSize);
        int frame = renderer.FrameBytes;
        if (frame != policy.Config.InputSize * policy.Config.InputSize * policy.Config.Channels)
            throw new MisgenInputException($"'{game.Spec}' renders {renderer.Shape} observations; the agent sees {policy.Config.InputSize}x{policy.Config.InputSize}x{policy.Config.Channels}");
        // Pooled: a fresh multi-megabyte array per field costs more in page faults than drawing every frame.
        var layer = ArrayPool<byte>.Shared.Rent(renderer.LayerBytes);
        var observations = ArrayPool<byte>.Shared.Rent(cells.Length * frame);
        var (ax, ay) = (game.AgentX, game.AgentY);
        try
        {
            renderer.DrawLevel(game, layer.AsSpan(0, renderer.LayerBytes));
            for (int i = 0; i < cells.Length; i++)
            {
                game.PlaceAgent(cells[i].X, cells[i].Y);
                renderer.DrawFrame(game, layer.AsSpan(0, renderer.LayerBytes), observations.AsSpan(i * frame, frame));
            }
            game.PlaceAgent(ax, ay);
            // Every frame is the level layer plus the agent: a policy that can reuses the layer's work across cells.
            var background = renderer.LayerBytes == frame ? layer.AsSpan(0, frame) : default;
            return FromObservations(policy, game, cells, observations.AsSpan(0, cells.Length * frame), background);
        }
        finally
        {
            game.PlaceAgent(ax, ay);
            ArrayPool<byte>.Shared.Return(layer);
            ArrayPool<byte>.Shared.Return(observations);
        }
    }

    /// <summary>The field from observations already drawn (one per cell, in <paramref name="cells"/> order): one forward pass.</summary>
    internal static VectorField FromObservations(IPolicy policy, IGridAgentGame game, (int X, int Y)[] cells, ReadOnlySpan<byte> observations, ReadOnlySpan<byte> background = default)
    {
        var groups = game.Spec.Game.Actions.Groups;
        int actions = policy.Config.Actions, n = cells.Length;
        if (policy.MaxBatch < n) policy.MaxBatch = n;
        var logits = new float[n * actions];
        if (policy is IBackgroundPolicy shared && !background.IsEmpty) shared.ForwardOverBackground(background, observations, n, logits, new float[n]);
        else policy.Forward(observations, n, logits, new float[n]);
        var probabilities = new float[n * groups.Count];
        for (int i = 0; i < n; i++)
            GroupProbabilities.Of(logits.AsSpan(i * actions, actions), groups).CopyTo(probabilities, i * groups.Count);
        var areas = cells.Select(c => new CellArea(game.CellArea(c.X, c.Y))).ToArray();
        return new VectorField(game.Spec, game.GridWidth, game.GridHeight, cells, areas, probabilities, groups.Select(g => g.Name).ToArray(), isDifference: false);
    }

    /// <summary>Open cells, bottom row first, left to right.</summary>
    public static (int X, int Y)[] OpenCells(IGridAgentGame game)
    {
        var cells = new List<(int, int)>();
        for (int y = 0; y < game.GridHeight; y++)
            for (int x = 0; x < game.GridWidth; x++)
                if (!game.IsWall(x, y)) cells.Add((x, y));
        return cells.ToArray();
    }

    /// <summary>This field minus <paramref name="other"/>, cell by cell (both over the same cells).</summary>
    public VectorField Minus(VectorField other)
    {
        if (!Cells.SequenceEqual(other.Cells) || !GroupNames.SequenceEqual(other.GroupNames))
            throw new MisgenInputException("the two vector fields cover different cells; take both on the same level");
        var difference = new float[Probabilities.Length];
        for (int i = 0; i < difference.Length; i++) difference[i] = Probabilities[i] - other.Probabilities[i];
        return new VectorField(Spec, GridWidth, GridHeight, Cells.ToArray(), Areas.ToArray(), difference, GroupNames.ToArray(), isDifference: true);
    }
}

/// <summary>The part of an observation one cell covers: fractions of the side, from the left and from the top.</summary>
public readonly record struct CellArea(double Left, double Top, double Width, double Height)
{
    public CellArea((double Left, double Top, double Width, double Height) area) : this(area.Left, area.Top, area.Width, area.Height) { }

    public double CentreX => Left + Width / 2;

    public double CentreY => Top + Height / 2;
}
