using Misgen.Envs;
using Misgen.Studies;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Misgen.Sweeps;

/// <summary>
/// Reads a study YAML file through YamlDotNet's node model so that every error can name the line and
/// the field ("tiny.yaml:7: seeds: expected ..."). Top-level keys give defaults; each entry of
/// `conditions` may override them.
/// </summary>
internal static partial class StudyFile
{
    private static readonly string[] TopKeys =
        ["name", "out", "runner", "retries", "preset", "set", "seeds", "levels", "eval_levels", "settings", "conditions", "slurm", "synthetic"];
    private static readonly string[] ConditionKeys =
        ["name", "env", "preset", "set", "seeds", "levels", "eval_levels", "settings"];
    private static readonly string[] SlurmKeys =
        ["partition", "time", "cpus", "mem", "concurrency", "max_array_size", "account", "directives"];
    private static readonly string[] SyntheticKeys = ["task_ms", "fail"];
    private static readonly string[] LevelKeys = ["start", "count"];

    public static Study Load(string path)
    {
        string text = InputFile.ReadAllText(path, "study file", StudyLimits.MaxFileBytes);
        var reader = new Reader(path);
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new MisgenInputException($"{path}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) for some unterminated flow collections.
            throw new MisgenInputException($"{path}: not valid YAML (an unclosed [ or {{ ?)");
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new MisgenInputException($"{path}: a study file is a YAML mapping (name:, out:, conditions: ...)");
        CheckExpandedSize(root, path);
        return reader.Study(root, Path.GetFullPath(path));
    }

    /// <summary>
    /// YAML aliases make one node appear in many places (and billion-laughs files nest that); the node model
    /// shares them, but every consumer (the plan, a Slurm script) expands them. So the document is measured as if
    /// expanded, stopping as soon as it exceeds the limits, before any field is read.
    /// </summary>
    private static void CheckExpandedSize(YamlNode root, string path)
    {
        long chars = 0;
        int nodes = 0;
        var pending = new Stack<YamlNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (++nodes > StudyLimits.MaxExpandedNodes)
                throw new MisgenInputException($"{path}: the study expands (YAML aliases included) to more than {StudyLimits.MaxExpandedNodes:N0} values; " +
                                               "that is more than any study needs");
            switch (node)
            {
                case YamlScalarNode scalar:
                    chars += scalar.Value?.Length ?? 0;
                    if (chars > StudyLimits.MaxExpandedChars)
                        throw new MisgenInputException($"{path}:{node.Start.Line}: the study expands (YAML aliases included) to more than " +
                                                       $"{StudyLimits.MaxExpandedChars:N0} characters; that is more than any study needs");
                    break;
                case YamlSequenceNode sequence:
                    foreach (var child in sequence.Children) pending.Push(child);
                    break;
                case YamlMappingNode mapping:
                    foreach (var (key, value) in mapping.Children) { pending.Push(key); pending.Push(value); }
                    break;
            }
        }
    }

    private sealed class Reader(string file)
    {
        private MisgenInputException Error(YamlNode node, string field, string message) =>
            new($"{file}:{node.Start.Line}: {field}: {message}");

