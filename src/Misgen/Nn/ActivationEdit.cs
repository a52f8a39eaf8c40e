namespace Misgen.Nn;

/// <summary>
/// Reads or changes the activation at one hook point of every observation of a fast forward pass
/// (<see cref="ImpalaCnn.Forward(ReadOnlySpan{byte}, int, Span{float}, Span{float}, ActivationEdits?)"/>),
/// in place: what it leaves is what flows on through the network. Unlike <see cref="ActivationHook"/>, it sees one
/// observation at a time in the kernels' own buffers, so nothing is copied or allocated.
/// </summary>
/// <remarks>
/// Apply runs on the pool's threads, several observations at once: an edit may keep state only per
/// <c>sample</c> (the observation's index in the batch) or state it never writes during a pass.
/// </remarks>
public abstract class ActivationEdit
{
    protected ActivationEdit(string hookPoint)
    {
        PointIndex = ImpalaCnn.HookPointIndex(hookPoint);
        HookPoint = hookPoint;
    }

    /// <summary>One of <see cref="ImpalaCnn.HookPoints"/>.</summary>
    public string HookPoint { get; }

    internal int PointIndex { get; }

    /// <param name="activation">The observation's activation at <see cref="HookPoint"/>, editable.</param>
    /// <param name="sample">The observation's index in the batch.</param>
    public abstract void Apply(ActivationView activation, int sample);

    /// <summary>
    /// Whether <see cref="Backward"/> is implemented, so input gradients can be taken through the edited network
    /// (<see cref="ImpalaCnn.ForwardInputs(ReadOnlySpan{float}, int, Span{float}, Span{float}, ActivationEdits?)"/>).
    /// </summary>
    public virtual bool HasBackward => false;

    /// <summary>
    /// The backward pass of <see cref="Apply"/>: turns, in place, the gradient with respect to the edit's output into
    /// the gradient with respect to its input (the transposed Jacobian of the edit times <paramref name="gradient"/>).
    /// The activation the edit saw is not passed: the edits that implement this are elementwise affine (a value
    /// added, a channel scaled, values replaced by constants), whose Jacobian does not depend on it.
    /// </summary>
    public virtual void Backward(ActivationView gradient, int sample) =>
        throw new NotSupportedException($"the edit {GetType().Name} at {HookPoint} has no backward pass; gradients cannot flow through it");
}

/// <summary>
/// A fixed list of edits prepared for fast forward passes: grouped by hook point, applied in list order at
/// each point. Build it once and pass it to every call (building allocates, passes do not).
/// </summary>
public sealed class ActivationEdits
{
    private readonly ActivationEdit[]?[] byPoint = new ActivationEdit[ImpalaCnn.HookPoints.Count][];

    public ActivationEdits(IEnumerable<ActivationEdit> edits)
    {
        Edits = edits.ToArray();
        foreach (var group in Edits.GroupBy(e => e.PointIndex)) byPoint[group.Key] = group.ToArray();
    }

    public IReadOnlyList<ActivationEdit> Edits { get; }

    internal bool Any(int point) => byPoint[point] is not null;

    internal void Apply(int point, ActivationView view, int sample)
    {
        var edits = byPoint[point];
        if (edits is null) return;
        foreach (var edit in edits) edit.Apply(view, sample);
    }

    /// <summary>Every edit has a backward pass (<see cref="ActivationEdit.HasBackward"/>).</summary>
    public bool HaveBackward => Edits.All(e => e.HasBackward);

    /// <summary>The backward pass of one point's edits: in reverse list order, since the forward pass applied them in list order.</summary>
    internal void Backward(int point, ActivationView gradient, int sample)
    {
        var edits = byPoint[point];
        if (edits is null) return;
        for (int i = edits.Length - 1; i >= 0; i--) edits[i].Backward(gradient, sample);
    }
}
