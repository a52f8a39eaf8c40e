namespace Misgen.Tests;

/// <summary>
/// A fresh folder under the system's temp directory for one test class: tests make their own agents,
/// databases and files in it, and it is deleted (with SQLite's pooled connections closed first) when the
/// class is disposed.
/// </summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "misgen-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string this[params string[] parts] => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
