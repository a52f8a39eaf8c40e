namespace Misgen;

/// <summary>
/// Reads a whole input file (weights, image, study, manifest) with the checks every reader needs: it must
/// exist, be a regular file once links are followed (reading /dev/zero or a pipe would never end), and be at
/// most <c>maxBytes</c> long. Anything else is a <see cref="MisgenInputException"/> naming the file.
/// The limits are listed in docs/LIMITS.md.
/// </summary>
public static class InputFile
{
    /// <summary>The largest file read whole into memory (one .NET array).</summary>
    public const long MaxBytes = int.MaxValue - 1024;

    public static byte[] ReadAllBytes(string path, string what, long maxBytes = MaxBytes)
    {
        Check(path, what, maxBytes);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MisgenInputException($"cannot read {what} '{path}': {e.Message}", e);
        }
    }

    public static string ReadAllText(string path, string what, long maxBytes = MaxBytes)
    {
        Check(path, what, maxBytes);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MisgenInputException($"cannot read {what} '{path}': {e.Message}", e);
        }
    }

    public static void Check(string path, string what, long maxBytes = MaxBytes)
    {
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Missing) throw new MisgenInputException($"{what} '{path}' does not exist");
        if (kind != FileKind.Regular) throw new MisgenInputException($"{what} '{path}' is {FileKinds.Describe(kind)}, not a file");
        long length = new FileInfo(path).Length;
        if (length > maxBytes)
            throw new MisgenInputException($"{what} '{path}' is {length:N0} bytes, more than the limit of {maxBytes:N0}");
    }
}
