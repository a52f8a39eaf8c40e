namespace Misgen.Studies;

/// <summary>
/// The module of a game no published study covers yet: procgen's protocol (training levels 0..99999,
/// evaluation from 100000), no catalogued settings.
/// </summary>
public sealed class GameStudy(string game) : StudyModule
{
    public override string Name => game;
    public override string Description => $"evaluations of the {game} game";
    public override IReadOnlyList<string> Games { get; } = [game];
}
