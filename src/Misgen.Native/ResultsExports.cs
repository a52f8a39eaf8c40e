using System.Runtime.InteropServices;
using Misgen.Eval;

namespace Misgen.Native;

/// <summary>
/// results.db from the C ABI: the two tables <c>misgen export</c> writes (metrics.csv, episodes.csv), as CSV
/// text, computed by the same code, so Python sees exactly the CLI's numbers.
/// </summary>
internal static unsafe class ResultsExports
{
    [UnmanagedCallersOnly(EntryPoint = "misgen_results_csv")]
    public static int Csv(byte* database, byte* table, byte** text, long* length)
    {
        try
        {
            if (text == null || length == null) throw new MisgenInputException("text and length pointers must not be NULL");
            *text = null;
            *length = 0;
            string path = Utf8.Read(database, "results database");
            string which = Utf8.Read(table, "table");
            if (which is not ("metrics" or "episodes")) throw MisgenInputException.Unknown("results table", which, ["metrics", "episodes"]);
            // The export writes files atomically; a private temp folder keeps the caller's folders untouched.
            NativeDependencies.Register();
            var folder = Directory.CreateTempSubdirectory("misgen-results-");
            try
            {
                string csv;
                using (var store = ResultsStore.OpenRead(path))
                {
                    var (episodes, metrics) = ResultsExport.Write(store, Path.Combine(folder.FullName, "export"));
                    csv = File.ReadAllText(which == "metrics" ? metrics : episodes);
                }
                *text = Utf8.Allocate(csv, out long bytes);
                *length = bytes;
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                folder.Delete(recursive: true);
            }
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }
}
