using System.Globalization;
using System.Text;

namespace Misgen.Sweeps;

/// <summary>One evaluation episode as an eval task records it (the key is agent, setting, level seed).</summary>
public readonly record struct TaskEpisode(string Agent, string Setting, int LevelSeed, string Outcome, int Steps, float Return);

/// <summary>
/// An eval task's result file: CSV with a header, one episode per line, written atomically.
/// Reading rejects anything malformed, so a damaged file is never merged silently.
/// </summary>
public static class EpisodeFile
{
    public const string Header = "agent,setting,level_seed,outcome,steps,return";

    public static void Write(string path, IEnumerable<TaskEpisode> rows)
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var r in rows)
            sb.Append(r.Agent).Append(',').Append(r.Setting).Append(',')
              .Append(r.LevelSeed.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Outcome).Append(',')
              .Append(r.Steps.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(r.Return.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    public static List<TaskEpisode> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header) throw new MisgenInputException($"{path}: not an episodes file (header '{Header}' missing)");
        var rows = new List<TaskEpisode>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            if (f.Length != 6
                || !int.TryParse(f[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int level)
                || !int.TryParse(f[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out int steps)
                || !float.TryParse(f[5], NumberStyles.Float, CultureInfo.InvariantCulture, out float ret))
                throw new MisgenInputException($"{path}:{i + 1}: malformed episode row '{lines[i]}'");
            rows.Add(new TaskEpisode(f[0], f[1], level, f[3], steps, ret));
        }
        return rows;
    }
}
