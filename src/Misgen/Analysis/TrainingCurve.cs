using System.Globalization;

namespace Misgen.Analysis;

/// <summary>One agent's learning curve read from its train.csv.</summary>
public sealed record TrainingCurve(string Agent, string XLabel, double[] X, string YLabel, double[] Y)
{
    private static readonly string[] XColumns = ["env_steps", "steps", "timesteps", "total_steps", "step", "update"];
    private static readonly string[] YColumns = ["episode_return", "mean_return", "ep_return", "return_mean", "mean_episode_return", "return", "reward"];

    /// <summary>
    /// Reads a train.csv (header row, one row per update): x from the first of env_steps, steps,
    /// timesteps, ... and y from the first of episode_return, mean_return, ... present. Null when the
    /// file is missing or has neither column, so a report can go without curves.
    /// </summary>
    public static TrainingCurve? TryRead(string agent, string? path)
    {
        if (path is null || !File.Exists(path)) return null;
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (IOException) { return null; }
        if (lines.Length < 2) return null;
        string[] header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int xi = XColumns.Select(c => Array.IndexOf(header, c)).FirstOrDefault(i => i >= 0, -1);
        int yi = YColumns.Select(c => Array.IndexOf(header, c)).FirstOrDefault(i => i >= 0, -1);
        if (xi < 0 || yi < 0) return null;
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            if (cells.Length <= Math.Max(xi, yi)) continue;
            if (double.TryParse(cells[xi], NumberStyles.Float, CultureInfo.InvariantCulture, out double x) &&
                double.TryParse(cells[yi], NumberStyles.Float, CultureInfo.InvariantCulture, out double y))
            {
                xs.Add(x);
                ys.Add(y);
            }
        }
        if (xs.Count == 0) return null;
        return new TrainingCurve(agent, header[xi].Replace('_', ' '), xs.ToArray(), header[yi].Replace('_', ' '), ys.ToArray());
    }
}
