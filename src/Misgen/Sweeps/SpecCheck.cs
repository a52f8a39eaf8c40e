using Misgen.Envs.Maze;
using Misgen.Envs;

namespace Misgen.Sweeps;

/// <summary>
/// Checks env specs of study files with EnvSpec.Parse at plan time, so a typo fails with its line
/// number rather than hours later inside a task, and spells them canonically (stable ids and fingerprints).
/// </summary>
internal static class SpecCheck
{
    /// <summary>The canonical spec, or null with <paramref name="problem"/> saying what is wrong.</summary>
    public static string? Canonical(string spec, bool duel, out string? problem)
    {
        EnvSpec parsed;
        try
        {
            parsed = EnvSpec.Parse(spec);
        }
        catch (MisgenInputException e)
        {
            problem = e.Message;
            return null;
        }
        problem = duel && !parsed.IsDuel ? $"'{spec}' is not a duel (an evaluation setting has two objects: maze:red-line+yellow-gem@textured)"
            : !duel && parsed.IsDuel ? $"'{spec}' is a duel; a training env has one object (maze:yellow-line@textured)"
            : null;
        return problem == null ? parsed.ToString() : null;
    }
}
