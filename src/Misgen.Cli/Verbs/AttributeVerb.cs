using System.CommandLine;
using System.Globalization;
using Misgen.Interp;
using Misgen.Media;

namespace Misgen.Cli.Verbs;

internal static class AttributeVerb
{
    public static Command Create()
    {
        var inputs = new InterpInputs();
        var target = new Option<string>("--target") { Description = "value, or an action group's log-probability: left, down, up, right, noop", DefaultValueFactory = _ => "value" };
        var method = new Option<string>("--method") { Description = "ig (integrated gradients from a black baseline) or gradient (plain saliency)", DefaultValueFactory = _ => "ig" };
        var steps = new Option<int>("--steps") { Description = "Integrated-gradient steps", DefaultValueFactory = _ => Attribution.DefaultSteps };
        var cell = new Option<string?>("--agent-at") { Description = "Put the agent on cell X,Y first (x from the left, y from the bottom)" };
        var scale = new Option<int>("--scale") { Description = "Nearest-neighbour upscale", DefaultValueFactory = _ => 6 };
        var output = new Option<string>("--out") { Description = "PNG: the observation, the heatmap (red positive, blue negative) and the heatmap over the observation", DefaultValueFactory = _ => "attribution.png" };
        var command = new Command("attribute",
            "Attribution heatmap of one observation: integrated gradients (or the plain gradient) of the value or of an action group's log-probability with respect to the input pixels; " +
            "with --patch, of the patched network (the patches' own backward steps, docs/INTERP.md).")
        {
            target, method, steps, cell, scale, output,
        };
        // Patches have backward steps (the attribution of the patched network); an input intervention would need
        // the gradient through the intervention as well, so attribution takes patches only.
        inputs.AddTo(command, intervention: false);
        command.SetAction(parse =>
        {
            var (agent, model, spec) = inputs.Load(parse);
            var level = inputs.LevelOf(parse, spec);
            var game = level.Create();
            if (parse.GetValue(cell) is { } at)
            {
                var xy = at.Split(',');
                if (xy.Length != 2 || !int.TryParse(xy[0], CultureInfo.InvariantCulture, out int x) || !int.TryParse(xy[1], CultureInfo.InvariantCulture, out int y))
                    throw new MisgenInputException($"--agent-at '{at}' is not X,Y");
                GridGames.Require(game).PlaceAgent(x, y);
            }
            int size = model.Config.InputSize;
            var observation = Observations.Of(game, size);
            var what = AttributionTarget.Parse(parse.GetValue(target)!, spec.Game.Actions.Groups);
            var patches = inputs.PatchesOf(parse);
            var attribution = patches.Count > 0 ? new Attribution(PatchedPolicy.Bind(model, spec, patches)) : new Attribution(model);
            int n = parse.GetValue(steps);
            var result = parse.GetValue(method)!.Trim().ToLowerInvariant() switch
            {
                "ig" => attribution.IntegratedGradients(observation, what, n),
                "gradient" => attribution.Gradient(observation, what),
                var other => throw MisgenInputException.Unknown("attribution method", other, ["ig", "gradient"]),
            };
            var rgb = spec.Game.ToRgb(observation, new Envs.ObservationShape(size, model.Config.Channels));
            var map = result.PixelSums();
            var (picture, width, height) = Heatmap.Panels([rgb, Heatmap.Colour(map, size, size, size), Heatmap.Overlay(rgb, map, size, size, size)], size, parse.GetValue(scale));
            string path = InterpInputs.WriteImage(parse.GetValue(output)!, () => Png.Encode(picture, width, height), null);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path}: {result.Method} of {what} for {agent.Record.Name}{(patches.Count > 0 ? " patched with " + string.Join(" then ", patches) : "")} on {level}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what} = {result.Output:F4}") +
                (float.IsNaN(result.BaselineOutput) ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"; at the black baseline {result.BaselineOutput:F4}; attributions sum to {result.Total:F4} (completeness: {result.Output - result.BaselineOutput:F4})")));
            return Cli.Done;
        });
        return command;
    }
}
