using System.Globalization;
using System.Text;
using Misgen.Eval;

namespace Misgen.Sweeps;

/// <summary>One evaluation episode as an eval task records it (the key is agent, setting, level seed).</summary>
public readonly record struct TaskEpisode(string Agent, string Setting, int LevelSeed, string Outcome, int Steps, float Return, FactValues Facts = default);

/// <summary>
/// An eval task's result file: CSV with a header, one episode per line, written atomically; the last column
/// holds the game's per-episode facts separated by ';' (empty for games that report none).
/// Reading rejects anything malformed, so a damaged file is never merged silently.
/// </summary>
public static class EpisodeFile
{
    public const string Header = "agent,setting,level_seed,outcome,steps,return,facts";

    // Files of earlier versions had no facts column; they are read as episodes without facts.
    private const string HeaderWithoutFacts = "agent,setting,level_seed,outcome,steps,return";

    public static void Write(string path, IEnumerable<TaskEpisode> rows)
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var r in rows)
        {
            sb.Append(r.Agent).Append(',').Append(r.Setting).Append(',')
              .Append(r.LevelSeed.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Outcome).Append(',')
              .Append(r.Steps.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(r.Return.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            var facts = r.Facts.AsSpan();
            for (int i = 0; i < facts.Length; i++)
                sb.Append(i > 0 ? ";" : "").Append(facts[i].ToString("R", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    public static List<TaskEpisode> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        bool withFacts = lines.Length > 0 && lines[0] == Header;
        if (lines.Length == 0 || !withFacts && lines[0] != HeaderWithoutFacts)
            throw new MisgenInputException($"{path}: not an episodes file (header '{Header}' missing)");
        var rows = new List<TaskEpisode>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            if (f.Length != (withFacts ? 7 : 6)
                || !int.TryParse(f[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int level)
                || !int.TryParse(f[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out int steps)
                || !float.TryParse(f[5], NumberStyles.Float, CultureInfo.InvariantCulture, out float ret)
                || !float.IsFinite(ret))
                throw new MisgenInputException($"{path}:{i + 1}: malformed episode row '{lines[i]}'");
            var facts = default(FactValues);
            if (withFacts && f[6].Length > 0)
            {
                var parts = f[6].Split(';');
                var values = new float[parts.Length];
                for (int k = 0; k < parts.Length; k++)
                    if (!float.TryParse(parts[k], NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]))
                        throw new MisgenInputException($"{path}:{i + 1}: malformed episode facts '{f[6]}'");
                facts = new FactValues(values);
            }
            rows.Add(new TaskEpisode(f[0], f[1], level, f[3], steps, ret, facts));
        }
        return rows;
    }
}
