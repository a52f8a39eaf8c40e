using System.Runtime.InteropServices;
using System.Text.Json;
using Misgen.Envs;
using Misgen.Nn;
using Misgen.Tests.Nn;
using Xunit.Abstractions;

namespace Misgen.Tests.Native;

/// <summary>
/// The C ABI of libmisgen.so (built by scripts/build-native.sh with Native AOT), called from this process
/// through function pointers, against the managed classes it wraps: the same seeds give the same bytes.
/// </summary>
public sealed unsafe class NativeAbiTests(ITestOutputHelper output) : IDisposable
{
    private const string Duel = "maze:yellow-gem+red-line@textured";
    private const int MaxFacts = 8, EpisodeBytes = 16 + 4 * MaxFacts;
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static LibMisgen Lib => LibMisgen.Instance;

    [Fact]
    public void The_build_step_is_reported_and_the_library_speaks_abi_1()
    {
        var (took, text) = NativeBuild.Report;
        output.WriteLine($"scripts/build-native.sh took {took.TotalSeconds:F1} s: {text}");
        Assert.Equal(1, Lib.AbiVersion());
    }

    [Fact]
    public void Observations_rewards_and_episodes_equal_the_managed_VecEnv_bit_for_bit()
    {
        const int envs = 6, steps = 400;
        long handle = CreateRange(Duel, envs, 100_000, 50, seed: 3);
        using var managed = new VecEnv(EnvSpec.Parse(Duel), envs, LevelSampler.Range(100_000, 50, 3));
        int frame = managed.FrameBytes;
        var obs = new byte[envs * frame];
        var rewards = new float[envs];
        var terminated = new byte[envs];
        var truncated = new byte[envs];
        var episodes = new byte[envs * EpisodeBytes];
        var actions = new int[envs];
        fixed (byte* o = obs) Check(Lib.VecEnvReset(handle, o, obs.Length));
        managed.Reset();
        Assert.True(managed.Observations.SequenceEqual(obs));
        var rng = new Rng(17);
        int finished = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < envs; i++) actions[i] = rng.NextInt(15);
            fixed (int* a = actions)
            fixed (byte* o = obs, te = terminated, tr = truncated, e = episodes)
            fixed (float* r = rewards)
                Check(Lib.VecEnvStep(handle, a, envs, o, obs.Length, r, te, tr, e));
            managed.Step(actions);
            Assert.True(managed.Observations.SequenceEqual(obs), $"observations differ at step {t}");
            Assert.Equal(managed.Rewards.ToArray(), rewards);
            Assert.Equal(managed.Terminated.ToArray(), terminated.Select(b => b == 1).ToArray());
            Assert.Equal(managed.Truncated.ToArray(), truncated.Select(b => b == 1).ToArray());
            for (int i = 0; i < envs; i++)
            {
                var info = managed.Infos[i];
                var bytes = episodes.AsSpan(i * EpisodeBytes, EpisodeBytes);
                Assert.Equal(info.Outcome, BitConverter.ToInt32(bytes));
                Assert.Equal(info.Steps, BitConverter.ToInt32(bytes[4..]));
                Assert.Equal(info.LevelSeed, BitConverter.ToInt32(bytes[8..]));
                Assert.Equal(info.Return, BitConverter.ToSingle(bytes[12..]));
                if (info.IsEpisode) finished++;
            }
        }
        Assert.True(finished > 5, $"only {finished} episodes ended in {steps} steps: the comparison saw too few resets");
        Check(Lib.VecEnvFree(handle));
    }

    [Fact]
    public void Golden_level_seeds_from_a_list_give_the_managed_first_frames()
    {
        int[] seeds = [0, 1, 2, 99, 100_000, 100_099];
        long handle;
        fixed (byte* s = LibMisgen.Utf8(Duel))
        fixed (int* l = seeds)
            Check(Lib.VecEnvCreateLevels(s, seeds.Length, l, seeds.Length, 0, &handle));
        using var managed = new VecEnv(EnvSpec.Parse(Duel), seeds.Length, LevelSampler.Queue(seeds));
        managed.Reset();
        var obs = new byte[managed.Observations.Length];
        fixed (byte* o = obs) Check(Lib.VecEnvReset(handle, o, obs.Length));
        Assert.True(managed.Observations.SequenceEqual(obs));
        for (int i = 0; i < seeds.Length; i++) Assert.Equal(seeds[i], managed.Game(i).LevelSeed);
        Check(Lib.VecEnvFree(handle));
    }

    [Fact]
    public void State_saved_and_restored_replays_the_same_frames()
    {
        const int envs = 3;
        long handle = CreateRange("maze:yellow-line@black", envs, 0, 10, seed: 1);
        int frame = 64 * 64 * 3;
        var obs = new byte[envs * frame];
        var actions = new int[envs];
        fixed (byte* o = obs) Check(Lib.VecEnvReset(handle, o, obs.Length));
        for (int t = 0; t < 7; t++) StepWith(handle, actions, obs, t % 15);
        byte* state;
        long length;
        Check(Lib.VecEnvGetState(handle, &state, &length));
        var saved = new ReadOnlySpan<byte>(state, (int)length).ToArray();
        Lib.Free(state);
        var first = new List<byte[]>();
        for (int t = 0; t < 20; t++) { StepWith(handle, actions, obs, (t * 7) % 15); first.Add((byte[])obs.Clone()); }
        fixed (byte* s = saved) Check(Lib.VecEnvSetState(handle, s, saved.Length));
        for (int t = 0; t < 20; t++)
        {
            StepWith(handle, actions, obs, (t * 7) % 15);
            Assert.True(first[t].AsSpan().SequenceEqual(obs), $"replay differs at step {t}");
        }
        fixed (byte* s = saved) Assert.Equal(1, Lib.VecEnvSetState(handle, s, saved.Length - 1));
        Assert.Contains("wrong length", Lib.LastError);
        Check(Lib.VecEnvFree(handle));
    }

    [Fact]
    public void Bad_input_returns_a_status_and_Misgens_message_never_a_crash()
    {
        long handle;
        fixed (byte* s = LibMisgen.Utf8("maze:no-such-object"))
            Assert.Equal(1, Lib.VecEnvCreate(s, 4, 0, 10, 0, 0, 0, &handle));
        var expected = Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("maze:no-such-object"));
        Assert.Equal(expected.Message, Lib.LastError);
        Assert.Equal(0, handle);
        fixed (byte* s = LibMisgen.Utf8("nosuchgame"))
            Assert.Equal(1, Lib.VecEnvCreate(s, 4, 0, 10, 0, 0, 0, &handle));
        Assert.Contains("maze", Lib.LastError); // names the valid games
        Assert.Equal(1, Lib.VecEnvCreate(null, 4, 0, 10, 0, 0, 0, &handle));
        Assert.Contains("NULL", Lib.LastError);

        handle = CreateRange("maze:yellow-line", 2, 0, 10, 0);
        var obs = new byte[2 * 64 * 64 * 3];
        var actions = new int[2];
        fixed (byte* o = obs)
        fixed (int* a = actions)
        {
            Assert.Equal(2, Lib.VecEnvStep(handle, a, 2, o, obs.Length, null, null, null, null));
            Assert.Contains("reset", Lib.LastError);
            Assert.Equal(1, Lib.VecEnvReset(handle, o, obs.Length - 1));
            Assert.Contains($"need {obs.Length}", Lib.LastError);
            Check(Lib.VecEnvReset(handle, o, obs.Length));
            Assert.Equal(1, Lib.VecEnvStep(handle, a, 3, o, obs.Length, null, null, null, null));
            actions[1] = 15;
            Assert.Equal(1, Lib.VecEnvStep(handle, a, 2, o, obs.Length, null, null, null, null));
            Assert.Contains("0..14", Lib.LastError);
        }
        Check(Lib.VecEnvFree(handle));
        Assert.Equal(2, Lib.VecEnvFree(handle));
        Assert.Contains("not a live VecEnv", Lib.LastError);
        Assert.Equal(2, Lib.VecEnvReset(handle, null, 0));

        fixed (byte* d = LibMisgen.Utf8(folder["missing-agent"]))
            Assert.Equal(1, Lib.AgentLoad(d, &handle));
        Assert.Contains("model.safetensors", Lib.LastError);
    }

    [Fact]
    public void Every_catalogue_game_steps_through_the_library()
    {
        byte* json;
        long length;
        Check(Lib.Games(&json, &length));
        using var games = JsonDocument.Parse(Lib.TakeString(json, length));
        Assert.Equal(GameCatalogue.All.Select(g => g.Name), games.RootElement.EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        foreach (var game in GameCatalogue.All)
        {
            // A short timeout, where the game has one, so every game ends episodes within the 200 steps and their facts
            // are compared (continual worlds included: a timeout makes them episodic).
            string text = game.Options.Any(o => o.Key == "timeout") && !game.Examples[0].Contains("timeout=") ? game.Examples[0] + ";timeout=40" : game.Examples[0];
            var spec = EnvSpec.Parse(text);
            long handle = CreateRange(text, 2, 0, 5, 0);
            int size, channels, actionCount, count;
            Check(Lib.VecEnvShape(handle, &count, &size, &channels, &actionCount));
            Assert.Equal((2, game.DefaultObservationSize, game.ObservationChannels, game.Actions.Count), (count, size, channels, actionCount));
            using var managed = new VecEnv(spec, 2, LevelSampler.Range(0, 5, 0));
            managed.Reset();
            var obs = new byte[managed.Observations.Length];
            var actions = new int[2];
            var episodes = new byte[2 * EpisodeBytes];
            int facts = 0;
            fixed (byte* o = obs) Check(Lib.VecEnvReset(handle, o, obs.Length));
            for (int t = 0; t < 200; t++)
            {
                Array.Fill(actions, (t * 7 + t / 5) % game.Actions.Count);
                fixed (int* a = actions)
                fixed (byte* o = obs, e = episodes)
                    Check(Lib.VecEnvStep(handle, a, 2, o, obs.Length, null, null, null, e));
                managed.Step(actions);
                for (int i = 0; i < 2; i++)
                {
                    var info = managed.Infos[i];
                    Assert.Equal(info.Outcome, BitConverter.ToInt32(episodes, i * EpisodeBytes));
                    ReadOnlySpan<float> expected = info.Facts;
                    for (int f = 0; f < MaxFacts; f++)
                        Assert.Equal(expected[f], BitConverter.ToSingle(episodes, i * EpisodeBytes + 16 + 4 * f));
                    if (info.IsEpisode) facts += game.Facts.Count;
                }
            }
            Assert.True(managed.Observations.SequenceEqual(obs), game.Name);
            if (game.Facts.Count > 0) Assert.True(facts > 0, $"no {game.Name} episode ended: its facts were never compared");
            Check(Lib.VecEnvDescribe(handle, &json, &length));
            using var described = JsonDocument.Parse(Lib.TakeString(json, length));
            Assert.Equal(spec.ToString(), described.RootElement.GetProperty("spec").GetString());
            Check(Lib.VecEnvFree(handle));
        }
    }

    [Fact]
    public void An_agents_forward_and_cache_equal_the_managed_network()
    {
        var config = new ImpalaConfig(32, 8, 16, 16);
        var model = ImpalaCnnTests.RandomModel(config, 5);
        string dir = folder["agent"];
        Directory.CreateDirectory(dir);
        Safetensors.Save(Path.Combine(dir, "model.safetensors"), model);
        long handle;
        fixed (byte* d = LibMisgen.Utf8(dir)) Check(Lib.AgentLoad(d, &handle));
        const int batch = 5;
        var obs = new byte[batch * 32 * 32 * 3];
        var rng = new Rng(9);
        for (int i = 0; i < obs.Length; i++) obs[i] = (byte)rng.NextInt(256);
        var logits = new float[batch * 15];
        var values = new float[batch];
        fixed (byte* o = obs)
        fixed (float* l = logits, v = values)
            Check(Lib.AgentForward(handle, o, obs.Length, batch, l, v));
        var expectedLogits = new float[batch * 15];
        var expectedValues = new float[batch];
        model.Forward(obs, batch, expectedLogits, expectedValues);
        Assert.Equal(expectedLogits, logits);
        Assert.Equal(expectedValues, values);

        string[] layers = ["embedder.block2.res1.conv1", "embedder.relufc"];
        var reference = model.RunWithCache(obs, batch, layers);
        var buffers = layers.Select(l => new float[reference.Cache[l].Count]).ToArray();
        var names = layers.Select(LibMisgen.Utf8).Select(b => GCHandle.Alloc(b, GCHandleType.Pinned)).ToArray();
        var pins = buffers.Select(b => GCHandle.Alloc(b, GCHandleType.Pinned)).ToArray();
        try
        {
            var namePointers = names.Select(h => h.AddrOfPinnedObject()).ToArray();
            var outputPointers = pins.Select(h => h.AddrOfPinnedObject()).ToArray();
            var lengths = buffers.Select(b => (long)b.Length).ToArray();
            fixed (nint* n = namePointers)
            fixed (nint* p = outputPointers)
            fixed (long* len = lengths)
            fixed (byte* o = obs)
            fixed (float* l = logits, v = values)
            {
                Check(Lib.AgentRunWithCache(handle, o, obs.Length, batch, (byte**)n, layers.Length, (float**)p, len, l, v));
                lengths[0]--;
                Assert.Equal(1, Lib.AgentRunWithCache(handle, o, obs.Length, batch, (byte**)n, layers.Length, (float**)p, len, null, null));
                Assert.Contains("embedder.block2.res1.conv1", Lib.LastError);
            }
        }
        finally
        {
            foreach (var h in names.Concat(pins)) h.Free();
        }
        for (int i = 0; i < layers.Length; i++) Assert.Equal(reference.Cache[layers[i]].Data, buffers[i]);
        Assert.Equal(reference.Logits.Data, logits);
        byte* json;
        long length;
        Check(Lib.AgentDescribe(handle, &json, &length));
        using var described = JsonDocument.Parse(Lib.TakeString(json, length));
        Assert.Equal("agent", described.RootElement.GetProperty("name").GetString());
        Assert.Equal(32, described.RootElement.GetProperty("input_size").GetInt32());
        Check(Lib.AgentFree(handle));
    }

    private static long CreateRange(string spec, int envs, int start, int levels, ulong seed)
    {
        long handle;
        fixed (byte* s = LibMisgen.Utf8(spec)) Check(Lib.VecEnvCreate(s, envs, start, levels, seed, 0, 0, &handle));
        return handle;
    }

    private static void StepWith(long handle, int[] actions, byte[] obs, int action)
    {
        Array.Fill(actions, action);
        fixed (int* a = actions)
        fixed (byte* o = obs)
            Check(Lib.VecEnvStep(handle, a, actions.Length, o, obs.Length, null, null, null, null));
    }

    private static void Check(int status) => Assert.True(status == 0, $"status {status}: {Lib.LastError}");
}
