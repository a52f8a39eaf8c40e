using System.CommandLine;

namespace Misgen.Tests.Eval;

/// <summary>Runs one of the CLI's (internal) verbs the way `misgen` does, with its exit codes.</summary>
internal static class VerbRunner
{
    public static int Run(string verbClass, params string[] args)
    {
        var type = typeof(Misgen.Cli.Cli).Assembly.GetType($"Misgen.Cli.Verbs.{verbClass}", throwOnError: true)!;
        var verb = (Command)type.GetMethod("Create")!.Invoke(null, null)!;
        var root = new RootCommand("test");
        root.Subcommands.Add(verb);
        return Misgen.Cli.Cli.Run(root, args);
    }
}
