namespace Misgen;

/// <summary>
/// Writes files so that a crash never leaves a half-written file in place: the content goes to a
/// temporary file in the same folder, is flushed to disk, and is then renamed over the target.
/// What the target may be (docs/FILES.md, "Writing outputs"):
/// <list type="bullet">
/// <item>missing or a regular file: replaced atomically as above (an existing file is overwritten);</item>
/// <item>a symbolic link: followed; the file it finally points to is replaced and the link stays;
/// a link to nothing is refused;</item>
/// <item>a character device (<c>/dev/null</c>, a terminal) or a named pipe: written through in place,
/// since there is no file to replace;</item>
/// <item>anything else (a folder, a block device, a socket): refused with a <see cref="MisgenInputException"/>
/// and left untouched.</item>
/// </list>
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        var kind = FileKinds.Of(full);
        switch (kind)
        {
            case FileKind.CharacterDevice or FileKind.Fifo:
                using (var device = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16))
                {
                    write(device);
                    device.Flush();
                }
                return;
            case FileKind.Regular:
                full = FinalTarget(full);
                break;
            case FileKind.Missing:
                if (new FileInfo(full).LinkTarget is { } dangling)
                    throw new MisgenInputException($"cannot write '{path}': it is a symbolic link to '{dangling}', which does not exist");
                break;
            default:
                throw new MisgenInputException($"cannot write '{path}': it is {FileKinds.Describe(kind)}, not a file; give a file name");
        }

        string dir = Path.GetDirectoryName(full) ?? ".";
        OutputFolder.Create(dir);
        // Unique per process and call so concurrent writers (sweep workers) never share a temp file.
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(text);
        });

    // The regular file a chain of symbolic links ends at (the path itself when it is no link).
    private static string FinalTarget(string full)
    {
        if (new FileInfo(full).LinkTarget == null) return full;
        return File.ResolveLinkTarget(full, returnFinalTarget: true) is { } target ? Path.GetFullPath(target.FullName) : full;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
