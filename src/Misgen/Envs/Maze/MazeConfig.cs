namespace Misgen.Envs.Maze;

/// <summary>
/// A colour-versus-shape maze spec, parsed: one goal object (training, obj1 +10) or two (duel: obj1 +10,
/// obj2 -10), the background, the world size and the timeout.
/// </summary>
public sealed class MazeConfig : GameConfig
{
    internal MazeConfig(MazeObject obj1, MazeObject? obj2, Background background, SpecValues options)
        : base(Canonical(obj1, obj2, background), options)
    {
        Obj1 = obj1;
        Obj2 = obj2;
        Background = background;
        WorldSize = options.Int(MazeDefinition.SizeOption);
        Timeout = options.Int(MazeDefinition.TimeoutOption);
    }

    public MazeObject Obj1 { get; }
    public MazeObject? Obj2 { get; }
    public bool IsDuel => Obj2 is not null;
    public Background Background { get; }
    public int WorldSize { get; }
    public override int Timeout { get; }

    private static string Canonical(MazeObject obj1, MazeObject? obj2, Background background) =>
        (obj2 is { } o2 ? $"{obj1}+{o2}" : obj1.ToString()) + "@" + background.ToString().ToLowerInvariant();
}