        public Study Study(YamlMappingNode root, string fullPath)
        {
            var top = Fields(root, "study", TopKeys);
            string name = top.TryGetValue("name", out var n) ? Name(n, "name") : DefaultName();
            string output = top.TryGetValue("out", out var o) ? Scalar(o, "out") : System.IO.Path.Combine("runs", name);
            runner = top.TryGetValue("runner", out var r) ? Choice(r, "runner", Misgen.Sweeps.Study.Runners) : "misgen";
            int retries = top.TryGetValue("retries", out var rt) ? Int(rt, "retries", 0, 100) : 2;

            var defaults = new Defaults(
                Preset: top.TryGetValue("preset", out var p) ? Name(p, "preset") : "fast",
                Overrides: top.TryGetValue("set", out var s) ? Overrides(s, "set") : [],
                Seeds: top.TryGetValue("seeds", out var sd) ? Seeds(sd, "seeds") : null,
                TrainLevels: top.TryGetValue("levels", out var l) ? Levels(l, "levels") : null,
                EvalLevels: top.TryGetValue("eval_levels", out var el) ? Levels(el, "eval_levels", StudyLimits.MaxEvalLevels) : null,
                Settings: top.TryGetValue("settings", out var st) ? st : null);

            if (!top.TryGetValue("conditions", out var condNode) || condNode is not YamlSequenceNode { Children.Count: > 0 } conds)
                throw Error(top.TryGetValue("conditions", out var c) ? c : root, "conditions",
                    "a study needs a list of training conditions (each with at least `env:`)");
            if (conds.Children.Count > StudyLimits.MaxConditions)
                throw Error(conds, "conditions", $"{conds.Children.Count} conditions; at most {StudyLimits.MaxConditions} are allowed");
            var conditions = new List<StudyCondition>();
            long tasks = 0;
            for (int i = 0; i < conds.Children.Count; i++)
            {
                var condition = Condition(conds.Children[i], $"conditions[{i}]", defaults);
                conditions.Add(condition);
                // Refused here, before the plan is expanded: one train task per seed, one eval task per seed and setting.
                tasks += (long)condition.Seeds.Count * (1 + condition.Settings.Count);
                if (tasks > StudyLimits.MaxTasks)
                    throw Error(conds.Children[i], $"conditions[{i}]",
                        $"the study has more than {StudyLimits.MaxTasks:N0} tasks (agents x (1 + settings), {tasks:N0} up to this condition); " +
                        "split it into several studies");
            }
            var dup = conditions.GroupBy(x => x.Name).FirstOrDefault(g => g.Count() > 1);
            if (dup != null)
                throw Error(conds, "conditions", $"two conditions are named '{dup.Key}'; give one a different `name:`");

            var slurm = top.TryGetValue("slurm", out var sl) ? Slurm(sl) : DefaultSlurm;
            var synthetic = top.TryGetValue("synthetic", out var sy) ? Synthetic(sy) : new SyntheticOptions(200, []);
            return new Study(fullPath, name, output, runner, retries, conditions, slurm, synthetic);
        }

        // A study without `name:` is named after its file, which must then be a valid name too (it reaches task
        // ids, folders and Slurm job names).
        private string DefaultName()
        {
            string fromFile = System.IO.Path.GetFileNameWithoutExtension(file);
            if (fromFile.Length == 0 || fromFile.Length > StudyLimits.MaxNameChars || !NameRegex().IsMatch(fromFile))
                throw new MisgenInputException($"{file}: name: the study has no `name:` and its file name '{Printable(fromFile)}' is not a name " +
                                               "(letters, digits, '.', '_', '-'); add a `name:`");
            return fromFile;
        }

        private sealed record Defaults(string Preset, IReadOnlyList<KeyValuePair<string, string>> Overrides, IReadOnlyList<int>? Seeds,
            LevelRange? TrainLevels, LevelRange? EvalLevels, YamlNode? Settings);

        private string runner = "misgen";

        private StudyCondition Condition(YamlNode node, string field, Defaults d)
        {
            var f = Fields(node, field, ConditionKeys);
            if (!f.TryGetValue("env", out var envNode)) throw Error(node, field, "missing `env:` (the training env spec, e.g. maze:yellow-line@textured)");
            string env = EnvSpecText(envNode, $"{field}.env");
            // Levels default to the protocol of the study that covers the game (training 0..99999, evaluation from 100000).
            var module = StudyCatalogue.For(env);
            string name = f.TryGetValue("name", out var n) ? Name(n, $"{field}.name") : ConditionName(env);
            var seeds = f.TryGetValue("seeds", out var s) ? Seeds(s, $"{field}.seeds") : d.Seeds
                ?? throw Error(node, field, "no seeds: give `seeds:` here or at the top of the study (a list like [0, 1, 2] or a range like 0..99)");
            var settings = f.TryGetValue("settings", out var st) ? Settings(st, $"{field}.settings", env)
                : d.Settings != null ? Settings(d.Settings, "settings", env) : [];
            var overrides = new List<KeyValuePair<string, string>>(d.Overrides);
            if (f.TryGetValue("set", out var o))
                foreach (var kv in Overrides(o, $"{field}.set"))
                {
                    overrides.RemoveAll(x => x.Key == kv.Key);
                    overrides.Add(kv);
                }
            overrides.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            var condition = new StudyCondition(name, env,
                f.TryGetValue("preset", out var p) ? Name(p, $"{field}.preset") : d.Preset,
                overrides, seeds,
                f.TryGetValue("levels", out var l) ? Levels(l, $"{field}.levels") : d.TrainLevels ?? new LevelRange(0, module.TrainLevels),
                settings,
                f.TryGetValue("eval_levels", out var el) ? Levels(el, $"{field}.eval_levels", StudyLimits.MaxEvalLevels) : d.EvalLevels ?? new LevelRange(module.EvalStartLevel, module.EvalLevels));
            if (runner == "misgen")
            {
                // The training recipe is checked now (preset name, `set:` keys and values), not hours later in a task.
                try
                {
                    TrainTaskRunner.Manifest(condition, seeds[0]);
                }
                catch (MisgenInputException e)
                {
                    var where = f.TryGetValue("set", out var sn) ? (sn, $"{field}.set") : f.TryGetValue("preset", out var pn) ? (pn, $"{field}.preset") : (node, field);
                    throw Error(where.Item1, where.Item2, $"{e.Message} (preset {condition.Preset}, set: {string.Join(", ", overrides.Select(o => o.Key + "=" + o.Value))})");
                }
            }
            return condition;
        }

