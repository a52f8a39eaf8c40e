using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Misgen.Envs;
using Misgen.Envs.Maze;
using Misgen.Eval;
using Misgen.Media;
using Misgen.Nn;
using Misgen.Studies;
using Misgen.Tests.Interop;
using Misgen.Tests.Nn;
using Xunit.Abstractions;

namespace Misgen.Tests.Native;

/// <summary>
/// The Python package (python/misgen) run by Debian's python3 (numpy, pandas, torch from .ci/setup-python.sh)
/// on the library scripts/build-native.sh builds, against the C# classes: the same seeds give the same bytes,
/// an agent's logits equal `misgen forward`'s, and python/tests/test_package.py passes.
/// </summary>
public sealed class PythonPackageTests(ITestOutputHelper output) : IDisposable
{
    private const string Duel = "maze:yellow-gem+red-line@textured";
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string PythonFolder => Path.Combine(NativeBuild.RepositoryRoot, "python");

    [Fact]
    public void The_packages_own_tests_pass()
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(), 21);
        Directory.CreateDirectory(folder["agent"]);
        Safetensors.Save(folder["agent", "model.safetensors"], model);
        using (var store = ResultsStore.Open(folder["results.db"]))
        {
            int agent = store.AddAgent(new AgentRecord("a"));
            int setting = store.AddSetting(StudyCatalogue.Resolve("maze:green-line+yellow-gem@textured"));
            store.AddEpisodes(agent, setting, [new(1, MazeOutcome.Obj1, 10, 10), new(2, MazeOutcome.Obj1, 20, 10), new(3, MazeOutcome.Obj1, 30, 10),
                                               new(4, MazeOutcome.Obj2, 40, -10), new(5, MazeOutcome.Timeout, 500, 0)]);
        }
        var (code, text) = Python(["-m", "unittest", "-v", Path.Combine("tests", "test_package.py")]);
        output.WriteLine(text);
        Assert.True(code == 0, $"python/tests/test_package.py failed:\n{text}");
        Assert.DoesNotContain("skipped", text);
        Assert.Matches(@"Ran 1[0-9] tests", text);
    }

    [Fact]
    public void Observations_and_outcomes_from_Python_equal_the_CSharp_VecEnv_on_the_golden_levels()
    {
        // A short timeout ends many episodes, so many golden levels start within the run.
        const int envs = 8, steps = 400;
        const string spec = Duel + ";timeout=30";
        var (code, text) = Python([Path.Combine("tests", "rollout_digest.py"), spec, $"{envs}", $"{steps}"]);
        Assert.True(code == 0, text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(steps + 1, lines.Length);

        int[] levels = [.. Enumerable.Range(0, 100), .. Enumerable.Range(100_000, 100)];
        using var env = new VecEnv(EnvSpec.Parse(spec), envs, LevelSampler.Queue(levels));
        env.Reset();
        var actions = new int[envs];
        int episodes = 0;
        for (int t = 0; t <= steps; t++)
        {
            if (t > 0)
            {
                for (int i = 0; i < envs; i++) actions[i] = (i * 5 + t * 3 + t / 7) % 15;
                env.Step(actions);
            }
            using var line = JsonDocument.Parse(lines[t]);
            var root = line.RootElement;
            Assert.Equal(t, root.GetProperty("step").GetInt32());
            Assert.True(Convert.ToHexStringLower(SHA256.HashData(env.Observations)) == root.GetProperty("obs").GetString(), $"observations differ at step {t}");
            if (t == 0) continue;
            Assert.Equal(env.Rewards.ToArray(), root.GetProperty("rewards").EnumerateArray().Select(e => e.GetSingle()));
            Assert.Equal(env.Terminated.ToArray(), root.GetProperty("terminated").EnumerateArray().Select(e => e.GetInt32() == 1));
            Assert.Equal(env.Truncated.ToArray(), root.GetProperty("truncated").EnumerateArray().Select(e => e.GetInt32() == 1));
            var outcomes = root.GetProperty("outcomes").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            bool any = false;
            for (int i = 0; i < envs; i++) any |= env.Infos[i].IsEpisode;
            if (!any) { Assert.Empty(outcomes); continue; }
            var seeds = root.GetProperty("levels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var lengths = root.GetProperty("lengths").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            for (int i = 0; i < envs; i++)
            {
                var info = env.Infos[i];
                Assert.Equal(info.Outcome, outcomes[i]);
                Assert.Equal(info.IsEpisode ? info.LevelSeed : 0, seeds[i]);
                Assert.Equal(info.IsEpisode ? info.Steps : 0, lengths[i]);
                if (info.IsEpisode) episodes++;
            }
        }
        Assert.True(episodes >= 80, $"only {episodes} golden-level episodes ended: too few to compare outcomes");
    }

    [Fact]
    public void An_agents_logits_from_Python_equal_misgen_forward_and_its_cache_the_CSharp_cache()
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(), 8);
        string agentDir = folder["agent"];
        Directory.CreateDirectory(agentDir);
        string weights = Path.Combine(agentDir, "model.safetensors");
        Safetensors.Save(weights, model);
        const int batch = 3;
        using var env = new VecEnv(EnvSpec.Parse(Duel), batch, LevelSampler.Queue([0, 1, 100_000]));
        env.Reset();
        byte[] obs = env.Observations.ToArray();
        File.WriteAllBytes(folder["obs.bin"], obs);
        string[] layers = ["embedder.block3.res2.resadd", "embedder.relufc"];
        var (code, text) = Python([Path.Combine("tests", "agent_outputs.py"), agentDir, folder["obs.bin"], $"{batch}", folder.Path, .. layers]);
        Assert.True(code == 0, text);
        var logits = Floats("logits.bin");
        var values = Floats("values.bin");

        // misgen forward, the CLI verb, on the first observation as a PNG.
        Png.Write(folder["obs0.png"], obs.AsSpan(0, env.FrameBytes), 64, 64);
        string printed = ConsoleCapture.Run(() => Assert.Equal(0, VerbRunner.Run("forward", weights, "--obs", folder["obs0.png"], "--json")));
        using var json = JsonDocument.Parse(printed.Split('\n').First(l => l.StartsWith("{\"logits\"", StringComparison.Ordinal)));
        Assert.Equal(json.RootElement.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()), logits[..15]);
        Assert.Equal(json.RootElement.GetProperty("value").GetSingle(), values[0]);

        var expectedLogits = new float[batch * 15];
        var expectedValues = new float[batch];
        model.Forward(obs, batch, expectedLogits, expectedValues);
        Assert.Equal(expectedLogits, logits);
        Assert.Equal(expectedValues, values);
        var probs = Floats("probs.bin");
        for (int n = 0; n < batch; n++)
        {
            double sum = 0;
            for (int a = 0; a < 15; a++) sum += Math.Exp(expectedLogits[n * 15 + a]);
            for (int a = 0; a < 15; a++) Assert.Equal(Math.Exp(expectedLogits[n * 15 + a]) / sum, probs[n * 15 + a], 1e-6);
        }
        var cache = model.RunWithCache(obs, batch, layers).Cache;
        foreach (string layer in layers) Assert.Equal(cache[layer].Data, Floats(layer + ".bin"));

        float[] Floats(string name)
        {
            var bytes = File.ReadAllBytes(folder[name]);
            var values = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            return values;
        }
    }

    [Fact]
    public void Vector_fields_and_patches_from_Python_equal_misgen_field_and_the_CSharp_patched_network()
    {
        var model = ImpalaCnnTests.RandomModel(new ImpalaConfig(), 13);
        string agentDir = folder["agent"];
        Directory.CreateDirectory(agentDir);
        Safetensors.Save(Path.Combine(agentDir, "model.safetensors"), model);
        const string patch = "zero:embedder.block2.res1.resadd:0-15";
        const int level = 3, batch = 2;
        using var env = new VecEnv(EnvSpec.Parse(Duel), batch, LevelSampler.Queue([4, 5]));
        env.Reset();
        byte[] obs = env.Observations.ToArray();
        File.WriteAllBytes(folder["obs.bin"], obs);
        var (code, text) = Python([Path.Combine("tests", "field_outputs.py"), agentDir, Duel, $"{level}", patch, folder["obs.bin"], $"{batch}"]);
        Assert.True(code == 0, text);
        using var result = JsonDocument.Parse(text);
        var root = result.RootElement;
        Assert.Equal([Misgen.Interp.PatchSpec.Parse(patch).Text], root.GetProperty("patches").EnumerateArray().Select(e => e.GetString()));

        foreach (var (name, patchArgs) in new[] { ("plain", Array.Empty<string>()), ("patched", new[] { "--patch", patch }) })
        {
            string printed = ConsoleCapture.Run(() => Assert.Equal(0, VerbRunner.Run(
                ["field", agentDir, Duel, "--level", $"{level}", "--json", "--out", folder[$"{name}.png"], .. patchArgs])));
            using var cli = JsonDocument.Parse(printed.Split('\n').First(l => l.StartsWith("{\"spec\"", StringComparison.Ordinal)));
            var cells = cli.RootElement.GetProperty("cells").EnumerateArray().ToArray();
            var python = root.GetProperty(name).EnumerateArray().ToArray();
            var pythonCells = root.GetProperty("cells").EnumerateArray().ToArray();
            Assert.Equal(cells.Length, python.Length);
            Assert.True(cells.Length >= 10, $"{cells.Length} open cells");
            Assert.Equal(cli.RootElement.GetProperty("groups").EnumerateArray().Select(e => e.GetString()), root.GetProperty("groups").EnumerateArray().Select(e => e.GetString()));
            for (int i = 0; i < cells.Length; i++)
            {
                Assert.Equal(cells[i].GetProperty("x").GetInt32(), pythonCells[i][0].GetInt32());
                Assert.Equal(cells[i].GetProperty("y").GetInt32(), pythonCells[i][1].GetInt32());
                var expected = cells[i].GetProperty("p").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                var actual = python[i].EnumerateArray().Select(e => e.GetDouble()).ToArray();
                for (int g = 0; g < expected.Length; g++) Assert.Equal(expected[g], actual[g], 1.5e-6); // the CLI rounds to 6 places
            }
        }
        Assert.NotEqual(root.GetProperty("plain").GetRawText(), root.GetProperty("patched").GetRawText());

        var patched = Misgen.Interp.PatchedPolicy.Bind(model, EnvSpec.Parse(Duel), [Misgen.Interp.PatchSpec.Parse(patch)]);
        var logits = new float[batch * 15];
        var values = new float[batch];
        patched.Forward(obs, batch, logits, values);
        Assert.Equal(logits, root.GetProperty("logits").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(e => e.GetSingle()));
        Assert.Equal(values, root.GetProperty("values").EnumerateArray().Select(e => e.GetSingle()));
        var plainLogits = new float[batch * 15];
        model.Forward(obs, batch, plainLogits, values);
        Assert.NotEqual(plainLogits, logits);
        // Channels 0..15 of the patched layer read zero in the patched cache.
        Assert.All(root.GetProperty("cache").EnumerateArray(), e => Assert.Equal(0f, e.GetSingle()));
    }

    [Fact]
    public void The_PyTorch_PPO_example_trains_a_few_updates_on_make_vec()
    {
        DebianPython.Require("torch");
        var (code, text) = Python([Path.Combine("examples", "ppo.py"), "--num-envs", "8", "--num-steps", "16", "--updates", "3", "--threads", "1"]);
        output.WriteLine(text);
        Assert.True(code == 0, $"python/examples/ppo.py failed:\n{text}");
        var updates = text.Split('\n').Where(l => l.StartsWith("update ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, updates.Length);
        Assert.DoesNotContain("nan", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_READMEs_From_Python_example_runs_as_shown()
    {
        string readme = File.ReadAllText(Path.Combine(NativeBuild.RepositoryRoot, "README.md"));
        int section = readme.IndexOf("## From Python", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no From Python section");
        int start = readme.IndexOf("```python\n", section, StringComparison.Ordinal) + "```python\n".Length;
        string example = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        Assert.InRange(example.Trim().Split('\n').Length, 5, 12);
        File.WriteAllText(folder["example.py"], example);
        var (code, text) = Python([folder["example.py"]]);
        Assert.True(code == 0, $"the README example failed:\n{text}");
        Assert.Matches(@"^\d+ episodes: \{'obj1': \d+", text);
    }

    [Fact]
    public void Pip_installs_the_package_with_its_library()
    {
        DebianPython.Require("pip");
        NativeBuild.Library.ToString(); // the library must be in python/misgen/lib before pip copies the package
        // pip builds inside the folder it installs from: a copy keeps the repository clean.
        string source = folder["python"];
        foreach (string file in new[] { "pyproject.toml", "README.md" }) CopyInto(Path.Combine(PythonFolder, file), source);
        foreach (string file in Directory.EnumerateFiles(Path.Combine(PythonFolder, "misgen"), "*", SearchOption.AllDirectories))
            if (!file.Contains("__pycache__", StringComparison.Ordinal)) CopyInto(file, Path.Combine(source, Path.GetRelativePath(PythonFolder, Path.GetDirectoryName(file)!)));
        string target = folder["site"];
        var (code, text) = Python(["-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index", "--quiet",
                                   "--target", target, source], withPackagePath: false);
        Assert.True(code == 0, $"pip install failed:\n{text}");
        Assert.True(File.Exists(Path.Combine(target, "misgen", "lib", "libmisgen.so")), "the installed package lacks lib/libmisgen.so");
        // From the installed copy alone: no PYTHONPATH to the source, no MISGEN_LIBRARY.
        (code, text) = Python(["-c", "import misgen; e = misgen.make_vec('maze:yellow-line', num_envs=2); print(misgen.__file__, e.reset()[0].shape)"],
                              withPackagePath: false, extraPath: target);
        Assert.True(code == 0, text);
        Assert.Contains(Path.Combine(target, "misgen", "__init__.py") + " (2, 64, 64, 3)", text);
    }

    private static void CopyInto(string file, string folder)
    {
        Directory.CreateDirectory(folder);
        File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
    }

    private (int Code, string Output) Python(string[] args, bool withPackagePath = true, string? extraPath = null)
    {
        DebianPython.Require("numpy");
        string library = NativeBuild.Library;
        var start = new ProcessStartInfo(DebianPython.Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = withPackagePath ? PythonFolder : folder.Path };
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("MISGEN_LIBRARY");
        if (withPackagePath)
        {
            start.Environment["PYTHONPATH"] = PythonFolder;
            start.Environment["MISGEN_LIBRARY"] = library;
        }
        if (extraPath != null) start.Environment["PYTHONPATH"] = extraPath;
        start.Environment["MISGEN_TEST_FOLDER"] = folder.Path;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output.WriteLine($"python3 {string.Join(' ', args)}: exit {process.ExitCode} in {clock.Elapsed.TotalSeconds:F1} s");
        return (process.ExitCode, text + errors.Result);
    }
}
