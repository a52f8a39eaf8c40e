namespace Misgen;

/// <summary>
/// Bad input from the user: an unknown name, a malformed spec, a missing or corrupt file.
/// The message names the bad value and, where there is a closed set, the valid choices.
/// The CLI turns it into one line on stderr and exit code 2.
/// </summary>
public sealed class MisgenInputException : Exception
{
    public MisgenInputException(string message) : base(message) { }

    public MisgenInputException(string message, Exception inner) : base(message, inner) { }

    /// <summary>"unknown {what} 'bad'; valid: a, b, c".</summary>
    public static MisgenInputException Unknown(string what, string bad, IEnumerable<string> valid) =>
        new($"unknown {what} '{bad}'; valid: {string.Join(", ", valid)}");
}