        private static readonly SlurmResources DefaultSlurm = new(null, "04:00:00", 1, "4G", 100, 1000, null, []);

        private SlurmResources Slurm(YamlNode node)
        {
            var f = Fields(node, "slurm", SlurmKeys);
            string time = f.TryGetValue("time", out var t) ? Scalar(t, "slurm.time") : DefaultSlurm.Time;
            if (!TimeRegex().IsMatch(time))
                throw Error(f["time"], "slurm.time", $"'{time}' is not a Slurm time limit; use minutes, HH:MM:SS or D-HH:MM:SS");
            string mem = f.TryGetValue("mem", out var m) ? Scalar(m, "slurm.mem") : DefaultSlurm.Mem;
            if (!MemRegex().IsMatch(mem))
                throw Error(f["mem"], "slurm.mem", $"'{mem}' is not a Slurm memory size; use e.g. 4G, 500M");
            var directives = new List<string>();
            if (f.TryGetValue("directives", out var dn))
            {
                if (dn is not YamlSequenceNode seq) throw Error(dn, "slurm.directives", "expected a list of extra sbatch options, e.g. [\"--qos=short\"]");
                if (seq.Children.Count > StudyLimits.MaxDirectives)
                    throw Error(dn, "slurm.directives", $"{seq.Children.Count} directives; at most {StudyLimits.MaxDirectives} are allowed");
                for (int i = 0; i < seq.Children.Count; i++) directives.Add(Directive(seq.Children[i], $"slurm.directives[{i}]"));
            }
            return new SlurmResources(
                f.TryGetValue("partition", out var p) ? Name(p, "slurm.partition") : null,
                time,
                f.TryGetValue("cpus", out var c) ? Int(c, "slurm.cpus", 1, 1024) : DefaultSlurm.Cpus,
                mem,
                f.TryGetValue("concurrency", out var k) ? Int(k, "slurm.concurrency", 1, 1_000_000) : DefaultSlurm.Concurrency,
                f.TryGetValue("max_array_size", out var a) ? Int(a, "slurm.max_array_size", 1, 10_000_000) : DefaultSlurm.MaxArraySize,
                f.TryGetValue("account", out var acc) ? Name(acc, "slurm.account") : null,
                directives);
        }

        private SyntheticOptions Synthetic(YamlNode node)
        {
            var f = Fields(node, "synthetic", SyntheticKeys);
            var fail = new List<string>();
            if (f.TryGetValue("fail", out var fn))
            {
                if (fn is not YamlSequenceNode seq) throw Error(fn, "synthetic.fail", "expected a list of task ids");
                foreach (var item in seq) fail.Add(Scalar(item, "synthetic.fail"));
            }
            return new SyntheticOptions(f.TryGetValue("task_ms", out var t) ? Int(t, "synthetic.task_ms", 0, 3_600_000) : 200, fail);
        }

        // ---- field readers ----

        private Dictionary<string, YamlNode> Fields(YamlNode node, string field, string[] valid)
        {
            if (node is not YamlMappingNode map) throw Error(node, field, $"expected a mapping with keys {string.Join(", ", valid)}");
            var result = new Dictionary<string, YamlNode>();
            foreach (var (k, v) in map.Children)
            {
                string key = k is YamlScalarNode ks ? ks.Value ?? "" : "";
                string where = field == "study" ? key : $"{field}.{key}";
                if (!valid.Contains(key))
                    throw new MisgenInputException($"{file}:{k.Start.Line}: {where}: unknown field '{key}'; valid: {string.Join(", ", valid)}");
                if (!result.TryAdd(key, v)) throw Error(k, where, "given twice");
            }
            return result;
        }

