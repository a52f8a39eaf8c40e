using System.CommandLine;
using Misgen.Analysis;

namespace Misgen.Cli.Verbs;

internal static class DemoVerb
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the agents, results.db and report.html", DefaultValueFactory = _ => "demo" };
        var agents = new Option<int>("--agents") { Description = "Agents to train (seeds 0, 1, ...)", DefaultValueFactory = _ => 4 };
        var steps = new Option<long?>("--total-steps") { Description = "Training steps per agent (default: the fast preset's)" };
        var levels = new Option<int>("--levels") { Description = "Evaluation levels per setting", DefaultValueFactory = _ => 1000 };
        var budget = new Option<double>("--minutes") { Description = "Time budget: settings beyond red/green/blue vs yellow gem only while within it", DefaultValueFactory = _ => 15 };
        var threads = new Option<int?>("--threads") { Description = "Threads (default: all cores)" };
        var command = new Command("demo",
            "The main job: train agents on maze:yellow-line@textured (preset fast), evaluate them on red/green/blue line vs yellow gem (and more as time allows), write report.html. Rerun to resume.")
        {
            output, agents, steps, levels, budget, threads,
        };
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(threads) is int t)
            {
                if (t < 1 || t > 256) throw new MisgenInputException($"--threads {t} is invalid; valid: 1..256");
                WorkerPool.ConfigureShared(t);
            }
            double minutes = parseResult.GetValue(budget);
            if (!(minutes > 0)) throw new MisgenInputException($"--minutes {minutes} is invalid; valid: more than 0");
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try
            {
                string report = Demo.Run(new DemoOptions
                {
                    Folder = parseResult.GetValue(output)!,
                    Agents = parseResult.GetValue(agents),
                    TotalSteps = parseResult.GetValue(steps),
                    Levels = parseResult.GetValue(levels),
                    Budget = TimeSpan.FromMinutes(minutes),
                }, Console.WriteLine, cancel.Token);
                Console.WriteLine($"open {report}");
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            return Cli.Done;
        });
        return command;
    }
}
