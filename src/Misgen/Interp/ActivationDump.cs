using System.Globalization;
using System.Text.Json;
using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>One observation of an activation dump: the level, and the agent's cell (null: where the level starts it).</summary>
public sealed record DumpRow(LevelSource Level, int? AgentX = null, int? AgentY = null);

/// <summary>
/// Activations of named layers for a batch of observations, written as safetensors that numpy and torch open as is:
/// one float32 tensor per layer, named by the layer, NCHW (row n is observation n); the metadata holds the spec(s),
/// the level seeds (or grid files), the agent's cell per row, the layout and the agent (docs/INTERP.md).
/// </summary>
public static class ActivationDump
{
    /// <summary>The rows for <paramref name="levels"/>: each level's first frame, or the agent on every open cell of each level.</summary>
    public static IReadOnlyList<DumpRow> Rows(IReadOnlyList<LevelSource> levels, bool everyOpenCell)
    {
        if (!everyOpenCell) return levels.Select(l => new DumpRow(l)).ToList();
        var rows = new List<DumpRow>();
        foreach (var level in levels)
            foreach (var (x, y) in VectorField.OpenCells(level.CreateGrid())) rows.Add(new DumpRow(level, x, y));
        return rows;
    }

    /// <summary>The observations of the rows, HWC bytes one after another.</summary>
    public static byte[] Observations(IReadOnlyList<DumpRow> rows, int size)
    {
        byte[]? all = null;
        for (int i = 0; i < rows.Count; i++)
        {
            var game = rows[i].Level.Create();
            if (rows[i].AgentX is int x && rows[i].AgentY is int y) GridGames.Require(game).PlaceAgent(x, y);
            var frame = Interp.Observations.Of(game, size);
            all ??= new byte[rows.Count * frame.Length];
            frame.CopyTo(all, i * frame.Length);
        }
        return all ?? [];
    }

    public static Dictionary<string, Tensor> Write(string path, ImpalaCnn model, IReadOnlyList<DumpRow> rows, IReadOnlyList<string> layers,
                                                   IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyList<ActivationEdit>? patches = null)
    {
        if (rows.Count == 0) throw new MisgenInputException("no observations to dump: give at least one level");
        if (layers.Count == 0) throw new MisgenInputException($"no layers to dump; valid: {string.Join(", ", ImpalaCnn.HookPoints)}");
        var observations = Observations(rows, model.Config.InputSize);
        var tensors = ActivationCapture.Run(model, observations, rows.Count, layers, patches);
        var meta = new Dictionary<string, string>
        {
            ["format"] = "misgen-activations",
            ["layout"] = "NCHW",
            ["layers"] = JsonSerializer.Serialize(layers.Distinct().ToArray()),
            ["specs"] = JsonSerializer.Serialize(rows.Select(r => r.Level.Spec.ToString()).Distinct().ToArray()),
            ["spec_of_row"] = JsonSerializer.Serialize(rows.Select(r => r.Level.Spec.ToString()).ToArray()),
            ["level_seeds"] = JsonSerializer.Serialize(rows.Select(r => r.Level.Seed).ToArray()),
            ["positions"] = JsonSerializer.Serialize(rows.Select(r => Position(r)).ToArray()),
            ["observation_size"] = model.Config.InputSize.ToString(CultureInfo.InvariantCulture),
        };
        if (rows.Any(r => r.Level.GridFile is not null))
            meta["grid_files"] = JsonSerializer.Serialize(rows.Select(r => r.Level.GridFile ?? "").ToArray());
        if (metadata is not null) foreach (var (k, v) in metadata) meta[k] = v;
        Safetensors.SaveTensors(path, layers.Distinct().Select(l => (l, tensors[l])).ToList(), meta);
        return tensors;
    }

    /// <summary>The agent's cell [x, y] (x from the left, y from the bottom) in the row's observation.</summary>
    private static int[] Position(DumpRow row)
    {
        if (row.AgentX is int x && row.AgentY is int y) return [x, y];
        var game = row.Level.Create();
        return game is Envs.IGridAgentGame grid ? [grid.AgentX, grid.AgentY] : [];
    }
}
