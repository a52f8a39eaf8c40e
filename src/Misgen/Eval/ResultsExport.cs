using System.Globalization;
using System.Text;

namespace Misgen.Eval;

/// <summary>
/// Writes results.db as CSV for pandas: <c>episodes.csv</c> (one row per episode, outcomes by name, then one
/// column per fact any stored game reports) and <c>metrics.csv</c> (one row per agent and setting), header
/// row, invariant culture, empty cell for an undefined or not applicable value (pandas reads it as NaN).
/// </summary>
public static class ResultsExport
{
    public static readonly string EpisodesHeader = "agent,setting,level_seed,outcome,steps,return";

    public static readonly string MetricsHeader =
        "agent,setting,condition,episodes,obj1,obj2,timeouts,preference,preference_low,preference_high,capability,success_rate,timeout_rate";

    /// <summary>Writes both files into <paramref name="folder"/>; returns their paths.</summary>
    public static (string Episodes, string Metrics) Write(ResultsStore store, string folder)
    {
        // Damage in results.db is found while reading: a folder this export made is removed again when it fails.
        bool made = !Directory.Exists(folder);
        OutputFolder.Create(folder);
        try
        {
            return WriteInto(store, folder);
        }
        catch when (made && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            throw;
        }
    }

    private static (string Episodes, string Metrics) WriteInto(ResultsStore store, string folder)
    {
        string episodesPath = System.IO.Path.Combine(folder, "episodes.csv");
        string metricsPath = System.IO.Path.Combine(folder, "metrics.csv");
        var settings = store.Settings();
        var games = settings.ToDictionary(s => s.Spec, s => s.Env.Game);
        var factNames = games.Values.SelectMany(g => g.Facts).Distinct().ToList();
        AtomicFile.Write(episodesPath, stream =>
        {
            using var writer = NewWriter(stream);
            writer.Write(EpisodesHeader);
            foreach (string fact in factNames) writer.Write("," + fact);
            writer.Write('\n');
            var cells = new string[factNames.Count];
            foreach (var e in store.Episodes())
            {
                var game = games[e.Setting];
                writer.Write(Field(e.Agent)); writer.Write(',');
                writer.Write(Field(e.Setting)); writer.Write(',');
                writer.Write(e.LevelSeed.ToString(CultureInfo.InvariantCulture)); writer.Write(',');
                writer.Write(game.OutcomeName(e.Outcome)); writer.Write(',');
                writer.Write(e.Steps.ToString(CultureInfo.InvariantCulture)); writer.Write(',');
                writer.Write(Number(e.Return));
                Array.Fill(cells, "");
                for (int i = 0; i < e.Facts.Count; i++) cells[factNames.IndexOf(game.Facts[i])] = float.IsFinite(e.Facts[i]) ? e.Facts[i].ToString("R", CultureInfo.InvariantCulture) : "";
                foreach (string cell in cells) { writer.Write(','); writer.Write(cell); }
                writer.Write('\n');
            }
        });
        var conditions = settings.ToDictionary(s => s.Spec, s => s.Condition);
        AtomicFile.Write(metricsPath, stream =>
        {
            using var writer = NewWriter(stream);
            writer.Write(MetricsHeader);
            writer.Write('\n');
            foreach (var m in store.Metrics())
            {
                var (low, high) = m.PreferenceInterval;
                writer.Write(string.Join(',',
                    Field(m.Agent), Field(m.Setting), Field(conditions.GetValueOrDefault(m.Setting) ?? ""),
                    Number(m.Episodes), Number(m.Obj1), Number(m.Obj2), Number(m.Timeouts),
                    Number(m.Preference), Number(low), Number(high), Number(m.Capability),
                    Number(m.SuccessRate), Number(m.TimeoutRate)));
                writer.Write('\n');
            }
        });
        return (episodesPath, metricsPath);
    }

    private static StreamWriter NewWriter(Stream stream) => new(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);

    /// <summary>RFC 4180 quoting: specs contain ';' and names may contain ',' or quotes.</summary>
    internal static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
