using System.Text.RegularExpressions;

namespace Misgen.Sweeps;

/// <summary>
/// Early syntax check of env specs in study files, so a typo fails at `plan` with its line number
/// rather than hours later inside a task. The full check is EnvSpec.Parse, run by the task itself.
/// </summary>
internal static partial class SpecCheck
{
    public static string? Problem(string spec, bool duel)
    {
        var m = SpecRegex().Match(spec);
        if (!m.Success)
            return $"'{spec}' is not an env spec; expected game:object[+object]@background[;key=value...], e.g. maze:yellow-line@textured";
        bool isDuel = m.Groups[3].Success;
        if (duel && !isDuel) return $"'{spec}' is not a duel (an evaluation setting has two objects: maze:red-line+yellow-gem@textured)";
        if (!duel && isDuel) return $"'{spec}' is a duel; a training env has one object (maze:yellow-line@textured)";
        return null;
    }

    [GeneratedRegex(@"^[a-z]+:([a-z]+-[a-z]+)(\+([a-z]+-[a-z]+))?(@[a-z]+)?(;[a-z_]+=[A-Za-z0-9._-]+)*$")]
    private static partial Regex SpecRegex();
}
