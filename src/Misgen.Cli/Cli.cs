using System.CommandLine;

namespace Misgen.Cli;

/// <summary>Runs a parsed command line with the project's exit codes: 0 done, 1 failed, 2 bad input.</summary>
public static class Cli
{
    public const int Done = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    public static int Run(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"misgen: {error.Message}");
            Console.Error.WriteLine("Run 'misgen --help' for the verbs and their options.");
            return BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Unwrap(e) is MisgenInputException bad)
        {
            Console.Error.WriteLine($"misgen: {bad.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("misgen: interrupted; rerun the same command to resume.");
            return Failed;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"misgen: failed: {Unwrap(e).Message}");
            if (Environment.GetEnvironmentVariable("MISGEN_DEBUG") == "1") Console.Error.WriteLine(e);
            return Failed;
        }
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && e.InnerException is { } inner)
            e = inner;
        return e;
    }
}
