using System.CommandLine;

namespace Misgen.Tests;

/// <summary>Runs `misgen ARGS` in-process: every verb of the CLI's catalogue, with the CLI's exit codes.</summary>
internal static class VerbRunner
{
    public static int Run(params string[] args)
    {
        var root = new RootCommand("misgen");
        foreach (var verb in Misgen.Cli.VerbCatalogue.All()) root.Subcommands.Add(verb);
        return Misgen.Cli.Cli.Run(root, args);
    }
}
