namespace Misgen.Envs;

/// <summary>
/// A game's discrete actions: how many there are, and the named groups interpretability tools sum
/// probabilities over (procgen mazes: left, down, up, right, no-op; every action in exactly one group).
/// </summary>
public sealed class ActionSet
{
    public ActionSet(int count, IReadOnlyList<(string Name, int[] Actions)> groups)
    {
        Count = count;
        Groups = groups;
    }

    public int Count { get; }

    public IReadOnlyList<(string Name, int[] Actions)> Groups { get; }

    /// <summary>procgen's 15 actions (<see cref="Actions"/>).</summary>
    public static ActionSet Procgen { get; } = new(Actions.Count, Actions.Groups);
}
