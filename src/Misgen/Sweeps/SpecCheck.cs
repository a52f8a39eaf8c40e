using Misgen.Envs;

namespace Misgen.Sweeps;

/// <summary>
/// Checks env specs of study files with EnvSpec.Parse at plan time, so a typo fails with its line
/// number rather than hours later inside a task, and spells them canonically (stable ids and fingerprints).
/// </summary>
internal static class SpecCheck
{
    /// <summary>The canonical spec, or null with <paramref name="problem"/> saying what is wrong.</summary>
    public static string? Canonical(string spec, out string? problem)
    {
        try
        {
            problem = null;
            return EnvSpec.Parse(spec).ToString();
        }
        catch (MisgenInputException e)
        {
            problem = e.Message;
            return null;
        }
    }
}
