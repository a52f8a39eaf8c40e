using Misgen.Envs.Maze;
using Misgen.Envs;

namespace Misgen.Tests.Envs;

public sealed class VecEnvTests
{
    private static int[] RandomActions(Rng rng, int n)
    {
        var actions = new int[n];
        for (int i = 0; i < n; i++) actions[i] = rng.NextInt(Actions.Count);
        return actions;
    }

    [Fact]
    public void Matches_independent_single_games_with_procgen_auto_reset()
    {
        var spec = EnvSpec.Parse("maze:red-line+yellow-gem@textured;timeout=40");
        const int n = 5;
        using var vec = new VecEnv(spec, n, LevelSampler.Sequential(100, 1000), 48, new WorkerPool(1));
        var singles = Enumerable.Range(0, n).Select(_ => new GameEnv(spec, 48)).ToArray();
        int nextLevel = 100;
        vec.Reset();
        foreach (var s in singles) s.Reset(nextLevel++);
        int frame = 48 * 48 * 3, finished = 0;
        var rng = new Rng(5);
        for (int step = 0; step < 300; step++)
        {
            for (int i = 0; i < n; i++)
                Assert.True(singles[i].Observation.SequenceEqual(vec.Observations.Slice(i * frame, frame)), $"env {i} step {step}");
            var actions = RandomActions(rng, n);
            vec.Step(actions);
            for (int i = 0; i < n; i++)
            {
                var r = singles[i].Step(actions[i]);
                Assert.Equal(r.Reward, vec.Rewards[i]);
                Assert.Equal(r.Terminated, vec.Terminated[i]);
                Assert.Equal(r.Truncated, vec.Truncated[i]);
                if (r.Done)
                {
                    finished++;
                    Assert.Equal(EpisodeInfo.Of(singles[i].Game), vec.Infos[i]);
                    singles[i].Reset(nextLevel++); // levels go to finished envs in index order
                }
                else Assert.Equal(default, vec.Infos[i]);
            }
        }
        Assert.True(finished > 20);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var spec = EnvSpec.Parse("maze:yellow-line@textured");
        byte[] Run(int threads)
        {
            using var pool = new WorkerPool(threads);
            using var vec = new VecEnv(spec, 37, LevelSampler.Range(0, 1000, 3), 64, pool);
            var rng = new Rng(9);
            vec.Reset();
            var hash = new List<byte>();
            for (int s = 0; s < 100; s++)
            {
                vec.Step(RandomActions(rng, vec.Count));
                hash.AddRange(System.Security.Cryptography.SHA256.HashData(vec.Observations));
                foreach (var info in vec.Infos) hash.AddRange(BitConverter.GetBytes(info.LevelSeed ^ info.Steps));
            }
            return [.. hash];
        }
        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void Saved_state_resumes_bit_identically_in_a_fresh_vecenv()
    {
        var spec = EnvSpec.Parse("maze:red-line+yellow-gem@textured;timeout=60");
        using var a = new VecEnv(spec, 9, LevelSampler.Range(0, 100000, 4));
        var rng = new Rng(2);
        a.Reset();
        for (int s = 0; s < 77; s++) a.Step(RandomActions(rng, 9));
        byte[] state = a.GetState();
        var actionRng = Rng.FromState(rng.GetState());

        using var b = new VecEnv(spec, 9, LevelSampler.Range(0, 100000, 4));
        b.SetState(state);
        Assert.True(a.Observations.SequenceEqual(b.Observations));
        for (int s = 0; s < 200; s++)
        {
            var actions = RandomActions(rng, 9);
            Assert.Equal(actions, RandomActions(actionRng, 9));
            a.Step(actions);
            b.Step(actions);
            Assert.True(a.Observations.SequenceEqual(b.Observations), $"step {s}");
            Assert.Equal(a.Rewards.ToArray(), b.Rewards.ToArray());
            Assert.Equal(a.Terminated.ToArray(), b.Terminated.ToArray());
            Assert.Equal(a.Truncated.ToArray(), b.Truncated.ToArray());
            Assert.Equal(a.Infos.ToArray(), b.Infos.ToArray());
        }
        Assert.Throws<MisgenInputException>(() => new VecEnv(spec, 8, LevelSampler.Range(0, 100000, 4)).SetState(state));
    }

    [Fact]
    public void Step_allocates_nothing()
    {
        using var pool = new WorkerPool(1); // everything on this thread, so the per-thread counter sees it all
        using var vec = new VecEnv(EnvSpec.Parse("maze:red-line+yellow-gem@textured"), 16, LevelSampler.Range(0, 100000, 1), 64, pool);
        var rng = new Rng(1);
        var actions = new int[16];
        vec.Reset();
        void Run(int steps)
        {
            for (int s = 0; s < steps; s++)
            {
                for (int i = 0; i < actions.Length; i++) actions[i] = rng.NextInt(Actions.Count);
                vec.Step(actions);
            }
        }
        Run(200);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(2000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Observation_buffer_is_preallocated_hwc_per_env()
    {
        using var vec = new VecEnv(EnvSpec.Parse("maze:yellow-line@black"), 3, LevelSampler.Sequential(0, 3), 32);
        Assert.Equal(3 * 32 * 32 * 3, vec.Observations.Length);
        vec.Reset();
        var single = new GameEnv(EnvSpec.Parse("maze:yellow-line@black"), 32);
        Assert.True(single.Reset(2).SequenceEqual(vec.Observations.Slice(2 * 32 * 32 * 3, 32 * 32 * 3)));
        Assert.Throws<ArgumentException>(() => vec.Step(new int[2]));
    }
}
