using System.Globalization;
using Misgen.Envs;
using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>What a patch is bound to: the network, and the spec of the levels it will see (for <c>#SEED</c> levels and mean ablation).</summary>
public sealed record PatchContext(ImpalaCnn Model, EnvSpec Spec);

/// <summary>
/// One activation patch, parsed from its text form (docs/INTERP.md lists them):
/// <list type="bullet">
/// <item><c>zero:LAYER:CHANNELS</c> zero ablation;</item>
/// <item><c>mean:LAYER:CHANNELS[:N]</c> mean ablation over the first frames of levels 0..N-1 (default 100);</item>
/// <item><c>resample:LAYER:CHANNELS:LEVEL</c> the channels taken from another level's first frame;</item>
/// <item><c>scale:LAYER:CHANNELS:FACTOR</c>;</item>
/// <item><c>set:LAYER:CHANNEL:ROW,COL:VALUE</c> one activation (row from the top, column from the left of the layer's map);</item>
/// <item><c>add:LAYER:COEFF:A,B</c> adds COEFF x (act(A) - act(B)), the activations of two levels' first frames.</item>
/// </list>
/// LAYER is a hook point (<see cref="ImpalaCnn.HookPoints"/>; procgen-tools' <c>_out</c> suffix is accepted), CHANNELS a
/// comma list of channels or ranges (<c>7,8,40-44</c>) or <c>all</c>, a LEVEL <c>SPEC#SEED</c>, <c>SPEC#GRID_FILE</c> or
/// <c>#SEED</c> (a level of the spec being patched).
/// </summary>
public abstract record PatchSpec(string Layer)
{
    public static IReadOnlyList<string> Kinds { get; } = ["zero", "mean", "resample", "scale", "set", "add"];

    /// <summary>The canonical text form (parses back to an equal patch).</summary>
    public abstract string Text { get; }

    /// <summary>A short name for agent variants, e.g. <c>zero-relu3-121</c>.</summary>
    public abstract string ShortName { get; }

    /// <summary>The edit this patch makes on <paramref name="context"/>'s network (activations of named levels are computed here).</summary>
    public abstract ActivationEdit Bind(PatchContext context);

    public override string ToString() => Text;

    protected string ShortLayer => Layer.StartsWith("embedder.", StringComparison.Ordinal) ? Layer["embedder.".Length..] : Layer;

    public static PatchSpec Parse(string text)
    {
        string trimmed = text.Trim();
        string[] head = trimmed.Split(':', 3);
        string kind = head[0].Trim().ToLowerInvariant();
        if (!Kinds.Contains(kind)) throw MisgenInputException.Unknown($"patch kind in '{text}':", head[0], Kinds);
        if (head.Length < 3) throw new MisgenInputException($"patch '{text}' is incomplete; write {Usage(kind)}");
        string layer = Layer_(head[1], text);
        string rest = head[2];
        string[] Fields(int count)
        {
            var fields = rest.Split(':', count);
            if (fields.Length < count) throw new MisgenInputException($"patch '{text}' is incomplete; write {Usage(kind)}");
            return fields;
        }
        switch (kind)
        {
            case "zero":
                return new ZeroPatch(layer, ChannelList.Parse(rest, text));
            case "mean":
            {
                var f = rest.Split(':', 2);
                int levels = f.Length == 2 ? Int(f[1], "reference level count", text, 1, 100_000) : MeanPatch.DefaultLevels;
                return new MeanPatch(layer, ChannelList.Parse(f[0], text), levels);
            }
            case "resample":
            {
                var f = Fields(2);
                return new ResamplePatch(layer, ChannelList.Parse(f[0], text), f[1].Trim());
            }
            case "scale":
            {
                var f = Fields(2);
                return new ScalePatch(layer, ChannelList.Parse(f[0], text), Float(f[1], "factor", text));
            }
            case "set":
            {
                var f = Fields(3);
                var position = f[1].Split(',');
                if (position.Length != 2) throw new MisgenInputException($"position '{f[1]}' in patch '{text}' is not ROW,COL");
                return new SetPatch(layer, Int(f[0], "channel", text, 0, 4095), Int(position[0], "row", text, 0, 4095),
                    Int(position[1], "column", text, 0, 4095), Float(f[2], "value", text));
            }
            default:
            {
                var f = Fields(2);
                var levels = f[1].Split(',');
                if (levels.Length != 2 || levels.Any(l => l.Trim().Length == 0))
                    throw new MisgenInputException($"patch '{text}' needs two levels A,B after the coefficient (e.g. maze:red-line@black#5,maze:yellow-line@black#5)");
                return new AddPatch(layer, Float(f[0], "coefficient", text), levels[0].Trim(), levels[1].Trim());
            }
        }
    }

    private static string Usage(string kind) => kind switch
    {
        "zero" => "zero:LAYER:CHANNELS",
        "mean" => "mean:LAYER:CHANNELS[:LEVELS]",
        "resample" => "resample:LAYER:CHANNELS:SPEC#SEED",
        "scale" => "scale:LAYER:CHANNELS:FACTOR",
        "set" => "set:LAYER:CHANNEL:ROW,COL:VALUE",
        _ => "add:LAYER:COEFF:SPEC_A#SEED,SPEC_B#SEED",
    };

    private static string Layer_(string text, string patch)
    {
        string name = text.Trim();
        if (name.EndsWith("_out", StringComparison.Ordinal)) name = name[..^4];
        if (!ImpalaCnn.HookPoints.Contains(name)) throw MisgenInputException.Unknown($"layer in patch '{patch}':", text.Trim(), ImpalaCnn.HookPoints);
        return name;
    }

    internal static int Int(string text, string what, string patch, int min, int max) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max ? v
            : throw new MisgenInputException($"{what} '{text.Trim()}' in patch '{patch}' is invalid; valid: an integer in {min}..{max}");

    private static float Float(string text, string what, string patch) =>
        float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) ? v
            : throw new MisgenInputException($"{what} '{text.Trim()}' in patch '{patch}' is not a number");

    protected static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The channels, checked against the layer's channel count.</summary>
    protected int[] Resolve(ChannelList channels, ImpalaCnn model) => channels.Resolve(model.HookShape(Layer).Channels, Text);

    /// <summary>The activation at <see cref="Layer"/> of each level's first frame (CHW per level).</summary>
    protected float[][] ActivationsOf(PatchContext context, IReadOnlyList<LevelSource> levels)
    {
        int size = context.Model.Config.InputSize, bytes = context.Model.InputFloats;
        var observations = new byte[levels.Count * bytes];
        for (int i = 0; i < levels.Count; i++)
        {
            var obs = levels[i].Observation(size);
            if (obs.Length != bytes)
                throw new MisgenInputException($"level {levels[i]} renders {obs.Length} bytes; the agent sees {size}x{size}x{context.Model.Config.Channels}");
            obs.CopyTo(observations, i * bytes);
        }
        var tensor = ActivationCapture.Run(context.Model, observations, levels.Count, [Layer])[Layer];
        int per = tensor.Count / levels.Count;
        return Enumerable.Range(0, levels.Count).Select(i => tensor.Data.AsSpan(i * per, per).ToArray()).ToArray();
    }

    /// <summary>Channel c's map (H x W) of a CHW activation.</summary>
    protected float[] ChannelMap(float[] chw, int channel, PatchContext context)
    {
        var (_, h, w) = context.Model.HookShape(Layer);
        return chw.AsSpan(channel * h * w, h * w).ToArray();
    }
}