        // Every value read from a study: bounded in length and free of control characters (a newline in a path or a
        // directive would start a new line of a Slurm script).
        private string Scalar(YamlNode node, string field, int maxChars = StudyLimits.MaxScalarChars)
        {
            if (node is not YamlScalarNode { Value: { } v } || v.Length == 0) throw Error(node, field, "expected a value");
            if (v.Length > maxChars) throw Error(node, field, $"a value of {v.Length:N0} characters; at most {maxChars:N0} are allowed");
            int control = v.AsSpan().IndexOfAnyInRange('\0', '\u001f');
            if (control < 0) control = v.AsSpan().IndexOfAny('\u007f', '\u0085', '\u2028');
            if (control < 0) control = v.IndexOf('\u2029');
            if (control >= 0)
                throw Error(node, field, $"'{Printable(v)}' contains the control character U+{(int)v[control]:X4} at position {control + 1}; values are one line of printable text");
            return v;
        }

        private string Name(YamlNode node, string field)
        {
            string v = Scalar(node, field, StudyLimits.MaxNameChars);
            if (!NameRegex().IsMatch(v)) throw Error(node, field, $"'{v}' is not a name (letters, digits, '.', '_', '-')");
            return v;
        }

        /// <summary>One extra `#SBATCH` line: an sbatch option (starting with '-') of printable ASCII.</summary>
        private string Directive(YamlNode node, string field)
        {
            string v = Scalar(node, field, StudyLimits.MaxDirectiveChars);
            if (!DirectiveRegex().IsMatch(v))
                throw Error(node, field, $"'{Printable(v)}' is not one sbatch option such as --qos=short (printable ASCII starting with '-')");
            return v;
        }

        private string Choice(YamlNode node, string field, IReadOnlyList<string> valid)
        {
            string v = Scalar(node, field);
            if (!valid.Contains(v)) throw new MisgenInputException($"{file}:{node.Start.Line}: {field}: unknown value '{v}'; valid: {string.Join(", ", valid)}");
            return v;
        }

