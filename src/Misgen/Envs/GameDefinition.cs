namespace Misgen.Envs;

/// <summary>
/// One entry of the <see cref="GameCatalogue"/>: everything the rest of Misgen asks about a game — its name,
/// spec grammar and options (with help for <c>misgen envs</c>), outcome names, per-episode facts, action set,
/// observation shape — and the factories for its rules and renderer. Adding a game is writing one of these
/// in the game's folder and one line in the catalogue.
/// </summary>
public abstract class GameDefinition
{
    /// <summary>The spec prefix, e.g. <c>maze</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for <c>misgen envs</c>.</summary>
    public abstract string Summary { get; }

    /// <summary>The body after <c>name:</c> in words, e.g. <c>OBJECT[+OBJECT][@BACKGROUND]</c>; "" when the game takes none.</summary>
    public virtual string BodyGrammar => "";

    /// <summary>Example specs, training first.</summary>
    public abstract IReadOnlyList<string> Examples { get; }

    /// <summary>The spec `misgen bench env` measures (case "NAME-SIZE"): the game's training spec.</summary>
    public virtual string BenchSpec => Examples[0];

    /// <summary>More lines of help for <c>misgen envs</c> (the body's vocabulary, what is unconfirmed).</summary>
    public virtual IReadOnlyList<string> Notes => [];

    public abstract IReadOnlyList<SpecOption> Options { get; }

    /// <summary>How episodes end, by code; codes are 1..255 and stable (results.db stores them).</summary>
    public abstract IReadOnlyList<OutcomeInfo> Outcomes { get; }

    /// <summary>Names of the per-episode facts the game reports (at most <see cref="EpisodeFacts.Count"/>).</summary>
    public virtual IReadOnlyList<string> Facts => [];

    public virtual ActionSet Actions => ActionSet.Procgen;

    /// <summary>Observation side when nothing else asks (procgen: 64).</summary>
    public virtual int DefaultObservationSize => 64;

    /// <summary>Bytes per observation pixel: 3 for RGB, the plane count for one-hot gridworlds.</summary>
    public virtual int ObservationChannels => 3;

    /// <summary>Names of the observation channels, for the channels view.</summary>
    public virtual IReadOnlyList<string> ChannelNames => ["R", "G", "B"];

    /// <summary>Side of the human view in pixels (procgen: 512, antialiased).</summary>
    public virtual int HumanViewSize => 512;

    /// <summary>The characters <see cref="IGame.Describe"/> prints, with their meaning.</summary>
    public abstract IReadOnlyList<KeyValuePair<char, string>> Legend { get; }

    /// <summary>Reads the body and options of a spec of this game; MisgenInputException names the bad part.</summary>
    public abstract GameConfig Parse(string body, SpecValues options);

    public abstract IGame CreateGame(EnvSpec spec);

    /// <summary>The renderer at observation side <paramref name="size"/>; MisgenInputException for sizes the game cannot draw.</summary>
    public abstract IGameRenderer CreateRenderer(EnvSpec spec, int size);

    /// <summary>The outcome with this code; null when the game has no such code.</summary>
    public OutcomeInfo? Outcome(byte code) => Outcomes.FirstOrDefault(o => o.Code == code);

    /// <summary>The outcome's name (for exports); "unknown-N" for a code the game does not define.</summary>
    public string OutcomeName(byte code) => Outcome(code)?.Name ?? $"unknown-{code}";

    public bool IsSuccess(byte code) => Outcome(code)?.IsSuccess ?? false;

    public bool IsTimeout(byte code) => Outcome(code)?.IsTimeout ?? false;

    /// <summary>
    /// The observation as an RGB picture (the agent view): RGB observations as they are; other layouts need
    /// the game to say how they look.
    /// </summary>
    public virtual byte[] ToRgb(ReadOnlySpan<byte> observation, ObservationShape shape)
    {
        if (!shape.IsRgb) throw new NotSupportedException($"the {Name} game does not say how its {shape} observations look");
        return observation[..shape.Bytes].ToArray();
    }

    /// <summary>
    /// An RGB renderer for the human view at side <paramref name="size"/> (the views draw it at twice
    /// <see cref="HumanViewSize"/> and average 2x2 blocks, as procgen antialiases). Default: the agent renderer.
    /// </summary>
    public virtual IGameRenderer CreateHumanRenderer(EnvSpec spec, int size) => CreateRenderer(spec, size);

    /// <summary>Recipes of this game beyond the standard presets (e.g. a CPU recipe found for it).</summary>
    public virtual IReadOnlyList<GamePreset> Presets => [];

    /// <summary>
    /// <c>key=value</c> changes this game makes to a standard preset for a spec (e.g. a harder background
    /// trains longer); applied before the user's <c>--set</c>.
    /// </summary>
    public virtual IReadOnlyList<string> PresetOverrides(string preset, EnvSpec spec) => [];

    /// <summary>A game built from a text grid in the alphabet of <see cref="Legend"/>, for games whose levels can be edited.</summary>
    public virtual IGame FromGrid(EnvSpec spec, IReadOnlyList<string> grid) =>
        throw new MisgenInputException($"the {Name} game cannot build levels from a grid");

    public override string ToString() => Name;
}
