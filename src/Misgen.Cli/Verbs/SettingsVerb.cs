using System.CommandLine;
using System.Text.Json;
using Misgen.Studies;

namespace Misgen.Cli.Verbs;

internal static class SettingsVerb
{
    public static Command Create()
    {
        var condition = new Option<string?>("--condition")
        {
            Description = "Only the settings of this training condition, e.g. maze:yellow-line@textured",
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per setting instead of a table" };
        var command = new Command("settings", "List the published studies' test settings, grouped by training condition.")
        {
            condition, json,
        };
        command.SetAction(parseResult =>
        {
            string? wanted = parseResult.GetValue(condition);
            var conditions = wanted is null ? StudyCatalogue.Conditions.ToList() : [StudyCatalogue.Condition(wanted)];
            if (parseResult.GetValue(json))
            {
                foreach (var c in conditions)
                foreach (var s in c.Settings)
                    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string?>
                    {
                        ["condition"] = c.Spec, ["setting"] = s.Spec, ["obj1"] = s.Obj1, ["obj2"] = s.Obj2, ["background"] = s.Background,
                    }));
                return Cli.Done;
            }
            foreach (var c in conditions)
            {
                Console.WriteLine($"{c.Spec}  ({c.Description}, {c.Settings.Count} settings)");
                foreach (var s in c.Settings) Console.WriteLine($"  {s.Spec}");
                Console.WriteLine();
            }
            Console.WriteLine("obj1 (first) is the preference numerator. Any other duel spec can be evaluated directly.");
            return Cli.Done;
        });
        return command;
    }
}