        private int Int(YamlNode node, string field, int min, int max)
        {
            string v = Scalar(node, field);
            if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) || x < min || x > max)
                throw Error(node, field, $"'{v}' is not an integer in {min}..{max}");
            return x;
        }

        private LevelRange Levels(YamlNode node, string field, int maxCount = int.MaxValue)
        {
            var f = Fields(node, field, LevelKeys);
            if (!f.ContainsKey("start") || !f.ContainsKey("count")) throw Error(node, field, "expected {start: N, count: M}");
            int start = Int(f["start"], $"{field}.start", 0, int.MaxValue - 1);
            int count = Int(f["count"], $"{field}.count", 1, maxCount);
            if ((long)start + count > int.MaxValue) throw Error(node, field, "start + count exceeds 2^31-1");
            return new LevelRange(start, count);
        }

        /// <summary>Seeds: a list [0, 1, 5], a range "0..99" (inclusive), or {start: 0, count: 100}.</summary>
        private IReadOnlyList<int> Seeds(YamlNode node, string field)
        {
            // The count is checked before a single seed is expanded.
            const int max = StudyLimits.MaxSeedsPerCondition;
            string tooMany = $"at most {max:N0} seeds per condition are allowed; split the study";
            List<int> seeds;
            if (node is YamlSequenceNode seq)
            {
                if (seq.Children.Count > max) throw Error(node, field, $"{seq.Children.Count:N0} seeds; {tooMany}");
                seeds = seq.Children.Select(c => Int(c, field, 0, int.MaxValue)).ToList();
            }
            else if (node is YamlMappingNode)
            {
                var r = Levels(node, field);
                if (r.Count > max) throw Error(node, field, $"{r.Count:N0} seeds; {tooMany}");
                seeds = Enumerable.Range(r.Start, r.Count).ToList();
            }
            else
            {
                string v = Scalar(node, field);
                var m = RangeRegex().Match(v);
                if (!m.Success) throw Error(node, field, $"'{v}' is not a seed list or range; use [0, 1, 2], 0..99 or {{start: 0, count: 100}}");
                if (!int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out int a) || !int.TryParse(m.Groups[2].Value, CultureInfo.InvariantCulture, out int b))
                    throw Error(node, field, $"range '{v}' has a seed beyond {int.MaxValue}, the largest seed");
                if (b < a) throw Error(node, field, $"range '{v}' ends before it starts");
                if ((long)b - a + 1 > max) throw Error(node, field, $"range '{v}' has {(long)b - a + 1:N0} seeds; {tooMany}");
                seeds = Enumerable.Range(a, b - a + 1).ToList();
            }
            if (seeds.Count == 0) throw Error(node, field, "no seeds");
            var dup = seeds.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
            if (dup != null) throw Error(node, field, $"seed {dup.Key} is listed twice");
            return seeds;
        }

        private IReadOnlyList<KeyValuePair<string, string>> Overrides(YamlNode node, string field)
        {
            if (node is not YamlMappingNode map) throw Error(node, field, "expected a mapping of hyperparameter overrides, e.g. {total_steps: 200000}");
            var list = new List<KeyValuePair<string, string>>();
            foreach (var (k, v) in map.Children)
            {
                string key = Name(k, field);
                list.Add(new(key, Scalar(v, $"{field}.{key}")));
            }
            return list;
        }

        /// <summary>
        /// Settings: a list of duel env specs (maze:red-line+yellow-gem@textured), or `all` (every catalogued
        /// setting of the training env, resolved by <see cref="SettingResolver"/>), alone or in the list.
        /// </summary>
        private IReadOnlyList<StudySetting> Settings(YamlNode node, string field, string trainingEnv)
        {
            var items = node is YamlSequenceNode seq ? seq.Children.ToList() : [node];
            if (items.Count > StudyLimits.MaxSettingsPerCondition)
                throw Error(node, field, $"{items.Count:N0} settings; at most {StudyLimits.MaxSettingsPerCondition:N0} are allowed");
            var settings = new List<StudySetting>();
            foreach (var item in items)
            {
                string v = Scalar(item, field);
                if (v.Contains(':') || EnvSpec.TryParse(v) is not null) // games without a body (monster;timeout=200) have no ':'
                {
                    string spec = EnvSpecText(item, field);
                    settings.Add(new StudySetting(SettingName(spec), spec));
                }
                else
                {
                    var resolved = SettingResolver.Resolve(v, trainingEnv)
                        ?? throw Error(item, field, SettingResolver.Unresolved(v, trainingEnv));
                    settings.AddRange(resolved);
                }
            }
            var dup = settings.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
            if (dup != null) throw Error(node, field, $"setting '{dup.Key}' is listed twice");
            return settings;
        }

        private string EnvSpecText(YamlNode node, string field)
        {
            string v = Scalar(node, field);
            return SpecCheck.Canonical(v, out string? problem) ?? throw Error(node, field, problem!);
        }
    }

    /// <summary>maze:yellow-line@textured -> maze-yellow-line-textured (names of conditions in task ids).</summary>
    public static string ConditionName(string env) => Slug(env.Replace(':', '-').Replace('@', '-'));

    /// <summary>maze:red-line+yellow-gem@textured -> maze-red-line+yellow-gem@textured (file-safe).</summary>
    public static string SettingName(string spec) => Slug(spec.Replace(':', '-'));

    private static string Slug(string s) => SlugRegex().Replace(s.Replace(';', ','), "_");

    /// <summary>A value as it can be shown in a one-line message: control characters as \uXXXX, long values cut.</summary>
    internal static string Printable(string v, int maxChars = 80)
    {
        var sb = new System.Text.StringBuilder();
        foreach (char c in v.Length > maxChars ? v[..maxChars] : v)
            sb.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? $"\\u{(int)c:x4}" : c);
        return v.Length > maxChars ? sb + "..." : sb.ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")] private static partial Regex NameRegex();
    [GeneratedRegex(@"^\s*(\d+)\s*\.\.\s*(\d+)\s*$")] private static partial Regex RangeRegex();
    [GeneratedRegex(@"^(\d+|\d+:\d{2}(:\d{2})?|\d+-\d+(:\d{2}(:\d{2})?)?)$")] private static partial Regex TimeRegex();
    [GeneratedRegex(@"^\d+[KMGT]?$")] private static partial Regex MemRegex();
    [GeneratedRegex(@"[^A-Za-z0-9._+@=,-]")] private static partial Regex SlugRegex();
    [GeneratedRegex(@"^-[\x20-\x7e]*$")] private static partial Regex DirectiveRegex();
}
