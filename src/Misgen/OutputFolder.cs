namespace Misgen;

/// <summary>
/// Creates a folder Misgen writes into (an agent directory, an export folder, a study's output), refusing
/// with a <see cref="MisgenInputException"/> when the path, or a folder on the way to it, is an existing
/// file: "--out report.html" given to a verb that writes a folder is bad input, not a failure.
/// </summary>
public static class OutputFolder
{
    public static string Create(string path)
    {
        string full = Path.GetFullPath(path);
        // Walk up to the nearest existing ancestor: it must be a folder.
        for (string? p = full; p != null; p = Path.GetDirectoryName(p))
        {
            var kind = FileKinds.Of(p);
            if (kind == FileKind.Missing)
            {
                if (new FileInfo(p).LinkTarget is { } dangling)
                    throw new MisgenInputException($"cannot create folder '{path}': '{p}' is a symbolic link to '{dangling}', which does not exist");
                continue;
            }
            if (kind != FileKind.Directory)
                throw new MisgenInputException(p == full
                    ? $"'{path}' is {FileKinds.Describe(kind)}, not a folder; give a folder name"
                    : $"cannot create folder '{path}': '{p}' is {FileKinds.Describe(kind)}, not a folder");
            break;
        }
        Directory.CreateDirectory(full);
        return full;
    }
}
