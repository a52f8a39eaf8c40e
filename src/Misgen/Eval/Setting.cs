namespace Misgen.Eval;

/// <summary>
/// One test setting: a duel spec such as <c>maze:red-line+yellow-gem@textured</c> (obj1 first: the
/// preference numerator), with the training condition of the published study it belongs to
/// (<c>maze:yellow-line@textured</c>), or null for a setting given directly on the command line.
/// </summary>
public sealed record Setting(string Spec, string? Condition)
{
    /// <summary>The first object, e.g. <c>red-line</c>.</summary>
    public string Obj1 => Parts().Obj1;

    /// <summary>The second object, e.g. <c>yellow-gem</c>, or null for a single-goal spec.</summary>
    public string? Obj2 => Parts().Obj2;

    /// <summary>The background, e.g. <c>textured</c>.</summary>
    public string Background => Parts().Background;

    public override string ToString() => Spec;

    // Specs are kept as strings here; EnvSpec.Parse validates them when the evaluator builds envs.
    // This light split only serves names and pictures (titles, object icons).
    private (string Obj1, string? Obj2, string Background) Parts() => SpecParts.Split(Spec);
}

/// <summary>Splits <c>game:obj1[+obj2]@background[;options]</c> into its object and background names.</summary>
internal static class SpecParts
{
    public static (string Obj1, string? Obj2, string Background) Split(string spec)
    {
        string body = spec;
        int semicolon = body.IndexOf(';');
        if (semicolon >= 0) body = body[..semicolon];
        int colon = body.IndexOf(':');
        if (colon >= 0) body = body[(colon + 1)..];
        string background = "black";
        int at = body.IndexOf('@');
        if (at >= 0)
        {
            background = body[(at + 1)..];
            body = body[..at];
        }
        int plus = body.IndexOf('+');
        return plus >= 0 ? (body[..plus], body[(plus + 1)..], background) : (body, null, background);
    }
}
