using Misgen.Envs.GridWorlds;

namespace Misgen.Envs.Monster;

/// <summary>
/// DeepMind's Monster gridworld (Shah et al. 2022): apples give +1, monsters chase the agent and a hit costs
/// -1 unless the agent holds a shield, which destroys the monster and is used up. Trained on 25-step
/// episodes, where monsters are always around, agents learn to value shields and go on collecting them in
/// 200-step episodes after the last monster is gone. The paper's appendix was not reached: the grid, counts,
/// monster rule and inventory are the documented replica's (docs/GRIDWORLDS.md), each a spec option.
/// </summary>
public sealed class MonsterDefinition : GameDefinition
{
    public const byte Timeout = 1;

    // Planes, in the order the channels view shows them.
    public const int AgentPlane = 0, MonsterPlane = 1, ShieldPlane = 2, ApplePlane = 3, WallPlane = 4, InventoryPlane = 5;

    public static MonsterDefinition Instance { get; } = new();

    private MonsterDefinition() { }

    public override string Name => "monster";

    public override string Summary => "DeepMind's Monster gridworld: apples +1, chasing monsters -1 unless a shield is held (one-hot planes)";

    public override IReadOnlyList<string> Examples { get; } = ["monster", "monster;timeout=200"];

    public override IReadOnlyList<string> Notes { get; } =
    [
        "Shah et al. 2022 confirm: apples +1, a monster hit -1 without a shield, 0 with one (the monster dies, the shield",
        "  is used up), monsters chase the agent, training episodes of 25 steps and evaluation of 200.",
        "UNCONFIRMED (the paper's appendix was not reached): the defaults of size, monsters, shields, apples, double_move,",
        "  inventory_cap and respawn are the cory-wu/monster-interp replica's: a 14x14 open area (observed with its wall",
        "  as 16x16), 5 of each, a 20% chance that monsters move twice, at most 10 shields held, collected items reappear.",
        "Monsters chase as in that replica: in a random order each monster steps to the free neighbour nearest the agent",
        "  (Manhattan distance, ties broken at random); stepping onto the agent is a hit. The level seed drives every draw.",
        "Observation: 6 one-hot planes (agent, monster, shield, apple, wall, inventory: k shields held light the first k",
        "  cells of the top row). 4 actions: left, down, up, right (no no-op, as in the replica).",
        "Episodes end only by the timeout. Facts: apples and shields collected, hits, monsters killed, the step the last",
        "  monster died (-1: never) and the apples and shields collected after it. docs/GRIDWORLDS.md has the details.",
    ];

    public override IReadOnlyList<SpecOption> Options { get; } =
    [
        SpecOption.Int("size", 14, 2, 62, "side of the open area in cells (replica: 14; observed with its wall as size+2)"),
        SpecOption.Int("monsters", 5, 0, 64, "monsters at the start (replica: 5)"),
        SpecOption.Int("shields", 5, 0, 64, "shields on the grid (replica: 5)"),
        SpecOption.Int("apples", 5, 0, 64, "apples on the grid (replica: 5)"),
        SpecOption.Number("double_move", 0.2, 0, 1, "chance per step that the monsters move twice (replica: 0.2)"),
        SpecOption.Int("inventory_cap", 10, 1, 64, "most shields held (replica: 10)"),
        SpecOption.Choice("respawn", "on", ["on", "off"], "a collected apple or shield reappears on a random empty cell (replica: on)"),
        SpecOption.Int("timeout", 25, 1, 100_000, "steps per episode (paper: 25 in training, 200 in evaluation)"),
    ];

    public override IReadOnlyList<OutcomeInfo> Outcomes { get; } = [new(Timeout, "timeout", IsTimeout: true)];

    public override IReadOnlyList<string> Facts { get; } =
        ["apples", "shields", "hits", "kills", "clear_step", "apples_after_clear", "shields_after_clear"];

    public override ActionSet Actions => GridMoves.Actions;

    public override int DefaultObservationSize => 16;

    public override int ObservationChannels => 6;

    public override IReadOnlyList<string> ChannelNames { get; } = ["agent", "monster", "shield", "apple", "wall", "inventory"];

    public static PlanePalette Palette { get; } = new(
        [(255, 255, 255), (190, 40, 210), (60, 130, 255), (220, 40, 40), (110, 110, 110), (255, 210, 0)],
        [WallPlane, ApplePlane, ShieldPlane, MonsterPlane, AgentPlane, InventoryPlane]);

    public override IReadOnlyList<KeyValuePair<char, string>> Legend { get; } =
        [new('#', "wall"), new('.', "floor"), new('A', "agent"), new('M', "monster"), new('S', "shield"), new('a', "apple")];

    public override IReadOnlyList<GamePreset> Presets { get; } =
    [
        new("monster-25", "fast", MonsterRecipe, "Monster on 25-step episodes (the paper's training); use with the spec monster"),
        new("monster-200", "fast", MonsterRecipe, "Monster on 200-step episodes (the baseline that prefers apples); use with monster;timeout=200"),
    ];

    // One recipe for both: only the episode length (the spec) differs between the two groups. The fast recipe at
    // the world's native 16x16 (one pixel per cell) and 400k steps: what ten agents cost on this project's shared
    // 2-core machine in an hour (BENCHMARKS.md, "Monster and Tree").
    // A property, not a field: Instance is built during static initialisation, before later static fields are set.
    private static string[] MonsterRecipe => ["total_steps=400000", "observation_size=16"];

    public override IReadOnlyList<string> PresetOverrides(string preset, EnvSpec spec) => [];

    public override GameConfig Parse(string body, SpecValues options) =>
        body.Trim().Length == 0
            ? new MonsterConfig(options)
            : throw new MisgenInputException($"the monster game takes no body, got '{body}'; write monster[;key=value...] (see misgen envs)");

    public override IGame CreateGame(EnvSpec spec) => new MonsterGame(spec);

    public override IGameRenderer CreateRenderer(EnvSpec spec, int size) =>
        new PlaneRenderer<MonsterGame>("monster", spec.ConfigAs<MonsterConfig>().Side, ObservationChannels, size);

    public override IGameRenderer CreateHumanRenderer(EnvSpec spec, int size) =>
        new PlanePictureRenderer<MonsterGame>(spec.ConfigAs<MonsterConfig>().Side, ObservationChannels, Palette, size);

    public override byte[] ToRgb(ReadOnlySpan<byte> observation, ObservationShape shape) => Palette.ToRgb(observation, shape);
}
