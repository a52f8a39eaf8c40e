using System.CommandLine;
using System.Globalization;
using Misgen.Interp;

namespace Misgen.Cli.Verbs;

internal static class DecisionVerb
{
    public static Command Create()
    {
        var inputs = new InterpInputs();
        var levels = new Option<string>("--levels") { Description = "Level seeds: A..B, A,B,C or one seed", DefaultValueFactory = _ => "0..99" };
        var goal = new Option<int>("--goal") { Description = "Which goal (0: the rewarded one)", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "One JSON line per level" };
        var command = new Command("decision",
            "Decision squares: on each level, the last cell shared by the shortest paths from the start to the goal and to the top-right cell, and the agent's " +
            "P(step toward the goal) and P(step toward the corner) there (optionally patched); then the medians.")
        {
            levels, goal, json,
        };
        inputs.AddTo(command, level: false);
        command.SetAction(parse =>
        {
            var (agent, model, spec) = inputs.Load(parse);
            var policy = inputs.PolicyOf(parse, model, spec);
            bool asJson = parse.GetValue(json);
            var towardGoal = new List<float>();
            var towardCorner = new List<float>();
            int without = 0;
            foreach (int seed in InterpInputs.Seeds(parse.GetValue(levels)!, "--levels"))
            {
                var game = new LevelSource(spec, seed).CreateGrid();
                var (square, reason) = DecisionSquare.Find(game, parse.GetValue(goal));
                if (square is null)
                {
                    without++;
                    if (asJson) Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { level = seed, reason }));
                    continue;
                }
                var p = square.Probabilities(policy, game);
                towardGoal.Add(p.TowardGoal);
                towardCorner.Add(p.TowardCorner);
                if (asJson)
                    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                    {
                        level = seed, x = square.X, y = square.Y, toward_goal = square.TowardGoal, toward_corner = square.TowardCorner,
                        p_goal = p.TowardGoal, p_corner = p.TowardCorner,
                    }));
                else
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"level {seed}: decision square ({square.X}, {square.Y}); P({square.TowardGoal}, toward {square.Goal.Name}) {p.TowardGoal:F3}, P({square.TowardCorner}, toward the corner) {p.TowardCorner:F3}"));
            }
            if (!asJson)
                Console.WriteLine(towardGoal.Count == 0
                    ? $"{agent.Record.Name}: no level had a decision square ({without} without)"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{agent.Record.Name}: {towardGoal.Count} levels with a decision square ({without} without); median P(toward the goal) {Median(towardGoal):F3}, median P(toward the corner) {Median(towardCorner):F3}"));
            return Cli.Done;
        });
        return command;
    }

    private static double Median(List<float> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
