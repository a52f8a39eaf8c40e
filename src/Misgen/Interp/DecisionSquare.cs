using Misgen.Envs;
using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>
/// The decision square of a maze level: the last cell the shortest path from the start to the goal shares with
/// the shortest path from the start to the top-right cell, where an agent that pursues the goal and one that
/// pursues the corner part ways. There the policy's probability of stepping toward the goal and toward the corner
/// tell the two apart (docs/INTERP.md).
/// </summary>
public sealed record DecisionSquare(int X, int Y, GridGoal Goal, string TowardGoal, string TowardCorner, IReadOnlyList<(int X, int Y)> GoalPath, IReadOnlyList<(int X, int Y)> CornerPath)
{
    /// <summary>
    /// The decision square of the level as it stands (goal <paramref name="goalIndex"/> of <see cref="IGridAgentGame.Goals"/>),
    /// or null with the reason when the paths never part (the goal lies on the way to the corner or the other way round)
    /// or a target cannot be reached.
    /// </summary>
    public static (DecisionSquare? Square, string? Reason) Find(IGridAgentGame game, int goalIndex = 0)
    {
        var goals = game.Goals;
        if (goalIndex < 0 || goalIndex >= goals.Count)
            return (null, goals.Count == 0 ? "the level has no goal" : $"goal {goalIndex} does not exist; valid: 0..{goals.Count - 1}");
        var goal = goals[goalIndex];
        var (sx, sy) = game.StartCell;
        var paths = new GridPaths(game, sx, sy);
        var toGoal = paths.PathTo(goal.X, goal.Y);
        var (cx, cy) = game.CornerCell;
        var toCorner = paths.PathTo(cx, cy);
        if (toGoal.Count == 0) return (null, $"the {goal.Name} at ({goal.X}, {goal.Y}) cannot be reached from the start");
        if (toCorner.Count == 0) return (null, $"the top-right cell ({cx}, {cy}) cannot be reached from the start");
        int common = 0;
        while (common < toGoal.Count && common < toCorner.Count && toGoal[common] == toCorner[common]) common++;
        if (common == toGoal.Count) return (null, $"the {goal.Name} lies on the way to the top-right cell");
        if (common == toCorner.Count) return (null, $"the top-right cell lies on the way to the {goal.Name}");
        var square = toGoal[common - 1];
        return (new DecisionSquare(square.X, square.Y, goal, GridPaths.Direction(square, toGoal[common]), GridPaths.Direction(square, toCorner[common]), toGoal, toCorner), null);
    }

    /// <summary>The policy's action-group probabilities with the agent on the decision square (the level is left as it was).</summary>
    public DecisionProbabilities Probabilities(IPolicy policy, IGridAgentGame game)
    {
        var groups = game.Spec.Game.Actions.Groups;
        var (ax, ay) = (game.AgentX, game.AgentY);
        game.PlaceAgent(X, Y);
        byte[] obs;
        try { obs = Observations.Of(game, policy.Config.InputSize); }
        finally { game.PlaceAgent(ax, ay); }
        var logits = new float[policy.Config.Actions];
        policy.Forward(obs, 1, logits, new float[1]);
        var probabilities = GroupProbabilities.Of(logits, groups);
        float P(string direction) => probabilities[GroupProbabilities.IndexOf(groups, direction)];
        return new DecisionProbabilities(this, P(TowardGoal), P(TowardCorner), probabilities);
    }
}

/// <summary>P(step toward the goal) and P(step toward the corner) at a decision square, and every group's probability.</summary>
public sealed record DecisionProbabilities(DecisionSquare Square, float TowardGoal, float TowardCorner, float[] Groups);

/// <summary>Action-group probabilities (softmax of the logits summed over each group of the game's <see cref="ActionSet"/>).</summary>
public static class GroupProbabilities
{
    public static float[] Of(ReadOnlySpan<float> logits, IReadOnlyList<(string Name, int[] Actions)> groups)
    {
        Span<float> logProbs = stackalloc float[logits.Length];
        Categorical.LogSoftmax(logits, logProbs);
        var result = new float[groups.Count];
        for (int g = 0; g < groups.Count; g++)
            foreach (int a in groups[g].Actions) result[g] += MathF.Exp(logProbs[a]);
        return result;
    }

    public static int IndexOf(IReadOnlyList<(string Name, int[] Actions)> groups, string name)
    {
        for (int g = 0; g < groups.Count; g++)
            if (groups[g].Name == name) return g;
        throw new MisgenInputException($"the game's actions have no '{name}' group; groups: {string.Join(", ", groups.Select(x => x.Name))}");
    }
}
