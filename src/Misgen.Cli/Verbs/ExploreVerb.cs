using System.CommandLine;
using Misgen.Explore;

namespace Misgen.Cli.Verbs;

internal static class ExploreVerb
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "Agent directories or folders of agents (e.g. runs/demo/agents), or one results.db (study mode: its scatter plots, a click loads an agent)",
            Arity = ArgumentArity.OneOrMore,
        };
        var host = new Option<string>("--host") { Description = "Address to listen on; anything but loopback lets other machines use the explorer (a warning is printed)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0: any free port)", DefaultValueFactory = _ => 8050 };
        var threads = new Option<int?>("--threads") { Description = "Threads for the network (default: all cores)" };
        var command = new Command("explore",
            "Interactive agent explorer in the browser: starts a local web server and prints its address (it opens nothing by itself). " +
            "The page edits a level (walls, the agent, the goals) and redraws the agent's vector field; shows the action-group probabilities and value " +
            "at the mouse and a layer's channels; patches (zero, scale, set, a level-pair vector with a coefficient slider) with before/after fields and rollouts; " +
            "plays an episode step by step or animated with an attribution overlay; given a results.db, shows the report's scatter plots (a click loads the agent). " +
            "Serves only the agents it was started with. Ctrl+C stops it. docs/EXPLORE.md")
        {
            inputs, host, port, threads,
        };
        command.SetAction(parse =>
        {
            InterpInputs.ConfigureThreads(parse.GetValue(threads));
            var agents = ExploreAgents.FromInputs(parse.GetValue(inputs) ?? []);
            string hostName = parse.GetValue(host)!.Trim();
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            var server = ExploreServer.StartAsync(new Explorer(agents), hostName, parse.GetValue(port), Console.Error).GetAwaiter().GetResult();
            try
            {
                if (!ExploreServer.IsLoopback(hostName))
                    Console.Error.WriteLine($"misgen: warning: --host {hostName} is not loopback: anyone who can reach this machine can use the explorer and run its agents");
                Console.WriteLine($"misgen explore: {agents.Entries.Count} agent(s){(agents.ResultsDb is null ? "" : " from " + agents.ResultsDb)}; open {server.Address} (Ctrl+C stops)");
                server.WaitAsync(stop.Token).GetAwaiter().GetResult();
                Console.Error.WriteLine("misgen explore: stopped");
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return Cli.Done;
        });
        return command;
    }
}
