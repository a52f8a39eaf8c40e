using Misgen.Nn;

namespace Misgen.Tests.Nn;

public sealed class BackgroundForwardTests
{
    /// <summary>An edit given as a delegate, for tests.</summary>
    private sealed class Lambda(string point, Action<ActivationView, int> body) : ActivationEdit(point)
    {
        public override void Apply(ActivationView activation, int sample) => body(activation, sample);
    }

    /// <summary>The background with a random patch of pixels changed per observation: corners, edges, the middle, nothing, everything.</summary>
    private static byte[] Variations(byte[] background, int size, int count, ulong seed)
    {
        var rng = new Rng(seed);
        var all = new byte[count * background.Length];
        for (int n = 0; n < count; n++)
        {
            var obs = all.AsSpan(n * background.Length, background.Length);
            background.CopyTo(obs);
            if (n == 0) continue; // unchanged
            int w = n == 1 ? size : 1 + rng.NextInt(6), h = n == 1 ? size : 1 + rng.NextInt(6);
            int x0 = n switch { 1 => 0, 2 => 0, 3 => size - w, _ => rng.NextInt(size - w + 1) };
            int y0 = n switch { 1 => 0, 2 => 0, 3 => size - h, _ => rng.NextInt(size - h + 1) };
            for (int y = y0; y < y0 + h; y++)
                for (int x = x0; x < x0 + w; x++)
                    for (int c = 0; c < 3; c++) obs[(y * size + x) * 3 + c] = (byte)rng.NextInt(256);
        }
        return all;
    }

    [Theory]
    [InlineData(16, 3, 17, 5)]
    [InlineData(32, 16, 32, 32)]
    [InlineData(24, 32, 16, 8)]
    [InlineData(64, 16, 32, 32)]
    public void Observations_over_a_background_give_the_plain_outputs_bit_for_bit(int size, int w1, int w2, int w3)
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(size, w1, w2, w3, 15, 12), 5);
        var background = ImpalaCnnTests.RandomObservations(1, size, 6);
        const int batch = 21;
        var obs = Variations(background, size, batch, 7);
        var (plain, plainValues) = (new float[batch * 15], new float[batch]);
        model.Forward(obs, batch, plain, plainValues);
        var (shared, sharedValues) = (new float[batch * 15], new float[batch]);
        model.ForwardOverBackground(background, obs, batch, shared, sharedValues);
        Assert.Equal(plain, shared);
        Assert.Equal(plainValues, sharedValues);
        // Again: what one call changed in the workspaces was put back.
        model.ForwardOverBackground(background, obs, batch, shared, sharedValues);
        Assert.Equal(plain, shared);
    }

    [Theory]
    [InlineData("embedder.block2.res1.resadd")]
    [InlineData("embedder.relu3")]
    [InlineData("embedder.block1.res2.relu1")] // block 1 edited: the plain edited pass runs
    public void Edits_apply_as_in_the_plain_edited_pass(string point)
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(16, 3, 17, 5, 15, 12), 8);
        var background = ImpalaCnnTests.RandomObservations(1, 16, 9);
        var obs = Variations(background, 16, 9, 10);
        var edits = new ActivationEdits([new Lambda(point, (a, _) => a.ScaleChannel(1, -2))]);
        var (expected, got) = (new float[9 * 15], new float[9 * 15]);
        model.Forward(obs, 9, expected, new float[9], edits);
        model.ForwardOverBackground(background, obs, 9, got, new float[9], edits);
        Assert.Equal(expected, got);
    }
}
