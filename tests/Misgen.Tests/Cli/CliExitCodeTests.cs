using System.CommandLine;

namespace Misgen.Tests.Cli;

public sealed class CliExitCodeTests
{
    private static int Run(Action action, params string[] args)
    {
        var root = new RootCommand("test");
        var verb = new Command("go", "test verb");
        verb.SetAction(_ => { action(); return 0; });
        root.Subcommands.Add(verb);
        return Misgen.Cli.Cli.Run(root, args);
    }

    [Fact]
    public void Unknown_verb_is_bad_input() => Assert.Equal(2, Run(() => { }, "nope"));

    [Fact]
    public void Input_exception_is_bad_input() =>
        Assert.Equal(2, Run(() => throw MisgenInputException.Unknown("colour", "mauve", ["red", "green"]), "go"));

    [Fact]
    public void Other_exception_is_failure() =>
        Assert.Equal(1, Run(() => throw new IOException("disk full"), "go"));

    [Fact]
    public void Success_is_zero() => Assert.Equal(0, Run(() => { }, "go"));
}
