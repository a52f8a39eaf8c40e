using System.Runtime.InteropServices;
using Misgen.Envs;

namespace Misgen.Native;

/// <summary>
/// One finished episode as the C ABI writes it (<c>misgen_episode</c> in include/misgen.h): 48 bytes, fields in
/// this order. <see cref="Outcome"/> 0 means no episode ended in that env at that step.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeEpisode
{
    public int Outcome;
    public int Steps;
    public int LevelSeed;
    public float Return;
    public fixed float Facts[EpisodeFacts.Count];

    public static void Write(in EpisodeInfo info, NativeEpisode* target)
    {
        target->Outcome = info.Outcome;
        target->Steps = info.Steps;
        target->LevelSeed = info.LevelSeed;
        target->Return = info.Return;
        ReadOnlySpan<float> facts = info.Facts;
        for (int i = 0; i < EpisodeFacts.Count; i++) target->Facts[i] = facts[i];
    }
}

/// <summary>A VecEnv behind a handle, with the lock that keeps two caller threads from stepping it at once.</summary>
internal sealed class NativeVecEnv(VecEnv env)
{
    public VecEnv Env { get; } = env;
    public object Gate { get; } = new();
    public bool WasReset { get; set; }
}
