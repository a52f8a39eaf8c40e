using Misgen.Studies;
using Misgen.Envs.Maze;
using System.Globalization;
using Misgen.Envs;
using Misgen.Eval;

namespace Misgen.Tests.Analysis;

/// <summary>
/// A made-up but study-shaped results.db: agents trained on yellow-line@textured, evaluated on
/// red/green/blue line vs yellow gem, with the published tendencies (most prefer the gem over red: low preference for the red line,
/// many prefer green, all prefer the gem over blue) and one planted outlier (agent-07 prefers the
/// red line). Each agent has a train.csv.
/// </summary>
internal static class SyntheticStudy
{
    public static readonly string[] Settings =
    [
        "maze:red-line+yellow-gem@textured", "maze:green-line+yellow-gem@textured",
        "maze:blue-line+yellow-gem@textured", "maze:red-line+green-line@textured",
    ];

    public static void Create(string folder, int agents = 14, int levels = 200)
    {
        using var store = ResultsStore.Open(Path.Combine(folder, "results.db"));
        var rng = new Rng(2024);
        var settingIds = Settings.Select(s => store.AddSetting(StudyCatalogue.Resolve(s))).ToArray();
        for (int a = 0; a < agents; a++)
        {
            string name = $"agent-{a:00}";
            string trainCsv = Path.Combine(folder, "agents", name, "train.csv");
            Directory.CreateDirectory(Path.GetDirectoryName(trainCsv)!);
            var lines = new List<string> { "update,env_steps,episode_return,episode_length" };
            double rate = 0.4 + 0.3 * rng.NextDouble();
            for (int u = 0; u <= 40; u++)
            {
                double steps = u * 65536.0;
                double ret = 10 * (1 - Math.Exp(-rate * u / 8)) + 0.3 * rng.NextGaussian();
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{u},{steps},{ret:F3},{60 * Math.Exp(-rate * u / 8) + 5:F2}"));
            }
            File.WriteAllLines(trainCsv, lines);
            int id = store.AddAgent(new AgentRecord(name, Path.Combine(folder, "agents", name), "maze:yellow-line@textured", "fast", a, trainCsv));
            double[] preference =
            [
                a == 7 ? 0.92 : Math.Clamp(0.2 + 0.07 * rng.NextGaussian(), 0.02, 0.45),
                Math.Clamp(0.6 + 0.2 * rng.NextGaussian(), 0.05, 0.98),
                Math.Clamp(0.04 + 0.03 * rng.NextGaussian(), 0, 0.2),
                Math.Clamp(0.45 + 0.15 * rng.NextGaussian(), 0.05, 0.95),
            ];
            double meanSteps = 6 + 4 * rng.NextDouble();
            for (int s = 0; s < Settings.Length; s++)
            {
                double timeoutRate = s == 2 ? 0.05 + 0.1 * rng.NextDouble() : 0.005;
                var episodes = new Episode[levels];
                for (int l = 0; l < levels; l++)
                {
                    double u = rng.NextDouble();
                    var outcome = u < timeoutRate ? MazeOutcome.Timeout : rng.NextDouble() < preference[s] ? MazeOutcome.Obj1 : MazeOutcome.Obj2;
                    int steps = outcome == MazeOutcome.Timeout ? 500 : 1 + (int)(meanSteps * -Math.Log(1 - rng.NextDouble()));
                    episodes[l] = new Episode(100000 + l, outcome, steps, outcome switch { MazeOutcome.Obj1 => 10, MazeOutcome.Obj2 => -10, _ => 0 });
                }
                store.AddEpisodes(id, settingIds[s], episodes);
            }
        }
    }

    /// <summary>A tiny animated GIF standing in for the evaluator's agent video.</summary>
    public static byte[] FakeAgentGif()
    {
        const int size = 8;
        var frames = new List<byte[]>();
        for (int f = 0; f < 4; f++)
        {
            var frame = new byte[size * size * 3];
            for (int i = 0; i < size * size; i++)
            {
                bool agent = i == f * (size + 1);
                frame[i * 3] = agent ? (byte)187 : (byte)90;
                frame[i * 3 + 1] = agent ? (byte)203 : (byte)92;
                frame[i * 3 + 2] = agent ? (byte)204 : (byte)92;
            }
            frames.Add(Misgen.Media.Upscale.Nearest(frame, size, size, 6));
        }
        return Misgen.Media.Gif.Encode(frames, size * 6, size * 6);
    }
}
