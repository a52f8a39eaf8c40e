using System.Reflection;
using System.Runtime.InteropServices;

namespace Misgen.Native;

/// <summary>
/// Finds SQLite's native library (libe_sqlite3.so) beside libmisgen.so. Inside another program (Python) the
/// runtime's search starts from that program's folder, not the library's, so the directory of libmisgen.so
/// itself is looked up (dladdr on one of its exports) and SQLite is loaded from there.
/// </summary>
internal static unsafe class NativeDependencies
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) != 0) return;
        NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, Resolve);
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != "e_sqlite3") return 0;
        string? folder = LibraryFolder();
        string file = folder == null ? "" : Path.Combine(folder, "libe_sqlite3.so");
        return File.Exists(file) ? NativeLibrary.Load(file) : 0; // 0: the runtime's own search
    }

    /// <summary>The folder libmisgen.so was loaded from.</summary>
    public static string? LibraryFolder()
    {
        delegate* unmanaged<int> export = &LibraryExports.Version;
        if (DlAddr((nint)export, out var info) == 0 || info.FileName == 0) return null;
        return Path.GetDirectoryName(Marshal.PtrToStringUTF8(info.FileName));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public nint FileName;
        public nint FileBase;
        public nint SymbolName;
        public nint SymbolAddress;
    }

    [DllImport("libc.so.6", EntryPoint = "dladdr")]
    private static extern int DlAddr(nint address, out DlInfo info);
}