public sealed record ZeroPatch(string Layer, ChannelList Channels) : PatchSpec(Layer)
{
    public override string Text => $"zero:{Layer}:{Channels}";
    public override string ShortName => $"zero-{ShortLayer}-{Channels.Short}";
    public override ActivationEdit Bind(PatchContext context) => new ZeroChannels(Layer, Resolve(Channels, context.Model));
}

public sealed record MeanPatch(string Layer, ChannelList Channels, int Levels) : PatchSpec(Layer)
{
    public const int DefaultLevels = 100;

    public override string Text => Levels == DefaultLevels ? $"mean:{Layer}:{Channels}" : $"mean:{Layer}:{Channels}:{Levels}";
    public override string ShortName => $"mean-{ShortLayer}-{Channels.Short}";

    /// <summary>Each channel becomes its mean, position by position, over the first frames of levels 0..Levels-1.</summary>
    public override ActivationEdit Bind(PatchContext context)
    {
        int[] channels = Resolve(Channels, context.Model);
        var acts = ActivationsOf(context, Enumerable.Range(0, Levels).Select(s => new LevelSource(context.Spec, s)).ToList());
        var maps = channels.Select(c =>
        {
            var mean = new double[ChannelMap(acts[0], c, context).Length];
            foreach (var a in acts)
            {
                var map = ChannelMap(a, c, context);
                for (int i = 0; i < mean.Length; i++) mean[i] += map[i];
            }
            return mean.Select(v => (float)(v / acts.Length)).ToArray();
        }).ToArray();
        return new ReplaceChannels(Layer, channels, maps);
    }
}

