using System.Runtime.InteropServices;
using Misgen.Envs;
using Misgen.Eval;
using Misgen.Interp;
using Misgen.Nn;

namespace Misgen.Native;

/// <summary>
/// An agent behind a handle: its record, its network, the policy it runs (the network, or the network with
/// patches), and the lock for the network's buffers, shared by every patched agent made from it.
/// </summary>
internal sealed class NativeAgent(AgentRecord record, ImpalaCnn model, PatchedPolicy? patched = null, object? gate = null)
{
    public AgentRecord Record { get; } = record;
    public ImpalaCnn Model { get; } = model;
    public PatchedPolicy? Patched { get; } = patched;
    public IPolicy Policy => (IPolicy?)Patched ?? Model;
    public object Gate { get; } = gate ?? new object();
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
            *json = Utf8.Allocate(Json.Write(writer => Json.WriteAgent(writer, agent.Record, agent.Model, agent.Patched?.Patches)), out long bytes);
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
                agent.Policy.Forward(new ReadOnlySpan<byte>(observations, (int)observationBytes), batch,
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
            var obs = new ReadOnlySpan<byte>(observations, (int)observationBytes);
            IReadOnlyDictionary<string, Tensor> cache;
            lock (agent.Gate)
            {
                if (agent.Patched is { } patched)
                {
                    // Patched: the fast pass with the patches, activations recorded after them (as the CLI's dumps).
                    cache = ActivationCapture.Run(agent.Model, obs, batch, names, patched.Edits);
                    var l = new float[batch * config.Actions];
                    var v = new float[batch];
                    patched.Forward(obs, batch, l, v);
                    if (logits != null) l.CopyTo(new Span<float>(logits, l.Length));
                    if (values != null) v.CopyTo(new Span<float>(values, batch));
                }
                else
                {
                    var result = agent.Model.RunWithCache(obs, batch, names);
                    cache = result.Cache;
                    if (logits != null) result.Logits.Data.AsSpan(0, batch * config.Actions).CopyTo(new Span<float>(logits, batch * config.Actions));
                    if (values != null) result.Values.AsSpan(0, batch).CopyTo(new Span<float>(values, batch));
                }
            }
            for (int i = 0; i < layerCount; i++)
                cache[names[i]].Data.AsSpan().CopyTo(new Span<float>(outputs[i], (int)outputLengths[i]));
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    /// <summary>
    /// A new agent handle running <paramref name="agent"/>'s network with activation patches (docs/INTERP.md's
    /// text forms, one per line), bound for levels of <paramref name="spec"/> (mean ablation and #SEED levels use it).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "misgen_agent_patch")]
    public static int Patch(long handle, byte* spec, byte* patches, long* patched)
    {
        try
        {
            if (patched == null) throw new MisgenInputException("the handle pointer is NULL");
            *patched = 0;
            var agent = Handles.Get<NativeAgent>(handle, "agent");
            var envSpec = EnvSpec.Parse(Utf8.Read(spec, "spec"));
            var list = Utf8.Read(patches, "patches").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                           .Select(PatchSpec.Parse).ToList();
            if (list.Count == 0) throw new MisgenInputException($"no patches given; kinds: {string.Join(", ", PatchSpec.Kinds)} (docs/INTERP.md)");
            if (agent.Patched is { } already) list = [.. already.Patches, .. list];
            PatchedPolicy policy;
            lock (agent.Gate) policy = PatchedPolicy.Bind(agent.Model, envSpec, list);
            *patched = Handles.Add(new NativeAgent(agent.Record, agent.Model, policy, agent.Gate));
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    /// <summary>
    /// The agent's vector field on one level (as <c>misgen field</c>): the agent on every open cell, each cell's
    /// action-group probabilities, as JSON (grid size, group names, cells, probabilities cell by cell).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "misgen_agent_vector_field")]
    public static int Field(long handle, byte* spec, int levelSeed, byte** json, long* length)
    {
        try
        {
            if (json == null || length == null) throw new MisgenInputException("json and length pointers must not be NULL");
            *json = null;
            *length = 0;
            var agent = Handles.Get<NativeAgent>(handle, "agent");
            if (levelSeed < 0) throw new MisgenInputException($"level seed {levelSeed} is invalid; valid: 0..{int.MaxValue}");
            var level = new LevelSource(EnvSpec.Parse(Utf8.Read(spec, "spec")), levelSeed);
            var game = level.CreateGrid();
            VectorField field;
            lock (agent.Gate) field = VectorField.Compute(agent.Policy, game);
            *json = Utf8.Allocate(Json.Write(writer => Json.WriteField(writer, level.ToString(), field)), out long bytes);
            *length = bytes;
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
