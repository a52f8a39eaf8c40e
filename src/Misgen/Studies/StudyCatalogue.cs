using Misgen.Envs;
using Misgen.Eval;
using Misgen.Studies.CoinRun;
using Misgen.Studies.Cheese;
using Misgen.Studies.ColourShape;
using Misgen.Studies.GridWorlds;
using Misgen.Studies.KeysChests;

namespace Misgen.Studies;

/// <summary>
/// Every study module, one line each, and the questions the rest of Misgen asks about them: which module
/// covers a game, which training conditions and settings exist, what a spec's catalogued setting is.
/// </summary>
public static class StudyCatalogue
{
    public static IReadOnlyList<StudyModule> All { get; } =
    [
        ColourShapeStudy.Instance,
        GridWorldsStudy.Instance,
        CoinRunStudy.Instance,
        KeysChestsStudy.Instance,
        CheeseStudy.Instance,
    ];

    /// <summary>The module covering the game of <paramref name="spec"/> (a bare module for games no study covers).</summary>
    public static StudyModule For(EnvSpec spec) =>
        All.FirstOrDefault(m => m.Covers(spec)) ?? new GameStudy(spec.Game.Name);

    public static StudyModule For(string spec) => For(EnvSpec.Parse(spec));

    /// <summary>Every training condition of every study.</summary>
    public static IEnumerable<TrainingCondition> Conditions => All.SelectMany(m => m.Conditions);

    /// <summary>Every catalogued setting of every study.</summary>
    public static IEnumerable<Setting> Settings => All.SelectMany(m => m.Settings);

    /// <summary>The condition with this training spec; MisgenInputException naming the valid ones otherwise.</summary>
    public static TrainingCondition Condition(string spec)
    {
        string canonical = EnvSpec.TryParse(spec)?.ToString() ?? spec.Trim();
        return Conditions.FirstOrDefault(c => c.Spec == canonical)
            ?? throw MisgenInputException.Unknown("training condition", spec, Conditions.Select(c => c.Spec));
    }

    /// <summary>
    /// The setting for a spec: the catalogued one (with its condition) when a study evaluated it, otherwise an
    /// ad-hoc setting for any valid spec.
    /// </summary>
    public static Setting Resolve(string spec, string? condition = null)
    {
        // Parsing first gives the canonical spelling and a message naming any bad part.
        string canonical = EnvSpec.Parse(spec).ToString();
        var found = Settings.FirstOrDefault(s => s.Spec == canonical && (condition is null || s.Condition == condition))
                    ?? Settings.FirstOrDefault(s => s.Spec == canonical);
        return found ?? new Setting(canonical, condition);
    }
}
