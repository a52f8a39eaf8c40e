namespace Misgen.Envs.Procgen;

/// <summary>The fixed colours of the maze (docs/ORIGINS.md §2).</summary>
public static class Palette
{
    public static readonly (byte R, byte G, byte B) Wall = (201, 152, 105);
    public static readonly (byte R, byte G, byte B) Mouse = (187, 203, 204);
    public static readonly (byte R, byte G, byte B) MouseEar = (240, 160, 175);
    public static readonly (byte R, byte G, byte B) MouseEye = (30, 30, 35);
    public static readonly (byte R, byte G, byte B) MouseTail = (214, 150, 160);
    public const byte Grey = 127;
}
