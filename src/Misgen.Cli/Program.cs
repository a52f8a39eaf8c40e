using System.CommandLine;
using Misgen;
using Misgen.Cli;

// The CLI only parses arguments and calls the library. Each verb lives in Verbs/<Name>Verb.cs.
var root = new RootCommand("Misgen: train, evaluate and inspect agents for goal misgeneralization studies.");
foreach (var verb in VerbCatalogue.All()) root.Subcommands.Add(verb);
return Cli.Run(root, args);
