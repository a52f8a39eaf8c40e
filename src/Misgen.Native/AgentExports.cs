using System.Runtime.InteropServices;
using Misgen.Eval;
using Misgen.Nn;

namespace Misgen.Native;

/// <summary>An agent behind a handle: its record, its network, and the lock for its forward buffers.</summary>
internal sealed class NativeAgent(AgentRecord record, ImpalaCnn model)
{
    public AgentRecord Record { get; } = record;
    public ImpalaCnn Model { get; } = model;
    public object Gate { get; } = new();
}

/// <summary>The agent part of the C ABI (docs/C-ABI.md): load, describe, forward, run with cache, free.</summary>
internal static unsafe class AgentExports
{
    [UnmanagedCallersOnly(EntryPoint = "misgen_agent_load")]
    public static int Load(byte* directory, long* handle)
    {
        try
        {
            if (handle == null) throw new MisgenInputException("the handle pointer is NULL");
            *handle = 0;
            string path = Utf8.Read(directory, "agent directory");
            var agent = AgentDirectory.Load(path);
            if (agent.Model is not ImpalaCnn model) throw new InvalidOperationException($"agent '{path}' did not load as an IMPALA network");
            *handle = Handles.Add(new NativeAgent(agent.Record, model));
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_agent_free")]
    public static int Free(long handle)
    {
        if (!Handles.Remove(handle, out var value) || value is not NativeAgent)
            return Status.Fail(Status.BadState, $"handle {handle} is not a live agent (freed already?)");
        return Status.Ok;
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_agent_describe")]
    public static int Describe(long handle, byte** json, long* length)
    {
        try
        {
            if (json == null || length == null) throw new MisgenInputException("json and length pointers must not be NULL");
            *json = null;
            var agent = Handles.Get<NativeAgent>(handle, "agent");
            *json = Utf8.Allocate(Json.Write(writer => Json.WriteAgent(writer, agent.Record, agent.Model)), out long bytes);
            *length = bytes;
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_agent_forward")]
    public static int Forward(long handle, byte* observations, long observationBytes, int batch, float* logits, float* values)
    {
        try
        {
            var agent = Handles.Get<NativeAgent>(handle, "agent");
            var config = agent.Model.Config;
            CheckBatch(config, observations, observationBytes, batch);
            if (logits == null || values == null) throw new MisgenInputException("logits and values must not be NULL");
            lock (agent.Gate)
            {
                agent.Model.Forward(new ReadOnlySpan<byte>(observations, (int)observationBytes), batch,
                                    new Span<float>(logits, batch * config.Actions), new Span<float>(values, batch));
            }
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    /// <summary>
    /// One layer-by-layer pass (as <see cref="ImpalaCnn.RunWithCache"/>) that writes the activations of the named
    /// hook points, each [batch, C, H, W] float32, into the caller's buffers, plus logits and values when asked.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "misgen_agent_run_with_cache")]
    public static int RunWithCache(long handle, byte* observations, long observationBytes, int batch,
                                   byte** layers, int layerCount, float** outputs, long* outputLengths, float* logits, float* values)
    {
        try
        {
            var agent = Handles.Get<NativeAgent>(handle, "agent");
            var config = agent.Model.Config;
            CheckBatch(config, observations, observationBytes, batch);
            if (layerCount < 0 || (layerCount > 0 && (layers == null || outputs == null || outputLengths == null)))
                throw new MisgenInputException($"{layerCount} layers with NULL names, outputs or lengths");
            var names = new string[layerCount];
            for (int i = 0; i < layerCount; i++)
            {
                names[i] = Utf8.Read(layers[i], $"layer {i}");
                var (c, h, w) = agent.Model.HookShape(names[i]);
                long needed = (long)batch * c * h * w;
                if (outputs[i] == null || outputLengths[i] != needed)
                    throw new MisgenInputException($"the buffer for '{names[i]}' holds {outputLengths[i]} floats; {batch} x {c} x {h} x {w} need {needed}");
            }
            HookedOutput result;
            lock (agent.Gate)
                result = agent.Model.RunWithCache(new ReadOnlySpan<byte>(observations, (int)observationBytes), batch, names);
            for (int i = 0; i < layerCount; i++)
                result.Cache[names[i]].Data.AsSpan().CopyTo(new Span<float>(outputs[i], (int)outputLengths[i]));
            if (logits != null) result.Logits.Data.AsSpan(0, batch * config.Actions).CopyTo(new Span<float>(logits, batch * config.Actions));
            if (values != null) result.Values.AsSpan(0, batch).CopyTo(new Span<float>(values, batch));
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    private static void CheckBatch(ImpalaConfig config, byte* observations, long observationBytes, int batch)
    {
        if (batch < 1 || batch > 1 << 20) throw new MisgenInputException($"batch {batch} is invalid; valid: 1..{1 << 20}");
        if (observations == null) throw new MisgenInputException("observations is NULL");
        long needed = (long)batch * config.InputSize * config.InputSize * config.Channels;
        if (observationBytes != needed)
            throw new MisgenInputException($"the observation buffer holds {observationBytes} bytes; {batch} observations of {config.InputSize}x{config.InputSize}x{config.Channels} (NHWC uint8) need {needed}");
    }
}
