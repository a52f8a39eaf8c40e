namespace Misgen.Eval;

/// <summary>
/// The random stream that samples an agent's actions in one evaluation episode. It depends only on
/// (agent, setting, level seed), so an episode is the same whether it ran in a full evaluation, a
/// resumed one, a different batch size, or again for a video.
/// </summary>
public static class ActionSampling
{
    public static Rng ForEpisode(string agent, string setting, int levelSeed) =>
        Rng.ForStream(Key(agent, setting) ^ (ulong)levelSeed * 0x9E3779B97F4A7C15UL, "eval-actions");

    public static ulong Key(string agent, string setting)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in agent) h = (h ^ c) * 1099511628211UL;
        h = (h ^ 0x1F) * 1099511628211UL; // separator: ("ab", "c") differs from ("a", "bc")
        foreach (char c in setting) h = (h ^ c) * 1099511628211UL;
        return h;
    }
}
