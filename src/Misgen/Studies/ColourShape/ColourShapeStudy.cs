using Misgen.Envs.Maze;
using Misgen.Eval;

namespace Misgen.Studies.ColourShape;

/// <summary>
/// The colour-versus-shape study (docs/ORIGINS.md §2): agents trained to reach
/// a line of one colour, tested in duels of two objects that differ in colour, shape or both. Its 77
/// settings, grouped by the six training conditions they were evaluated for, its object icons and the
/// settings its report regresses on each other.
/// </summary>
public sealed class ColourShapeStudy : StudyModule
{
    /// <summary>Line colours in the order <c>misgen settings</c> lists them.</summary>
    public static IReadOnlyList<string> Colours { get; } = MazeObject.PureColours.Select(c => c.ToString().ToLowerInvariant()).ToArray();

    // After Colours: static initialisers run in the order they are written.
    public static ColourShapeStudy Instance { get; } = new();

    private ColourShapeStudy() => conditions = Build();

    private readonly IReadOnlyList<TrainingCondition> conditions;

    public override string Name => "colour-shape";

    public override string Description => "colour versus shape: which object an agent trained on a coloured line pursues in a duel";

    public override IReadOnlyList<string> Games { get; } = ["maze"];

    public override IReadOnlyList<TrainingCondition> Conditions => conditions;

    public override string? Icon(string objectName, double cx, double cy, double size) => ObjectIcon.Draw(objectName, cx, cy, size);

    /// <summary>The published example first: yellow gem vs red line regressed on green line vs red line.</summary>
    public override IReadOnlyList<(string X, string Y)> RegressionPairs { get; } =
    [
        ("maze:green-line+yellow-gem@textured", "maze:red-line+yellow-gem@textured"),
        ("maze:red-line+green-line@textured", "maze:red-line+yellow-gem@textured"),
    ];

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
