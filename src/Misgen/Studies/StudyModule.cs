using Misgen.Envs;
using Misgen.Eval;

namespace Misgen.Studies;

/// <summary>
/// What Misgen knows about one published study, in one place: the games it covers, the training and
/// evaluation levels of its protocol, its training conditions with the test settings each was evaluated on,
/// and what its report shows (object icons, the settings it regresses on each other). Evaluation, sweeps,
/// the demo and the report ask the module; a new study adds its own module beside the others and one line
/// in the <see cref="StudyCatalogue"/>.
/// </summary>
public abstract class StudyModule
{
    /// <summary>Short name, e.g. <c>colour-shape</c>.</summary>
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>Names of the games whose settings this study reports.</summary>
    public abstract IReadOnlyList<string> Games { get; }

    /// <summary>
    /// Training levels are 0..TrainLevels-1 and evaluation starts right after them: procgen's protocol as the
    /// published studies ran it (num_levels 100000; evaluation on levels 100000..100999, one episode each).
    /// </summary>
    public virtual int TrainLevels => 100_000;

    public virtual int EvalStartLevel => TrainLevels;

    public virtual int EvalLevels => 1_000;

    /// <summary>The study's training conditions, each with the settings it was tested on.</summary>
    public virtual IReadOnlyList<TrainingCondition> Conditions => [];

    /// <summary>Every catalogued setting, condition by condition.</summary>
    public IEnumerable<Setting> Settings => Conditions.SelectMany(c => c.Settings);

    /// <summary>An SVG picture (centred at cx, cy) of an object named in a setting; null when the study has none.</summary>
    public virtual string? Icon(string objectName, double cx, double cy, double size) => null;

    /// <summary>Pairs of settings whose preferences the report regresses on each other, preferred first (x, y).</summary>
    public virtual IReadOnlyList<(string X, string Y)> RegressionPairs => [];

    /// <summary>The study's own measures of these episodes, one line per agent and setting (printed by `misgen eval`); none by default.</summary>
    public virtual IReadOnlyList<string> SummaryLines(IEnumerable<EpisodeRow> episodes) => [];

    public bool Covers(EnvSpec spec) => Games.Contains(spec.Game.Name);

    public override string ToString() => Name;
}
