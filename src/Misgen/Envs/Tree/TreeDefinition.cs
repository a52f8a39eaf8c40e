using Misgen.Envs.GridWorlds;

namespace Misgen.Envs.Tree;

/// <summary>
/// DeepMind's Tree gridworld (Shah et al. 2022): a continual world where chopping a tree gives +1 and trees
/// regrow more slowly the fewer are left. There is no train/test split: an agent that chops greedily drives
/// the trees extinct and earns almost nothing until they return; the "test" is its own future.
/// </summary>
public sealed class TreeDefinition : GameDefinition
{
    public const byte Timeout = 1;
    public const int AgentPlane = 0, TreePlane = 1;

    public static TreeDefinition Instance { get; } = new();

    private TreeDefinition() { }

    public override string Name => "tree";

    public override string Summary => "DeepMind's Tree gridworld: a continual world, chopping a tree +1, slower regrowth when few are left (one-hot planes)";

    public override IReadOnlyList<string> Examples { get; } = ["tree", "tree;timeout=1000"];

    public override IReadOnlyList<string> Notes { get; } =
    [
        "Shah et al. 2022 (appendix, as quoted): a 10x10 world with the agent and 10 trees, observed as a 12x12x2 one-hot",
        "  image (agent, tree; the border lights no plane), +1 per chopped tree, and below n_max trees one new tree on a",
        "  random empty cell with chance max(r_min, r_max log(1+n) / log(1+n_max)) per step; r_min 1e-6, r_max 0.3, n_max 10.",
        "Continual: timeout=0 (the default) is one episode per env that never ends; give a timeout to evaluate.",
        "UNCONFIRMED: the actions (here left, down, up, right; stepping onto a tree chops it and the agent takes its cell)",
        "  and the count n in the formula (here the trees left after this step's chop). No 20% gate before the draw",
        "  (that is myndrws/procgenAISC's, not the paper's). The trainer observes the 12x12 world at 16x16, zero-padded.",
        "Facts: chops, trees alive, extinctions (times the last tree was chopped) and steps without trees.",
    ];

    public override IReadOnlyList<SpecOption> Options { get; } =
    [
        SpecOption.Int("size", 10, 2, 62, "side of the open area in cells (paper: 10; observed with its border as size+2)"),
        SpecOption.Int("trees", 10, 0, 3843, "trees at the start (paper: 10)"),
        SpecOption.Int("n_max", 10, 1, 3843, "regrowth stops at this many trees (paper: 10)"),
        SpecOption.Number("r_min", 1e-6, 0, 1, "smallest regrowth chance per step (paper: 1e-6)"),
        SpecOption.Number("r_max", 0.3, 0, 1, "regrowth chance scale (paper: 0.3)"),
        SpecOption.Int("timeout", 0, 0, 100_000_000, "steps per episode; 0 = continual, never reset (paper: continual)"),
    ];

    public override IReadOnlyList<OutcomeInfo> Outcomes { get; } = [new(Timeout, "timeout", IsTimeout: true)];

    public override IReadOnlyList<string> Facts { get; } = ["chops", "trees", "extinctions", "treeless_steps"];

    public override ActionSet Actions => GridMoves.Actions;

    public override int DefaultObservationSize => 16;

    public override int ObservationChannels => 2;

    public override IReadOnlyList<string> ChannelNames { get; } = ["agent", "tree"];

    public static PlanePalette Palette { get; } = new([(255, 255, 255), (40, 170, 60)], [TreePlane, AgentPlane]);

    public override IReadOnlyList<KeyValuePair<char, string>> Legend { get; } =
        [new('#', "border"), new('.', "floor"), new('A', "agent"), new('T', "tree")];

    public override IReadOnlyList<GamePreset> Presets { get; } =
    [
        new("tree-continual", "fast", ["total_steps=300000", "num_envs=1", "num_steps=1024", "num_minibatches=4", "observation_size=16", "anneal_lr=false"],
            "Tree, continual: one world per agent (as the paper's online setting), so its extinction and any recovery are the agent's own; a constant learning rate"),
    ];

    public override GameConfig Parse(string body, SpecValues options) =>
        body.Trim().Length == 0
            ? new TreeConfig(options)
            : throw new MisgenInputException($"the tree game takes no body, got '{body}'; write tree[;key=value...] (see misgen envs)");

    public override IGame CreateGame(EnvSpec spec) => new TreeGame(spec);

    public override IGameRenderer CreateRenderer(EnvSpec spec, int size) =>
        new PlaneRenderer<TreeGame>("tree", spec.ConfigAs<TreeConfig>().Side, ObservationChannels, size);

    public override IGameRenderer CreateHumanRenderer(EnvSpec spec, int size) =>
        new PlanePictureRenderer<TreeGame>(spec.ConfigAs<TreeConfig>().Side, ObservationChannels, Palette, size);

    public override byte[] ToRgb(ReadOnlySpan<byte> observation, ObservationShape shape) => Palette.ToRgb(observation, shape);
}