public sealed record ResamplePatch(string Layer, ChannelList Channels, string Source) : PatchSpec(Layer)
{
    public override string Text => $"resample:{Layer}:{Channels}:{Source}";
    public override string ShortName => $"resample-{ShortLayer}-{Channels.Short}-{Source.Split('#')[^1]}";

    public override ActivationEdit Bind(PatchContext context)
    {
        int[] channels = Resolve(Channels, context.Model);
        var act = ActivationsOf(context, [LevelSource.Parse(Source, context.Spec)])[0];
        return new ReplaceChannels(Layer, channels, channels.Select(c => ChannelMap(act, c, context)).ToArray());
    }
}

public sealed record ScalePatch(string Layer, ChannelList Channels, float Factor) : PatchSpec(Layer)
{
    public override string Text => $"scale:{Layer}:{Channels}:{F(Factor)}";
    public override string ShortName => $"scale-{ShortLayer}-{Channels.Short}-x{F(Factor)}";
    public override ActivationEdit Bind(PatchContext context) => new ScaleChannels(Layer, Resolve(Channels, context.Model), Factor);
}

public sealed record SetPatch(string Layer, int Channel, int Row, int Column, float Value) : PatchSpec(Layer)
{
    public override string Text => $"set:{Layer}:{Channel}:{Row},{Column}:{F(Value)}";
    public override string ShortName => $"set-{ShortLayer}-{Channel}-{Row}.{Column}-{F(Value)}";

    public override ActivationEdit Bind(PatchContext context)
    {
        var (c, h, w) = context.Model.HookShape(Layer);
        if (Channel >= c || Row >= h || Column >= w)
            throw new MisgenInputException($"patch '{Text}' is outside {Layer} ({c} channels, {h}x{w}); valid: channel 0..{c - 1}, row 0..{h - 1}, column 0..{w - 1}");
        return new SetActivation(Layer, Channel, Row, Column, Value);
    }
}

public sealed record AddPatch(string Layer, float Coefficient, string A, string B) : PatchSpec(Layer)
{
    public override string Text => $"add:{Layer}:{F(Coefficient)}:{A},{B}";

    public override string ShortName => $"add-{ShortLayer}-x{F(Coefficient)}-{Fnv(A + "," + B):x8}";

    /// <summary>The steering vector act(A) - act(B) at <see cref="Layer"/>, added with <see cref="Coefficient"/>.</summary>
    public override ActivationEdit Bind(PatchContext context)
    {
        var acts = ActivationsOf(context, [LevelSource.Parse(A, context.Spec), LevelSource.Parse(B, context.Spec)]);
        var vector = new float[acts[0].Length];
        for (int i = 0; i < vector.Length; i++) vector[i] = acts[0][i] - acts[1][i];
        return new AddActivation(Layer, vector, Coefficient);
    }

    private static uint Fnv(string text)
    {
        uint h = 2166136261;
        foreach (char c in text) h = (h ^ c) * 16777619;
        return h;
    }
}

/// <summary>A list of channels as written in a patch: numbers and ranges, or <c>all</c>.</summary>
public sealed record ChannelList(IReadOnlyList<int>? Channels)
{
    public bool All => Channels is null;

    public static ChannelList Parse(string text, string patch)
    {
        string t = text.Trim();
        if (t.Equals("all", StringComparison.OrdinalIgnoreCase)) return new ChannelList((IReadOnlyList<int>?)null);
        var channels = new List<int>();
        foreach (string part in t.Split(','))
        {
            var range = part.Split('-');
            if (range.Length == 2)
            {
                int lo = PatchSpec.Int(range[0], "channel", patch, 0, 4095), hi = PatchSpec.Int(range[1], "channel", patch, 0, 4095);
                if (hi < lo) throw new MisgenInputException($"channel range '{part}' in patch '{patch}' runs backwards");
                for (int c = lo; c <= hi; c++) channels.Add(c);
            }
            else channels.Add(PatchSpec.Int(part, "channel", patch, 0, 4095));
        }
        return new ChannelList(channels.Distinct().ToList());
    }

    public int[] Resolve(int count, string patch)
    {
        if (Channels is null) return Enumerable.Range(0, count).ToArray();
        foreach (int c in Channels)
            if (c >= count) throw new MisgenInputException($"channel {c} in patch '{patch}' does not exist; valid: 0..{count - 1}");
        return Channels.ToArray();
    }

    public override string ToString() => Channels is null ? "all" : string.Join(',', Channels);

    /// <summary>For names: <c>7.8.42</c>, or <c>all</c>.</summary>
    public string Short => Channels is null ? "all" : string.Join('.', Channels);

    public bool Equals(ChannelList? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
