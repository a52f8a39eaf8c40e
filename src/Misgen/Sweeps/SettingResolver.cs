using Misgen.Studies;

namespace Misgen.Sweeps;

/// <summary>
/// Setting names in a study file that are not env specs: `all` = every setting the published study
/// evaluated for the condition's training env (the study modules' catalogues, `misgen settings`).
/// </summary>
internal static class SettingResolver
{
    public static IReadOnlyList<StudySetting>? Resolve(string name, string trainingEnv)
    {
        if (name != "all") return null;
        var condition = StudyCatalogue.Conditions.FirstOrDefault(c => c.Spec == trainingEnv);
        return condition?.Settings.Select(s => new StudySetting(StudyFile.SettingName(s.Spec), s.Spec)).ToList();
    }

    public static string Unresolved(string name, string trainingEnv) => name == "all"
        ? $"`all` means the catalogue's settings of the training env, and '{trainingEnv}' is not a catalogued condition " +
          $"({string.Join(", ", StudyCatalogue.Conditions.Select(c => c.Spec))}); list env specs instead"
        : $"'{name}' is neither an env spec (e.g. maze:red-line+yellow-gem@textured) nor `all`";
}
