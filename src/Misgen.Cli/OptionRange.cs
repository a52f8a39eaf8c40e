using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Misgen.Cli;

/// <summary>
/// Valid ranges of numeric options, checked while the command line is parsed (so a bad value is bad input,
/// exit code 2, before anything runs) and appended to the option's help. docs/LIMITS.md lists them all.
/// </summary>
internal static class OptionRange
{
    public static Option<int> Within(this Option<int> option, int min, int max)
    {
        option.Description += $" Valid: {min}..{max}.";
        option.Validators.Add(result => Check(result, result.GetValueOrDefault<int>(), min, max));
        return option;
    }

    public static Option<int?> Within(this Option<int?> option, int min, int max)
    {
        option.Description += $" Valid: {min}..{max}.";
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value) Check(result, value, min, max);
        });
        return option;
    }

    /// <summary>A finite number in (<paramref name="min"/>, <paramref name="max"/>]: NaN and infinity are refused.</summary>
    public static Option<double> Within(this Option<double> option, double min, double max)
    {
        option.Description += string.Create(CultureInfo.InvariantCulture, $" Valid: more than {min}, up to {max}.");
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(double.IsFinite(value) && value > min && value <= max))
                result.AddError(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Option.Name} {value} is invalid; valid: a number more than {min}, up to {max}"));
        });
        return option;
    }

    /// <summary>Every verb's --threads: one range, the library's (WorkerPool.CheckThreads).</summary>
    public static Option<int> Threads(this Option<int> option) => option.Within(1, WorkerPool.MaxThreads);

    public static Option<int?> Threads(this Option<int?> option) => option.Within(1, WorkerPool.MaxThreads);

    private static void Check(OptionResult result, long value, long min, long max)
    {
        if (value < min || value > max) result.AddError($"{result.Option.Name} {value} is invalid; valid: {min}..{max}");
    }
}
