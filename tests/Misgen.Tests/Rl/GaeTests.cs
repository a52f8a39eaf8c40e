using Misgen.Rl;

namespace Misgen.Tests.Rl;

public sealed class GaeTests
{
    // Reference: the forward sum A_t = sum_l (gamma*lambda)^l delta_{t+l}, cut where the episode ends,
    // computed in doubles directly from the definition.
    [Fact]
    public void Matches_the_definition()
    {
        const int steps = 9, envs = 3;
        const float gamma = 0.97f, lambda = 0.9f;
        var rng = new Rng(3);
        float[] rewards = new float[steps * envs], values = new float[steps * envs];
        bool[] starts = new bool[steps * envs];
        for (int k = 0; k < rewards.Length; k++)
        {
            rewards[k] = rng.NextInt(4) == 0 ? 1f : 0f;
            values[k] = rng.NextFloat() * 2 - 1;
            starts[k] = rng.NextInt(4) == 0;
        }
        float[] nextValues = [0.5f, -0.25f, 1f];
        bool[] nextStarts = [false, true, false];
        float[] adv = new float[steps * envs], ret = new float[steps * envs];
        Gae.Compute(rewards, values, starts, nextValues, nextStarts, steps, envs, gamma, lambda, adv, ret);

        for (int i = 0; i < envs; i++)
        {
            double V(int t) => t == steps ? nextValues[i] : values[t * envs + i];
            bool Start(int t) => t == steps ? nextStarts[i] : starts[t * envs + i];
            for (int t = 0; t < steps; t++)
            {
                double expected = 0, weight = 1;
                for (int u = t; u < steps; u++)
                {
                    bool ends = Start(u + 1);
                    double delta = rewards[u * envs + i] + (ends ? 0 : (double)gamma * V(u + 1)) - V(u);
                    expected += weight * delta;
                    if (ends) break;
                    weight *= (double)gamma * lambda;
                }
                Assert.Equal(expected, adv[t * envs + i], 4);
                Assert.Equal(expected + V(t), ret[t * envs + i], 4);
            }
        }
    }

    [Fact]
    public void Lambda_one_without_ends_is_the_discounted_return_minus_value()
    {
        float[] rewards = [1, 0, 2], values = [0.3f, 0.2f, 0.1f];
        bool[] starts = [false, false, false];
        float[] adv = new float[3], ret = new float[3];
        Gae.Compute(rewards, values, starts, [4f], [false], 3, 1, 0.5f, 1f, adv, ret);
        Assert.Equal(1 + 0.5 * 0 + 0.25 * 2 + 0.125 * 4, ret[0], 5);
        Assert.Equal(2 + 0.5 * 4, ret[2], 5);
    }
}
