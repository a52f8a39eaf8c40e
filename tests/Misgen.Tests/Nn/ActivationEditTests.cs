using Misgen.Nn;

namespace Misgen.Tests.Nn;

public sealed class ActivationEditTests
{
    private static readonly ImpalaConfig Small = new(16, 3, 17, 5, 15, 12);

    /// <summary>An edit given as a delegate, for tests.</summary>
    private sealed class Lambda(string point, Action<ActivationView, int> body) : ActivationEdit(point)
    {
        public override void Apply(ActivationView activation, int sample) => body(activation, sample);
    }

    private static (float[] Logits, float[] Values) Forward(ImpalaCnn model, byte[] obs, int batch, ActivationEdits? edits)
    {
        var logits = new float[batch * 15];
        var values = new float[batch];
        if (edits is null) model.Forward(obs, batch, logits, values);
        else model.Forward(obs, batch, logits, values, edits);
        return (logits, values);
    }

    [Fact]
    public void Edits_that_change_nothing_leave_outputs_bit_identical_at_every_hook_point()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 11);
        const int batch = 19; // more than 16 parts' worth: some parts hold two observations
        var obs = ImpalaCnnTests.RandomObservations(batch, 16, 12);
        var (plainLogits, plainValues) = Forward(model, obs, batch, null);
        foreach (string point in ImpalaCnn.HookPoints)
        {
            var edits = new ActivationEdits([new Lambda(point, (a, _) =>
            {
                for (int c = 0; c < a.Channels; c++) a.ScaleChannel(c, 1f);
            })]);
            var (logits, values) = Forward(model, obs, batch, edits);
            Assert.True(plainLogits.SequenceEqual(logits), point);
            Assert.True(plainValues.SequenceEqual(values), point);
        }
    }

    [Theory]
    [InlineData("embedder.block1.conv", 2)]
    [InlineData("embedder.block1.res2.conv2", 1)]
    [InlineData("embedder.block2.res1.relu1", 16)]
    [InlineData("embedder.block2.res1.resadd", 7)]
    [InlineData("embedder.block3.maxpool", 4)]
    [InlineData("embedder.relu3", 3)]
    [InlineData("embedder.fc", 5)]
    [InlineData("embedder.relufc", 0)]
    public void Zeroing_a_channel_equals_the_reference_network_with_that_channel_zeroed(string point, int start)
    {
        int channel = start;
        var model = ImpalaCnnTests.RandomModel(Small, 21);
        const int batch = 3;
        var obs = ImpalaCnnTests.RandomObservations(batch, 16, 22);
        var (plainLogits, _) = Forward(model, obs, batch, null);
        // The first channel from the one named whose zeroing matters (a unit that is never positive does not).
        int channels = model.HookShape(point).Channels;
        (float[] Logits, float[] Values) Zeroed(int c) => Forward(model, obs, batch, new ActivationEdits([new Lambda(point, (a, _) => a.FillChannel(c, 0))]));
        while (Zeroed(channel).Logits.SequenceEqual(plainLogits))
        {
            channel = (channel + 1) % channels;
            Assert.NotEqual(start, channel);
        }
        var (logits, values) = Zeroed(channel);
        var reference = new ReferenceImpala(model);
        int bytes = 16 * 16 * 3;
        for (int n = 0; n < batch; n++)
        {
            var expected = reference.Run(obs.AsSpan(n * bytes, bytes), (name, act) =>
            {
                if (name != point) return act;
                var copy = (double[])act.Clone();
                int area = copy.Length / model.HookShape(point).Channels;
                Array.Clear(copy, channel * area, area);
                return copy;
            });
            for (int a = 0; a < 15; a++) Assert.Equal(expected["logits"][a], logits[n * 15 + a], 1e-4);
            Assert.Equal(expected["values"][0], values[n], 1e-4);
        }
    }

    [Fact]
    public void A_view_shows_the_same_values_as_the_cache_in_chw_order_and_writes_flow_on()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 31);
        const int batch = 4;
        var obs = ImpalaCnnTests.RandomObservations(batch, 16, 32);
        const string point = "embedder.block2.res2.conv1";
        var cached = model.RunWithCache(obs, batch, [point]).Cache[point];
        var seen = new float[cached.Count];
        int per = cached.Count / batch;
        var record = new ActivationEdits([new Lambda(point, (a, n) => a.CopyTo(seen.AsSpan(n * per, per)))]);
        Forward(model, obs, batch, record);
        Assert.Equal(cached.Data, seen);
        // Setting one value through the view equals the slow hook doing the same.
        var set = new ActivationEdits([new Lambda(point, (a, _) => a[3, 1, 2] = 2.5f)]);
        var (logits, _) = Forward(model, obs, batch, set);
        var hooked = model.RunWithHooks(obs, batch, [(point, (t, _) => { for (int n = 0; n < batch; n++) t[n, 3, 1, 2] = 2.5f; })]);
        for (int i = 0; i < logits.Length; i++) Assert.Equal(hooked.Logits.Data[i], logits[i], 1e-5);
        // A failing edit surfaces its own exception: wrapped when a parallel part ran it, as is when the calling thread
        // did (which happens depends on the shared pool's size, set by whichever test ran before).
        var error = Assert.ThrowsAny<Exception>(() => Forward(model, obs, batch, new ActivationEdits([new Lambda(point, (a, _) => a[17, 0, 0] = 1)])));
        Assert.IsType<IndexOutOfRangeException>(error is AggregateException wrapped ? wrapped.InnerException : error);
    }

    [Fact]
    public void Edited_passes_allocate_nothing_after_warm_up()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 41);
        model.ThreadPool = new WorkerPool(1);
        var obs = ImpalaCnnTests.RandomObservations(8, 16, 42);
        var logits = new float[8 * 15];
        var values = new float[8];
        var edits = new ActivationEdits([new Lambda("embedder.relu3", (a, _) => a.FillChannel(1, 0)), new Lambda("embedder.block1.res1.conv2", (a, _) => a.ScaleChannel(0, 2))]);
        // Two warm-up passes, as the other allocation tests take: the first builds the workspaces, the second
        // lets the runtime finish its own one-time work for the edited path.
        model.Forward(obs, 8, logits, values, edits);
        model.Forward(obs, 8, logits, values, edits);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) model.Forward(obs, 8, logits, values, edits);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Unknown_hook_point_is_bad_input()
    {
        var e = Assert.Throws<MisgenInputException>(() => new Lambda("embedder.relu4", (_, _) => { }));
        Assert.Contains("embedder.relu3", e.Message);
    }
}
