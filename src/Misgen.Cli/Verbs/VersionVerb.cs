using System.CommandLine;
using System.Reflection;

namespace Misgen.Cli.Verbs;

internal static class VersionVerb
{
    public static Command Create()
    {
        var command = new Command("version", "Print the Misgen version, runtime and SIMD support.");
        command.SetAction(_ =>
        {
            var version = typeof(MisgenInputException).Assembly.GetName().Version;
            Console.WriteLine($"misgen {version?.ToString(3)}");
            Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, " +
                              $"Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, " +
                              $"Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}");
            return Cli.Done;
        });
        return command;
    }
}
