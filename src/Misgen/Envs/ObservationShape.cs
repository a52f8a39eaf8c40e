namespace Misgen.Envs;

/// <summary>
/// What an observation is: <see cref="Size"/> x <see cref="Size"/> pixels (square) with <see cref="Channels"/>
/// bytes each, HWC. Procgen games give RGB (3 channels); gridworlds give one-hot planes (0 or 255 per
/// plane, so the network's /255 scaling sees 0 or 1).
/// </summary>
public readonly record struct ObservationShape(int Size, int Channels)
{
    public int Bytes => Size * Size * Channels;

    public bool IsRgb => Channels == 3;

    public override string ToString() => $"{Size}x{Size}x{Channels}";
}
