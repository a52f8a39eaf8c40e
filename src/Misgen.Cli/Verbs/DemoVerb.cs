using System.CommandLine;
using Misgen.Demo;

namespace Misgen.Cli.Verbs;

internal static class DemoVerb
{
    public static Command Create()
    {
        var defaults = new DemoOptions();
        var output = new Option<string>("--out") { Description = "Folder for agents, results.db and report.html", DefaultValueFactory = _ => defaults.OutDir };
        var agents = new Option<int>("--agents") { Description = "Agents to train (seeds 1..N).", DefaultValueFactory = _ => defaults.Agents }.Within(1, DemoRun.MaxAgents);
        var preset = new Option<string>("--preset") { Description = $"Training preset (fast, paper, smoke); fast stops at {DemoRun.FastTotalSteps:N0} steps per agent unless --set total_steps=N", DefaultValueFactory = _ => defaults.Preset };
        var levels = new Option<int>("--levels") { Description = "Evaluation levels per setting (seeds from 100000).", DefaultValueFactory = _ => defaults.Levels }.Within(1, Misgen.Eval.EvalProtocol.MaxLevels);
        var minutes = new Option<double>("--minutes")
        {
            Description = "Time budget: settings beyond the three headline ones are evaluated while the run is within it",
            DefaultValueFactory = _ => defaults.Budget.TotalMinutes,
        }.Within(0, DemoRun.MaxMinutes);
        var threads = new Option<int?>("--threads") { Description = "Threads (default: all cores)." }.Threads();
        var set = new Option<string[]>("--set") { Description = "Override a training config field, key=value; repeatable", AllowMultipleArgumentsPerToken = false };
        var command = new Command("demo",
            "The main job: train agents on maze:yellow-line@textured, evaluate them on its test settings " +
            "(red, green and blue line vs yellow gem first), and write report.html. Rerun to resume.")
        {
            output, agents, preset, levels, minutes, threads, set,
        };
        command.SetAction(parseResult =>
        {
            int threadCount = parseResult.GetValue(threads) ?? Environment.ProcessorCount;
            using var interruption = new Interruption("stopping after the current step");
            string report = DemoRun.Run(new DemoOptions
            {
                OutDir = parseResult.GetValue(output)!,
                Agents = parseResult.GetValue(agents),
                Preset = parseResult.GetValue(preset)!,
                Levels = parseResult.GetValue(levels),
                Threads = threadCount,
                Budget = TimeSpan.FromMinutes(parseResult.GetValue(minutes)),
                Overrides = parseResult.GetValue(set) ?? [],
            }, Console.WriteLine, interruption.Token);
            Console.WriteLine($"open {report} in a browser");
            return Cli.Done;
        });
        return command;
    }
}
