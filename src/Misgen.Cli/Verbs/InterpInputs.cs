using System.CommandLine;
using System.Globalization;
using Misgen.Envs;
using Misgen.Eval;
using Misgen.Interp;
using Misgen.Nn;

namespace Misgen.Cli.Verbs;

/// <summary>The arguments the looking-inside verbs share: agent, level (seed or grid), patches, input intervention, threads.</summary>
internal sealed class InterpInputs
{
    public readonly Argument<string> Agent = new("agent") { Description = "Agent directory (with model.safetensors)" };
    public readonly Argument<string> Spec = new("spec") { Description = "Env spec of a grid game, e.g. maze:yellow-line@black;size=25" };
    public readonly Option<int> Level = new("--level") { Description = "Level seed", DefaultValueFactory = _ => 0 };
    public readonly Option<string?> Grid = new("--grid") { Description = "A level from a text grid file (top row first, the game's legend; games that build levels from grids)" };
    public readonly Option<string[]> Patches = new("--patch")
    {
        Description = "An activation patch, repeatable, applied in order: zero:LAYER:CHANNELS, mean:LAYER:CHANNELS[:N], resample:LAYER:CHANNELS:SPEC#SEED, " +
                      "scale:LAYER:CHANNELS:FACTOR, set:LAYER:CHANNEL:ROW,COL:VALUE, add:LAYER:COEFF:SPEC_A#SEED,SPEC_B#SEED (docs/INTERP.md)",
        AllowMultipleArgumentsPerToken = false,
    };
    public readonly Option<string?> Intervention = new("--intervention") { Description = $"What the agent sees: {string.Join(", ", InputIntervention.Names)}" };
    public readonly Option<int?> Threads = new("--threads") { Description = "Threads (default: all cores)" };

    public void AddTo(Command command, bool level = true, bool patches = true, bool intervention = true)
    {
        command.Arguments.Add(Agent);
        command.Arguments.Add(Spec);
        if (level)
        {
            command.Options.Add(Level);
            command.Options.Add(Grid);
        }
        if (patches) command.Options.Add(Patches);
        if (patches && intervention) command.Options.Add(Intervention);
        command.Options.Add(Threads);
    }

    public static void ConfigureThreads(int? threads)
    {
        if (threads is not int count) return;
        if (count < 1 || count > 256) throw new MisgenInputException($"--threads {count} is invalid; valid: 1..256");
        WorkerPool.ConfigureShared(count);
    }

    /// <summary>The agent, its spec and level, after the thread count is set.</summary>
    public (EvalAgent Agent, ImpalaCnn Model, EnvSpec Spec) Load(ParseResult parse)
    {
        ConfigureThreads(parse.GetValue(Threads));
        var spec = EnvSpec.Parse(parse.GetValue(Spec)!);
        var agent = AgentDirectory.Load(parse.GetValue(Agent)!);
        return (agent, (ImpalaCnn)agent.Model, spec);
    }

    public LevelSource LevelOf(ParseResult parse, EnvSpec spec)
    {
        if (parse.GetValue(Grid) is { } grid) return LevelSource.FromGridFile(spec, grid);
        int seed = parse.GetValue(Level);
        if (seed < 0) throw new MisgenInputException($"--level {seed} is invalid; valid: 0..{int.MaxValue}");
        return new LevelSource(spec, seed);
    }

    public IReadOnlyList<PatchSpec> PatchesOf(ParseResult parse) => (parse.GetValue(Patches) ?? []).Select(PatchSpec.Parse).ToList();

    public InputIntervention? InterventionOf(ParseResult parse) => parse.GetValue(Intervention) is { } i ? InputIntervention.Parse(i) : null;

    /// <summary>The agent's policy with the patches and intervention asked for (the agent itself when none).</summary>
    public IPolicy PolicyOf(ParseResult parse, ImpalaCnn model, EnvSpec spec)
    {
        var patches = PatchesOf(parse);
        IPolicy policy = patches.Count > 0 ? PatchedPolicy.Bind(model, spec, patches) : model;
        return InterventionOf(parse) is { } intervention ? new IntervenedPolicy(policy, intervention) : policy;
    }

    public bool Changed(ParseResult parse) => PatchesOf(parse).Count > 0 || parse.GetValue(Intervention) is not null;

    /// <summary>Level seeds written as <c>A..B</c> (inclusive), <c>A,B,C</c> or one seed.</summary>
    public static IReadOnlyList<int> Seeds(string text, string option)
    {
        var seeds = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int dots = part.IndexOf("..", StringComparison.Ordinal);
            if (dots >= 0)
            {
                int lo = Seed(part[..dots], option, text), hi = Seed(part[(dots + 2)..], option, text);
                if (hi < lo || hi - lo >= 1_000_000) throw new MisgenInputException($"{option} range '{part}' is invalid; valid: A..B with A <= B, at most 1,000,000 levels");
                for (int s = lo; s <= hi; s++) seeds.Add(s);
            }
            else seeds.Add(Seed(part, option, text));
        }
        if (seeds.Count == 0) throw new MisgenInputException($"{option} '{text}' names no level; write A..B, A,B,C or one seed");
        return seeds;
    }

    private static int Seed(string text, string option, string whole) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v
            : throw new MisgenInputException($"{option} '{whole}': '{text.Trim()}' is not a level seed; valid: 0..{int.MaxValue}, ranges A..B, lists A,B,C");

    /// <summary>Writes a PNG or an SVG by the file's extension.</summary>
    public static string WriteImage(string path, Func<byte[]> png, Func<string>? svg)
    {
        string full = Path.GetFullPath(path);
        string extension = Path.GetExtension(full).ToLowerInvariant();
        if (extension == ".png") AtomicFile.WriteAllBytes(full, png());
        else if (extension == ".svg" && svg is not null) AtomicFile.WriteAllText(full, svg());
        else throw new MisgenInputException($"--out '{path}' must end in {(svg is null ? ".png" : ".svg or .png")}");
        return full;
    }
}
