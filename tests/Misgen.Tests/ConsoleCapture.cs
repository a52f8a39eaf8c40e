namespace Misgen.Tests;

/// <summary>
/// Captures what a verb prints. Console.Out is process-wide, so captures are serialised; other test
/// classes may still print meanwhile, so callers pick their own lines out of the text.
/// </summary>
internal static class ConsoleCapture
{
    private static readonly Lock Gate = new();

    public static string Run(Action action)
    {
        lock (Gate)
        {
            var original = Console.Out;
            var output = new StringWriter();
            Console.SetOut(output);
            try { action(); }
            finally { Console.SetOut(original); }
            return output.ToString();
        }
    }
}
