using System.CommandLine;
using Misgen.Interp;
using Misgen.Nn;

namespace Misgen.Cli.Verbs;

internal static class ActivationsVerb
{
    public static Command Create()
    {
        var inputs = new InterpInputs();
        var levels = new Option<string>("--levels") { Description = "Level seeds: A..B, A,B,C or one seed", DefaultValueFactory = _ => "0" };
        var layers = new Option<string>("--layers")
        {
            Description = $"Layers, comma-separated (hook points: {string.Join(", ", ImpalaCnn.HookPoints)})",
            DefaultValueFactory = _ => "embedder.block2.res1.resadd,embedder.relu3",
        };
        var everyCell = new Option<bool>("--every-cell") { Description = "One observation per open cell of each level (the agent moved there), as a vector field sees them" };
        var output = new Option<string>("--out") { Description = "The safetensors file to write", DefaultValueFactory = _ => "activations.safetensors" };
        var command = new Command("activations",
            "Dump activations of named layers for a batch of levels (or of every agent position) to safetensors: one float32 NCHW tensor per layer, " +
            "the level seeds and positions in the metadata; numpy and torch open it as is.")
        {
            levels, layers, everyCell, output,
        };
        inputs.AddTo(command, level: false);
        command.Options.Add(inputs.Grid);
        command.SetAction(parse =>
        {
            var (agent, model, spec) = inputs.Load(parse);
            var sources = parse.GetValue(inputs.Grid) is { } grid
                ? [LevelSource.FromGridFile(spec, grid)]
                : InterpInputs.Seeds(parse.GetValue(levels)!, "--levels").Select(s => new LevelSource(spec, s)).ToList();
            var names = parse.GetValue(layers)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.EndsWith("_out", StringComparison.Ordinal) ? l[..^4] : l).ToList();
            foreach (var name in names) ImpalaCnn.HookPointIndex(name);
            var rows = ActivationDump.Rows(sources, parse.GetValue(everyCell));
            var patches = inputs.PatchesOf(parse);
            if (inputs.InterventionOf(parse) is not null) throw new MisgenInputException("activations takes --patch but not --intervention");
            var context = new PatchContext(model, spec);
            var edits = patches.Select(p => p.Bind(context)).ToList();
            var metadata = new Dictionary<string, string> { ["agent"] = agent.Record.Name };
            if (agent.Record.ModelSha256 is { } sha) metadata["model_sha256"] = sha;
            if (patches.Count > 0) metadata["patches"] = System.Text.Json.JsonSerializer.Serialize(patches.Select(p => p.Text).ToArray());
            string path = Path.GetFullPath(parse.GetValue(output)!);
            var tensors = ActivationDump.Write(path, model, rows, names, metadata, edits);
            Console.WriteLine($"wrote {path}: {rows.Count} observations; " + string.Join(", ", names.Distinct().Select(n => $"{n} [{string.Join(", ", tensors[n].Shape)}]")));
            return Cli.Done;
        });
        return command;
    }
}
