namespace Misgen.Sweeps;

/// <summary>
/// Turns setting names from a study file into duel specs: `all` (every catalogue setting of the
/// condition's training env) or a catalogue name. The catalogue belongs to Misgen.Eval; until it is
/// in this build only explicit duel specs resolve (this is the single place to connect it).
/// </summary>
internal static class SettingResolver
{
    public static IReadOnlyList<StudySetting>? Resolve(string name, string trainingEnv) => null;

    public static string Unresolved(string name, string trainingEnv) =>
        $"'{name}' is not a duel env spec, and setting names and `all` need the settings catalogue, which is not in this build; " +
        "list duel specs such as maze:red-line+yellow-gem@textured";
}
