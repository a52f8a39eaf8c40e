using System.CommandLine;
using System.Globalization;
using Misgen.Eval;
using Misgen.Interp;
using Misgen.Studies;

namespace Misgen.Cli.Verbs;

internal static class EvalVerb
{
    public static Command Create()
    {
        var agents = new Argument<string[]>("agents")
        {
            Description = "Agent directories (with model.safetensors), or folders of them",
            Arity = ArgumentArity.OneOrMore,
        };
        var settings = new Option<string[]>("--setting")
        {
            Description = "A setting (env spec, e.g. maze:red-line+yellow-gem@textured); repeatable",
            AllowMultipleArgumentsPerToken = true,
        };
        var condition = new Option<string?>("--condition")
        {
            Description = "Evaluate every setting of this training condition (see misgen settings)",
        };
        var output = new Option<string>("--out") { Description = "The results database to add to", DefaultValueFactory = _ => "results.db" };
        var levels = new Option<int?>("--levels") { Description = "Levels per setting, one episode each (default: the study's, 1000)." }.Within(1, EvalProtocol.MaxLevels);
        var start = new Option<int?>("--start-level") { Description = "First level seed (default: the study's first evaluation level, 100000 for the procgen studies)." }.Within(0, int.MaxValue - 1);
        var batch = new Option<int>("--batch") { Description = "Levels played side by side (one forward pass per step)", DefaultValueFactory = _ => 256 }.Within(1, EvalProtocol.MaxBatch);
        var threads = new Option<int?>("--threads") { Description = "Threads (default: all cores)." }.Threads();
        var patchInputs = new InterpInputs();
        var variant = new Option<string?>("--variant") { Description = "Name of the patched or intervened agent (stored as AGENT+NAME; default: from the patches)" };
        var command = new Command("eval",
            "Evaluate agents on settings (the study's protocol: one episode per level, sampled actions) into results.db; reruns resume. " +
            "With --patch or --intervention each agent is evaluated as its own variant (AGENT+VARIANT), and the preference shifts against the agent are printed.")
        {
            agents, settings, condition, output, levels, start, batch, threads, patchInputs.Patches, patchInputs.Intervention, variant,
        };
        command.SetAction(parseResult =>
        {
            var chosen = new List<Setting>();
            if (parseResult.GetValue(condition) is { } c) chosen.AddRange(StudyCatalogue.Condition(c).Settings);
            foreach (string spec in parseResult.GetValue(settings) ?? []) chosen.Add(StudyCatalogue.Resolve(spec));
            if (chosen.Count == 0)
                throw new MisgenInputException("no settings: give --setting SPEC (repeatable) or --condition SPEC; 'misgen settings' lists them");
            chosen = chosen.DistinctBy(s => s.Spec).ToList();
            var directories = AgentDirectory.Find(parseResult.GetValue(agents)!);
            if (parseResult.GetValue(threads) is int threadCount) WorkerPool.ConfigureShared(threadCount);
            var studies = chosen.Select(s => StudyCatalogue.For(s.Env)).Distinct().ToList();
            if ((parseResult.GetValue(start) is null || parseResult.GetValue(levels) is null)
                && studies.Select(m => (m.EvalStartLevel, m.EvalLevels)).Distinct().Count() > 1)
                throw new MisgenInputException($"the settings belong to studies with different evaluation levels ({string.Join(", ", studies)}); give --start-level and --levels");
            var protocol = new EvalProtocol(parseResult.GetValue(start) ?? studies[0].EvalStartLevel, parseResult.GetValue(levels) ?? studies[0].EvalLevels,
                parseResult.GetValue(batch));

            // Every model is read (and verified) before results.db is opened: bad input leaves no new file behind.
            var loaded = directories.Select(AgentDirectory.Load).ToList();
            using var interruption = new Interruption("stopping after this batch of episodes");
            using var store = ResultsStore.Open(parseResult.GetValue(output)!);
            var evaluator = new Evaluator(store, protocol);
            var lastPrint = DateTime.UtcNow;
            evaluator.Progress = p =>
            {
                if ((DateTime.UtcNow - lastPrint).TotalSeconds < 2 && p.Done < p.Total) return;
                lastPrint = DateTime.UtcNow;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {p.Agent} on {p.Setting}: {p.Done}/{p.Total} episodes, {p.ForwardSamples / Math.Max(1e-3, p.Elapsed.TotalSeconds):F0} samples/s"));
            };
            Console.WriteLine($"evaluating {directories.Count} agent(s) on {chosen.Count} setting(s), {protocol.Levels} levels from {protocol.StartLevel}, into {store.Path}");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            long ran = 0, samples = 0;
            void Done(EvalResult result)
            {
                ran += result.Ran;
                samples += result.ForwardSamples;
                string note = result.AlreadyStored > 0 ? $" ({result.AlreadyStored} already stored)" : "";
                Console.WriteLine($"{result.Agent} on {result.Setting}: {result.Ran} episodes in {result.Elapsed.TotalSeconds:F1} s{note}");
            }
            var patches = patchInputs.PatchesOf(parseResult);
            var intervention = patchInputs.InterventionOf(parseResult);
            string? variantName = parseResult.GetValue(variant);
            if (variantName is not null && patches.Count == 0 && intervention is null)
                throw new MisgenInputException("--variant names a patched or intervened agent: give --patch or --intervention too");
            var variants = new HashSet<string>();
            if (patches.Count == 0 && intervention is null) evaluator.EvaluateAll(loaded, chosen, Done, cancel: interruption.Token);
            else
                // A patch is bound per setting: its #SEED levels and mean ablation refer to the setting's own spec.
                foreach (var setting in chosen)
                    foreach (var agent in loaded)
                    {
                        var patched = AgentVariant.Create(agent, setting.Env, patches, intervention, variantName);
                        variants.Add(patched.Record.Name);
                        Done(evaluator.Evaluate(patched, setting, interruption.Token));
                    }
            var evaluated = chosen.Select(s => s.Spec).ToHashSet();
            var shifts = VariantShifts.Compute(store.Metrics())
                .Where(v => variants.Contains(v.Agent + AgentVariant.Separator + v.Variant) && evaluated.Contains(v.Setting)).ToList();
            foreach (var shift in shifts)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{shift.Agent}+{shift.Variant} on {shift.Setting}: preference {shift.Changed.Preference:F3} against {shift.Base.Preference:F3} unpatched " +
                    $"(shift {shift.PreferenceShift:+0.000;-0.000;0.000}), success {shift.Changed.SuccessRate:P1} against {shift.Base.SuccessRate:P1}"));
            if (variants.Count > 0 && shifts.Count == 0)
                Console.WriteLine("(evaluate the unpatched agents on the same settings into the same results.db to see the preference shifts)");
            // A study's own measures of the settings just evaluated (e.g. the cheese maze's P(corner first | outside)).
            foreach (var module in StudyCatalogue.All.Where(m => chosen.Any(s => m.Covers(s.Env))))
                foreach (string line in module.SummaryLines(chosen.SelectMany(s => store.Episodes(s.Spec))))
                    Console.WriteLine(line);
            double seconds = Math.Max(1e-3, clock.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"done: {ran} new episodes in {seconds:F1} s ({ran / seconds:F0} episodes/s, {samples / seconds:F0} forward samples/s); {store.EpisodeCount()} in {store.Path}"));
            return Cli.Done;
        });
        return command;
    }
}
