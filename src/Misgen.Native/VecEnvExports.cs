using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Misgen.Envs;

namespace Misgen.Native;

/// <summary>The VecEnv part of the C ABI (docs/C-ABI.md): create, reset, step, observe, state, describe, free.</summary>
internal static unsafe class VecEnvExports
{
    private const int RangeLevels = 0, SequentialLevels = 1;

    [UnmanagedCallersOnly(EntryPoint = "misgen_vecenv_create")]
    public static int Create(byte* spec, int numEnvs, int startLevel, int numLevels, ulong seed, int levelOrder, int observationSize, long* handle)
    {
        try
        {
            if (handle == null) throw new MisgenInputException("the handle pointer is NULL");
            *handle = 0;
            var parsed = EnvSpec.Parse(Utf8.Read(spec, "spec"));
            if (numLevels < 0) throw new MisgenInputException($"num_levels {numLevels} is invalid; valid: 0 (every level) or 1..{int.MaxValue}");
            var levels = levelOrder switch
            {
                // procgen's num_levels=0: every level, start_level ignored.
                RangeLevels => numLevels == 0 ? LevelSampler.Uniform(seed) : LevelSampler.Range(startLevel, numLevels, seed),
                SequentialLevels => LevelSampler.Sequential(startLevel, numLevels == 0 ? int.MaxValue - startLevel : numLevels),
                _ => throw new MisgenInputException($"level order {levelOrder} is invalid; valid: 0 (uniform draws, procgen's), 1 (sequential)"),
            };
            *handle = Add(parsed, numEnvs, levels, observationSize);
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_vecenv_create_levels")]
    public static int CreateLevels(byte* spec, int numEnvs, int* levelSeeds, int levelCount, int observationSize, long* handle)
    {
        try
        {
            if (handle == null) throw new MisgenInputException("the handle pointer is NULL");
            *handle = 0;
            var parsed = EnvSpec.Parse(Utf8.Read(spec, "spec"));
            if (levelCount < 0 || (levelSeeds == null && levelCount > 0)) throw new MisgenInputException($"level list of {levelCount} seeds is invalid");
            var levels = LevelSampler.Queue(new ReadOnlySpan<int>(levelSeeds, levelCount).ToArray());
            *handle = Add(parsed, numEnvs, levels, observationSize);
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    private static long Add(EnvSpec spec, int numEnvs, LevelSampler levels, int observationSize)
    {
        if (observationSize < 0 || observationSize > 4096) throw new MisgenInputException($"observation size {observationSize} is invalid; valid: 0 (the game's default) or 1..4096");
        return Handles.Add(new NativeVecEnv(new VecEnv(spec, numEnvs, levels, observationSize)));
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_vecenv_free")]
    public static int Free(long handle)
    {
        try
        {
            if (!Handles.Remove(handle, out var value) || value is not NativeVecEnv env)
                return Status.Fail(Status.BadState, $"handle {handle} is not a live VecEnv (freed already?)");
            env.Env.Dispose();
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_vecenv_shape")]
    public static int Shape(long handle, int* numEnvs, int* size, int* channels, int* actions)
    {
        try
        {
            var env = Handles.Get<NativeVecEnv>(handle, "VecEnv").Env;
            if (numEnvs != null) *numEnvs = env.Count;
            if (size != null) *size = env.ObservationSize;
            if (channels != null) *channels = env.Shape.Channels;
            if (actions != null) *actions = env.Spec.Game.Actions.Count;
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_vecenv_reset")]
    public static int Reset(long handle, byte* observations, long observationBytes)
    {
        try
        {
            var native = Handles.Get<NativeVecEnv>(handle, "VecEnv");
            lock (native.Gate)
            {
                CheckObservations(native.Env, observations, observationBytes);
                native.Env.Reset();
                native.WasReset = true;
                CopyObservations(native.Env, observations);
            }
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_vecenv_step")]
    public static int Step(long handle, int* actions, int actionCount, byte* observations, long observationBytes,
                           float* rewards, byte* terminated, byte* truncated, NativeEpisode* episodes)
    {
        try
        {
            var native = Handles.Get<NativeVecEnv>(handle, "VecEnv");
            lock (native.Gate)
            {
                var env = native.Env;
                if (!native.WasReset) throw new InvalidOperationException("call misgen_vecenv_reset before misgen_vecenv_step");
                if (actions == null) throw new MisgenInputException("actions is NULL");
                if (actionCount != env.Count) throw new MisgenInputException($"{actionCount} actions given; this VecEnv has {env.Count} envs, one action each");
                CheckObservations(env, observations, observationBytes);
                env.Step(new ReadOnlySpan<int>(actions, actionCount));
                CopyObservations(env, observations);
                if (rewards != null) env.Rewards.CopyTo(new Span<float>(rewards, env.Count));
                if (terminated != null) MemoryMarshal.AsBytes(env.Terminated).CopyTo(new Span<byte>(terminated, env.Count));
                if (truncated != null) MemoryMarshal.AsBytes(env.Truncated).CopyTo(new Span<byte>(truncated, env.Count));
                if (episodes != null)
                {
                    var infos = env.Infos;
                    for (int i = 0; i < infos.Length; i++) NativeEpisode.Write(infos[i], episodes + i);
                }
            }
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    /// <summary>
    /// The VecEnv's own observation, reward and flag buffers, which reset, step and set_state write: valid until
    /// misgen_vecenv_free (the VecEnv allocates them pinned, so they never move). Reading them avoids a copy.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "misgen_vecenv_buffers")]
    public static int Buffers(long handle, byte** observations, float** rewards, byte** terminated, byte** truncated)
    {
        try
        {
            var env = Handles.Get<NativeVecEnv>(handle, "VecEnv").Env;
            // Pinned arrays: the address taken here stays the array's address for its life.
            if (observations != null) *observations = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(env.Observations));
            if (rewards != null) *rewards = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(env.Rewards));
            if (terminated != null) *terminated = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(env.Terminated));
            if (truncated != null) *truncated = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(env.Truncated));
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_vecenv_observe")]
    public static int Observe(long handle, byte* observations, long observationBytes, byte* active)
    {
        try
        {
            var native = Handles.Get<NativeVecEnv>(handle, "VecEnv");
            lock (native.Gate)
            {
                CheckObservations(native.Env, observations, observationBytes);
                CopyObservations(native.Env, observations);
                if (active != null) MemoryMarshal.AsBytes(native.Env.Active).CopyTo(new Span<byte>(active, native.Env.Count));
            }
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_vecenv_get_state")]
    public static int GetState(long handle, byte** state, long* length)
    {
        try
        {
            if (state == null || length == null) throw new MisgenInputException("state and length pointers must not be NULL");
            *state = null;
            *length = 0;
            var native = Handles.Get<NativeVecEnv>(handle, "VecEnv");
            byte[] bytes;
            lock (native.Gate)
            {
                if (!native.WasReset) throw new InvalidOperationException("call misgen_vecenv_reset before misgen_vecenv_get_state");
                bytes = native.Env.GetState();
            }
            *state = Utf8.Allocate(bytes);
            *length = bytes.Length;
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_vecenv_set_state")]
    public static int SetState(long handle, byte* state, long length)
    {
        try
        {
            if (state == null || length < 0 || length > int.MaxValue) throw new MisgenInputException($"env state of {length} bytes is invalid");
            var native = Handles.Get<NativeVecEnv>(handle, "VecEnv");
            lock (native.Gate)
            {
                native.Env.SetState(new ReadOnlySpan<byte>(state, (int)length));
                native.WasReset = true;
            }
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_vecenv_describe")]
    public static int Describe(long handle, byte** json, long* length)
    {
        try
        {
            if (json == null || length == null) throw new MisgenInputException("json and length pointers must not be NULL");
            *json = null;
            var env = Handles.Get<NativeVecEnv>(handle, "VecEnv").Env;
            *json = Utf8.Allocate(Json.Write(writer => Json.WriteEnv(writer, env)), out long bytes);
            *length = bytes;
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    private static void CheckObservations(VecEnv env, byte* observations, long observationBytes)
    {
        long needed = (long)env.Count * env.FrameBytes;
        if (observations != null && observationBytes != needed)
            throw new MisgenInputException($"the observation buffer holds {observationBytes} bytes; {env.Count} observations of {env.Shape} (NHWC uint8) need {needed}");
    }

    private static void CopyObservations(VecEnv env, byte* observations)
    {
        if (observations == null) return;
        var source = env.Observations;
        source.CopyTo(new Span<byte>(observations, source.Length));
    }
}
