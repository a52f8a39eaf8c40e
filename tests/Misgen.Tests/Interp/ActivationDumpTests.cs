using System.Diagnostics;
using System.Text.Json;
using Misgen.Envs;
using Misgen.Interp;
using Misgen.Nn;
using Misgen.Tests.Nn;

namespace Misgen.Tests.Interp;

public sealed class ActivationDumpTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("misgen-dump-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly ImpalaConfig Small = new(32, 4, 8, 8, Hidden: 16);

    [Fact]
    public void A_dump_round_trips_with_the_levels_and_positions_in_its_metadata()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 1);
        var spec = EnvSpec.Parse("maze:yellow-line@black;size=5");
        var levels = new[] { 3, 4 }.Select(s => new LevelSource(spec, s)).ToList();
        var rows = ActivationDump.Rows(levels, everyOpenCell: true);
        string path = Path.Combine(dir, "acts.safetensors");
        string[] layers = ["embedder.block2.res1.resadd", "embedder.relu3", "embedder.relufc"];
        var written = ActivationDump.Write(path, model, rows, layers, new Dictionary<string, string> { ["agent"] = "test" });
        var (tensors, metadata) = Safetensors.ReadTensors(path);
        Assert.Equal(layers.Order(), tensors.Keys.Order());
        foreach (string layer in layers) Assert.Equal(written[layer].Data, tensors[layer].Data);
        Assert.Equal([rows.Count, 8, 8, 8], tensors["embedder.block2.res1.resadd"].Shape);
        Assert.Equal([rows.Count, 16, 1, 1], tensors["embedder.relufc"].Shape);
        Assert.Equal("NCHW", metadata["layout"]);
        Assert.Equal("test", metadata["agent"]);
        var seeds = JsonSerializer.Deserialize<int[]>(metadata["level_seeds"])!;
        var positions = JsonSerializer.Deserialize<int[][]>(metadata["positions"])!;
        Assert.Equal(rows.Select(r => r.Level.Seed), seeds);
        Assert.Equal(rows.Select(r => new[] { r.AgentX!.Value, r.AgentY!.Value }), positions);
        // Row n is the network's activation on that row's observation (checked against the slow cached pass).
        int n = rows.Count - 1;
        var game = new LevelSource(spec, seeds[n]).CreateGrid();
        game.PlaceAgent(positions[n][0], positions[n][1]);
        var cached = model.RunWithCache(Observations.Of(game, 32), 1, ["embedder.relu3"]).Cache["embedder.relu3"];
        int per = cached.Count;
        for (int i = 0; i < per; i++) Assert.Equal(cached.Data[i], tensors["embedder.relu3"].Data[n * per + i], 1e-5);
    }

    [Fact]
    public void Debian_numpy_reads_the_dump_as_is()
    {
        var model = ImpalaCnnTests.RandomModel(Small, 2);
        var spec = EnvSpec.Parse("maze:red-line+yellow-gem@textured;size=7");
        var rows = ActivationDump.Rows([.. Enumerable.Range(10, 3).Select(s => new LevelSource(spec, s))], everyOpenCell: false);
        string path = Path.Combine(dir, "acts.safetensors");
        var written = ActivationDump.Write(path, model, rows, ["embedder.block1.conv", "embedder.relu3"]);
        // An independent reader: numpy parses the header and maps the data, nothing of Misgen involved.
        string script = """
            import json, struct, sys
            import numpy as np
            raw = open(sys.argv[1], 'rb').read()
            n = struct.unpack('<Q', raw[:8])[0]
            header = json.loads(raw[8:8 + n])
            meta = header.pop('__metadata__')
            out = {'meta_layout': meta['layout'], 'seeds': json.loads(meta['level_seeds'])}
            for name, t in header.items():
                a, b = t['data_offsets']
                arr = np.frombuffer(raw[8 + n + a:8 + n + b], dtype='<f4').reshape(t['shape'])
                out[name] = {'shape': list(arr.shape), 'sum': float(arr.astype(np.float64).sum()), 'first': float(arr.flat[0]), 'at': float(arr[2, 1, 0, 1])}
            print(json.dumps(out))
            """;
        string scriptPath = Path.Combine(dir, "read.py");
        File.WriteAllText(scriptPath, script);
        var start = new ProcessStartInfo("/usr/bin/python3", [scriptPath, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(start)!;
        string output = python.StandardOutput.ReadToEnd();
        string errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"python3 with numpy failed (install Debian's python3-numpy): {errors}");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("NCHW", root.GetProperty("meta_layout").GetString());
        Assert.Equal([10, 11, 12], root.GetProperty("seeds").EnumerateArray().Select(e => e.GetInt32()));
        foreach (var (name, tensor) in written)
        {
            var t = root.GetProperty(name);
            Assert.Equal(tensor.Shape, t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(tensor.Data.Sum(v => (double)v), t.GetProperty("sum").GetDouble(), 6);
            Assert.Equal(tensor.Data[0], (float)t.GetProperty("first").GetDouble());
            Assert.Equal(tensor[2, 1, 0, 1], (float)t.GetProperty("at").GetDouble());
        }
    }
}
