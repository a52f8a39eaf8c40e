using Misgen.Envs.Maze;
using Misgen.Envs;

namespace Misgen.Eval;

/// <summary>
/// Every test setting of the published colour-versus-shape study (ORIGINALS section 5), grouped by
/// the training condition it was evaluated for, spelled as env specs. Any other duel spec can be
/// evaluated too (<see cref="Resolve"/>); the catalogue only names the study's.
/// </summary>
public static class SettingCatalogue
{
    /// <summary>Line colours in the order <c>misgen settings</c> lists them.</summary>
    public static readonly IReadOnlyList<string> Colours = ["black", "blue", "cyan", "green", "purple", "red", "white", "yellow"];

    public static IReadOnlyList<TrainingCondition> Conditions { get; } = Build();

    /// <summary>Every catalogued setting, condition by condition.</summary>
    public static IEnumerable<Setting> All => Conditions.SelectMany(c => c.Settings);

    /// <summary>The condition with this training spec; MisgenInputException naming the valid ones otherwise.</summary>
    public static TrainingCondition Condition(string spec) =>
        Conditions.FirstOrDefault(c => c.Spec == spec.Trim())
        ?? throw MisgenInputException.Unknown("training condition", spec, Conditions.Select(c => c.Spec));

    /// <summary>
    /// The setting for a spec: the catalogued one (with its condition) when the study evaluated it,
    /// otherwise an ad-hoc setting for any duel spec.
    /// </summary>
    public static Setting Resolve(string spec, string? condition = null)
    {
        // Parsing first gives the canonical spelling and a message naming any bad part.
        string canonical = EnvSpec.Parse(spec).ToString();
        var found = All.FirstOrDefault(s => s.Spec == canonical && (condition is null || s.Condition == condition))
                    ?? All.FirstOrDefault(s => s.Spec == canonical);
        return found ?? new Setting(canonical, condition);
    }

    private static List<TrainingCondition> Build()
    {
        return
        [
            Make("yellow-line", "textured", "Yellow line, textured backgrounds",
                [.. LinesVersus("yellow-gem"), Duel("yellow-line", "yellow-line"),
                 .. Lines(("red", "green"), ("green", "blue"), ("blue", "red"), ("black", "white"),
                          ("cyan", "purple"), ("purple", "yellow"), ("yellow", "cyan"))]),
            Make("yellow-line", "black", "Yellow line, black background",
                [.. LinesVersus("yellow-gem"),
                 .. Lines(("red", "green"), ("green", "red"), ("white", "yellow")),
                 Duel("black-gem", "black-gem"), Duel("yellow-line", "black-gem"), Duel("green-line", "yellow-line")]),
            Make("white-line", "black", "White line, black background",
                [.. Lines(("red", "green"), ("green", "blue"), ("blue", "red"), ("cyan", "purple"),
                          ("purple", "yellow"), ("yellow", "cyan"), ("white", "yellow")),
                 Duel("white-line", "white-line"),
                 Duel("white-line", "white-gem"), Duel("yellow-line", "white-gem"), Duel("red-line", "white-gem")]),
            Make("yellow-line", "grey", "Yellow line, grey background",
                [.. LinesVersus("yellow-gem"), .. Lines(("red", "green"), ("green", "white"), ("white", "red"))]),
            Make("red-line", "grey", "Red line, grey background",
                [.. LinesVersus("red-gem"), .. Lines(("black", "yellow"), ("yellow", "purple"), ("purple", "black"))]),
            Make("red-line", "black", "Red line, black background",
                [.. LinesVersus("red-gem"),
                 .. Lines(("red", "yellow"), ("red", "green"), ("green", "blue"), ("blue", "red"),
                          ("yellow", "cyan"), ("yellow", "purple"))]),
        ];
    }

    private static IEnumerable<(string, string)> LinesVersus(string obj2) => Colours.Select(c => ($"{c}-line", obj2));

    private static IEnumerable<(string, string)> Lines(params (string A, string B)[] pairs) =>
        pairs.Select(p => ($"{p.A}-line", $"{p.B}-line"));

    private static (string, string) Duel(string obj1, string obj2) => (obj1, obj2);

    private static TrainingCondition Make(string goal, string background, string description, List<(string Obj1, string Obj2)> duels)
    {
        string condition = $"maze:{goal}@{background}";
        return new TrainingCondition(condition, description,
            duels.Select(d => new Setting($"maze:{d.Obj1}+{d.Obj2}@{background}", condition)).ToList());
    }
}
