using System.CommandLine;
using System.Globalization;
using Misgen.Interp;
using Misgen.Media;

namespace Misgen.Cli.Verbs;

internal static class NmfVerb
{
    public static Command Create()
    {
        var inputs = new InterpInputs();
        var layer = new Option<string>("--layer") { Description = "The layer (a hook point)", DefaultValueFactory = _ => "embedder.relu3" };
        var features = new Option<int>("--features") { Description = "Number of NMF features k", DefaultValueFactory = _ => 8 };
        var levels = new Option<string>("--levels") { Description = "Levels whose first frames are factorised: A..B, A,B,C", DefaultValueFactory = _ => "0..255" };
        var iterations = new Option<int>("--iterations") { Description = "Multiplicative-update iterations", DefaultValueFactory = _ => 200 };
        var show = new Option<int>("--show") { Description = "Observations drawn (rows of the figure)", DefaultValueFactory = _ => 4 };
        var scale = new Option<int>("--scale") { Description = "Nearest-neighbour upscale", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "PNG: one row per observation, the observation then each feature's map over it", DefaultValueFactory = _ => "features.png" };
        var command = new Command("nmf",
            "Non-negative matrix factorisation of a layer's activations over many observations into k features (patterns over channels), each drawn as a heatmap over observations.")
        {
            layer, features, levels, iterations, show, scale, output,
        };
        inputs.AddTo(command, level: false, patches: false);
        command.SetAction(parse =>
        {
            var (agent, model, spec) = inputs.Load(parse);
            var seeds = InterpInputs.Seeds(parse.GetValue(levels)!, "--levels");
            int size = model.Config.InputSize, shown = parse.GetValue(show);
            if (shown < 1) throw new MisgenInputException($"--show {shown} is invalid; valid: 1 or more");
            var rows = seeds.Select(s => new DumpRow(new LevelSource(spec, s))).ToList();
            var observations = ActivationDump.Observations(rows, size);
            string name = parse.GetValue(layer)!.Trim();
            if (name.EndsWith("_out", StringComparison.Ordinal)) name = name[..^4];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var nmf = NmfFeatures.Fit(model, observations, rows.Count, name, parse.GetValue(features), parse.GetValue(iterations));
            var shape = new Envs.ObservationShape(size, model.Config.Channels);
            var (picture, width, height) = nmf.Picture(Enumerable.Range(0, Math.Min(shown, rows.Count)).ToList(), observations, o => spec.Game.ToRgb(o, shape), size, parse.GetValue(scale));
            string path = InterpInputs.WriteImage(parse.GetValue(output)!, () => Png.Encode(picture, width, height), null);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {path}: {nmf.K} features of {name} ({nmf.Channels} channels, {nmf.Height}x{nmf.Width}{(nmf.Signed ? ", positive and negative parts" : "")}) over {rows.Count} observations " +
                $"of {agent.Record.Name}; relative error {nmf.Result.Errors[0]:F3} -> {nmf.Result.RelativeError:F3} in {nmf.Result.Errors.Count} iterations ({clock.Elapsed.TotalSeconds:F1} s)"));
            for (int f = 0; f < nmf.K; f++)
            {
                var weights = nmf.Result.H.AsSpan(f * nmf.Channels, nmf.Channels).ToArray();
                var top = weights.Select((w, c) => (w, c)).OrderByDescending(t => t.w).Take(4).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.c} ({t.w:F2})"));
                Console.WriteLine($"  feature {f}: strongest channels {string.Join(", ", top)}");
            }
            return Cli.Done;
        });
        return command;
    }
}
