namespace Misgen.Rl;

/// <summary>
/// Generalised advantage estimation over one rollout, CleanRL's layout: arrays are [step * envs + env];
/// <c>starts[t*envs+i]</c> is true when observation t of env i is the first of a new episode (the step
/// before ended one), so nothing is bootstrapped across it. Timeouts count as ends, as in the original.
/// </summary>
public static class Gae
{
    public static void Compute(
        ReadOnlySpan<float> rewards, ReadOnlySpan<float> values, ReadOnlySpan<bool> starts,
        ReadOnlySpan<float> nextValues, ReadOnlySpan<bool> nextStarts,
        int steps, int envs, float gamma, float lambda,
        Span<float> advantages, Span<float> returns)
    {
        int n = steps * envs;
        if (rewards.Length < n || values.Length < n || starts.Length < n || advantages.Length < n || returns.Length < n
            || nextValues.Length < envs || nextStarts.Length < envs)
            throw new ArgumentException("rollout buffers are smaller than steps * envs");
        for (int i = 0; i < envs; i++)
        {
            float lastGae = 0;
            for (int t = steps - 1; t >= 0; t--)
            {
                int k = t * envs + i;
                // Bootstrap from the next observation only if it belongs to the same episode.
                bool nextIsStart = t == steps - 1 ? nextStarts[i] : starts[k + envs];
                float nextValue = t == steps - 1 ? nextValues[i] : values[k + envs];
                float nonTerminal = nextIsStart ? 0f : 1f;
                float delta = rewards[k] + gamma * nextValue * nonTerminal - values[k];
                lastGae = delta + gamma * lambda * nonTerminal * lastGae;
                advantages[k] = lastGae;
                returns[k] = lastGae + values[k];
            }
        }
    }
}
