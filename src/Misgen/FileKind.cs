using System.Runtime.InteropServices;

namespace Misgen;

/// <summary>What a path names once symbolic links are followed (stat(2)'s file type).</summary>
public enum FileKind { Missing, Regular, Directory, CharacterDevice, Fifo, BlockDevice, Socket, Other }

public static class FileKinds
{
    /// <summary>
    /// The kind of the file <paramref name="path"/> leads to, following symbolic links (a dangling link is
    /// <see cref="FileKind.Missing"/>). .NET's public API does not tell a device or a named pipe from a regular
    /// file, so on Unix this asks the runtime's own native shim (System.Native's stat, whose result starts with
    /// two 32-bit fields: flags, then st_mode).
    /// </summary>
    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsWindows())
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        int mode;
        try
        {
            if (Stat(path, out var status) != 0) return FileKind.Missing;
            mode = status.Mode;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        }
        return (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x1000 => FileKind.Fifo,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
    }

    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.CharacterDevice => "a character device",
        FileKind.Fifo => "a named pipe",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Missing => "missing",
        _ => "not a regular file",
    };

    // Large enough for any version of the runtime's FileStatus; only the first two fields are read.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct NativeFileStatus
    {
        public int Flags;
        public int Mode;
    }

#pragma warning disable SYSLIB1054 // a plain DllImport keeps this one call free of source generators
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out NativeFileStatus status);
#pragma warning restore SYSLIB1054
}
