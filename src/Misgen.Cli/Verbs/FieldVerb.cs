using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Misgen.Interp;

namespace Misgen.Cli.Verbs;

internal static class FieldVerb
{
    public static Command Create()
    {
        var inputs = new InterpInputs();
        var diff = new Option<bool>("--diff") { Description = "Draw the patched (or intervened) field minus the agent's own" };
        var goal = new Option<int>("--goal") { Description = "Which goal the decision square is about (0: the rewarded one)", DefaultValueFactory = _ => 0 };
        var scale = new Option<int>("--scale") { Description = "Nearest-neighbour upscale of the level picture", DefaultValueFactory = _ => 8 };
        var output = new Option<string>("--out") { Description = "The picture: .svg or .png", DefaultValueFactory = _ => "field.svg" };
        var json = new Option<bool>("--json") { Description = "Also print every cell's action-group probabilities as one JSON object" };
        var command = new Command("field",
            "Vector field of an agent on a level: the agent on every open cell, one batched forward pass, each cell's left/down/up/right " +
            "probabilities summed into an arrow, drawn over the level; the decision square is outlined. Optionally patched, or the difference patched minus unpatched.")
        {
            diff, goal, scale, output, json,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var (agent, model, spec) = inputs.Load(parse);
            var level = inputs.LevelOf(parse, spec);
            var game = level.CreateGrid();
            bool changed = inputs.Changed(parse);
            if (parse.GetValue(diff) && !changed) throw new MisgenInputException("--diff needs --patch or --intervention (the field to compare with the agent's own)");
            var policy = inputs.PolicyOf(parse, model, spec);
            var field = VectorField.Compute(policy, game);
            var shown = parse.GetValue(diff) ? field.Minus(VectorField.Compute(model, game)) : field;
            var picture = new FieldPicture(shown, FieldPicture.LevelPicture(game, model.Config.InputSize), model.Config.InputSize, parse.GetValue(scale));
            string what = shown.IsDifference ? "difference (patched - unpatched)" : changed ? "patched field" : "field";
            picture.Caption = string.Create(CultureInfo.InvariantCulture, $"{agent.Record.Name} on {level}: {what}");
            var (square, reason) = DecisionSquare.Find(game, parse.GetValue(goal));
            string decision;
            if (square is not null)
            {
                var p = square.Probabilities(policy, game);
                picture.Mark(new CellArea(game.CellArea(square.X, square.Y)), (255, 255, 255));
                decision = string.Create(CultureInfo.InvariantCulture,
                    $"decision square ({square.X}, {square.Y}): P(toward {square.Goal.Name}, {square.TowardGoal}) = {p.TowardGoal:F3}, P(toward the top-right corner, {square.TowardCorner}) = {p.TowardCorner:F3}");
            }
            else decision = $"no decision square: {reason}";
            string path = InterpInputs.WriteImage(parse.GetValue(output)!, picture.ToPng, picture.ToSvg);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path}: {what} over {field.Cells.Count} open cells"));
            Console.WriteLine(decision);
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    spec = spec.ToString(),
                    level = level.ToString(),
                    difference = shown.IsDifference,
                    groups = shown.GroupNames,
                    cells = shown.Cells.Select((c, i) => new { x = c.X, y = c.Y, p = shown.GroupNames.Select(g => Math.Round(shown.Probability(i, g), 6)).ToArray() }),
                }));
            return Cli.Done;
        });
        return command;
    }
}
