namespace Misgen.Envs.Room;

/// <summary>A room spec, parsed: its side and timeout.</summary>
public sealed class RoomConfig(SpecValues options) : GameConfig("", options)
{
    public int Size { get; } = options.Int("size");
    public override int Timeout { get; } = options.Int("timeout");
}
