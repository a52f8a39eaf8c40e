using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Misgen.Interp;

namespace Misgen.Cli.Verbs;

internal static class ChannelsVerb
{
    public static Command Create()
    {
        var inputs = new InterpInputs();
        var defaults = new ChannelSearchOptions();
        var layer = new Option<string>("--layer") { Description = "The layer whose channels are ranked", DefaultValueFactory = _ => defaults.Layer };
        var pairs = new Option<int>("--pairs") { Description = "Level pairs that differ by one wall and change the first step toward the goal", DefaultValueFactory = _ => defaults.Pairs };
        var start = new Option<int>("--start-level") { Description = "First level searched for pairs", DefaultValueFactory = _ => defaults.StartLevel };
        var top = new Option<int>("--top") { Description = "Channels reported", DefaultValueFactory = _ => defaults.Top };
        var agentAt = new Option<string>("--agent-at") { Description = "start (the agent on its start cell) or random (a random open cell per level)", DefaultValueFactory = _ => defaults.AgentAt };
        var ablate = new Option<int>("--ablate") { Description = "Top channels each zeroed in rollouts (0: none)", DefaultValueFactory = _ => defaults.AblateTop };
        var ablationLevels = new Option<int>("--ablation-levels") { Description = "Levels played per ablated channel (and unpatched)", DefaultValueFactory = _ => defaults.AblationLevels };
        var ablationStart = new Option<int>("--ablation-start-level") { Description = "First level played", DefaultValueFactory = _ => defaults.AblationStartLevel };
        var json = new Option<bool>("--json") { Description = "One JSON object: pairs, ranked channels, ablations" };
        var command = new Command("channels",
            "Channel search: pairs of levels that differ by one wall and change the first step toward the goal; the layer's channels ranked by the mean " +
            "|difference| of their summed activation, each labelled with the direction it tracks; success with each top channel zeroed against without.")
        {
            layer, pairs, start, top, agentAt, ablate, ablationLevels, ablationStart, json,
        };
        inputs.AddTo(command, level: false, patches: false);
        command.SetAction(parse =>
        {
            var (agent, model, spec) = inputs.Load(parse);
            string name = parse.GetValue(layer)!.Trim();
            if (name.EndsWith("_out", StringComparison.Ordinal)) name = name[..^4];
            var options = new ChannelSearchOptions(name, parse.GetValue(pairs), parse.GetValue(start), parse.GetValue(top), parse.GetValue(agentAt)!.Trim().ToLowerInvariant(),
                parse.GetValue(ablate), parse.GetValue(ablationLevels), parse.GetValue(ablationStart));
            bool asJson = parse.GetValue(json);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = ChannelSearch.Run(model, spec, options, asJson ? null : line => Console.Error.WriteLine("  " + line));
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    agent = agent.Record.Name,
                    spec = spec.ToString(),
                    layer = name,
                    levels_tried = result.LevelsTried,
                    pairs = result.Pairs.Select(p => new { level = p.LevelSeed, agent = new[] { p.AgentX, p.AgentY }, wall = new[] { p.WallX, p.WallY }, added = p.WallAdded, first = p.FirstStep, edited = p.EditedFirstStep }),
                    channels = result.Channels.Select(c => new { channel = c.Channel, mean_abs_difference = c.MeanAbsDifference, direction = c.Direction, direction_score = c.DirectionScore }),
                    ablations = result.Ablations.Select(a => new { channel = a.Channel, levels = a.Levels, success = a.SuccessRate, ablated_success = a.AblatedSuccessRate }),
                }));
                return Cli.Done;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{agent.Record.Name} on {spec}: {result.Pairs.Count} pairs from levels {options.StartLevel}.. ({result.LevelsTried} tried), layer {name}, {clock.Elapsed.TotalSeconds:F1} s"));
            var changes = result.Pairs.GroupBy(p => $"{p.FirstStep}->{p.EditedFirstStep}").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
            Console.WriteLine($"first-step changes: {string.Join(", ", changes)}");
            Console.WriteLine("rank  channel  mean |diff|  tracks (score)");
            int rank = 1;
            foreach (var c in result.Channels)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rank++,4}  {c.Channel,7}  {c.MeanAbsDifference,11:F4}  {c.Direction ?? "-"} ({c.DirectionScore:F4})"));
            foreach (var a in result.Ablations)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"channel {a.Channel} zeroed: success {a.AblatedSuccessRate:P1} against {a.SuccessRate:P1} unpatched on {a.Levels} levels from {options.AblationStartLevel}"));
            return Cli.Done;
        });
        return command;
    }
}
