namespace Misgen.Envs.Room;

/// <summary>
/// The smallest game: an empty square room, the agent starts in the bottom-left cell and is rewarded (+10,
/// episode over) for reaching a green square placed by the level seed. It exists to show, and to test,
/// that a game is one folder plus one catalogue line (docs/ADDING-A-GAME.md).
/// </summary>
public sealed class RoomDefinition : GameDefinition
{
    public const byte Goal = 1;
    public const byte Timeout = 2;

    public static RoomDefinition Instance { get; } = new();

    private RoomDefinition() { }

    public override string Name => "room";

    public override string Summary => "an empty room: reach the green square (a toy game for tests and for docs/ADDING-A-GAME.md)";

    public override IReadOnlyList<string> Examples { get; } = ["room", "room;size=7;timeout=100"];

    public override IReadOnlyList<SpecOption> Options { get; } =
    [
        SpecOption.Int("size", 5, 2, 32, "side of the room in cells"),
        SpecOption.Int("timeout", 50, 1, 100_000, "steps before an episode is truncated"),
    ];

    public override IReadOnlyList<OutcomeInfo> Outcomes { get; } =
        [new(Goal, "goal", IsSuccess: true), new(Timeout, "timeout", IsTimeout: true)];

    public override IReadOnlyList<string> Facts { get; } = ["start_distance"];

    public override IReadOnlyList<KeyValuePair<char, string>> Legend { get; } =
        [new('.', "floor"), new('A', "agent"), new('G', "goal")];

    public override GameConfig Parse(string body, SpecValues options) =>
        body.Trim().Length == 0
            ? new RoomConfig(options)
            : throw new MisgenInputException($"the room game takes no body, got '{body}'; write room[;size=N][;timeout=N]");

    public override IGame CreateGame(EnvSpec spec) => new RoomGame(spec);

    public override IGameRenderer CreateRenderer(EnvSpec spec, int size) => new RoomRenderer(spec.ConfigAs<RoomConfig>().Size, size);
}
