using Misgen.Eval;
using Misgen.Studies;
using Misgen.Nn;

namespace Misgen.Sweeps;

/// <summary>
/// Eval task: evaluates agent COND/sNNNN on one setting over the condition's eval levels with the
/// study protocol (Misgen.Eval.Evaluator: one episode per level, actions sampled from streams seeded
/// by agent, setting and level, so a rerun gives the same episodes), then writes the task's episodes
/// file atomically. Episodes go first to the task's own partial results database, so a killed task
/// resumes by level instead of starting over; the partial database is removed once the file is written.
/// </summary>
internal sealed class EvalTaskRunner : ITaskRunner
{
    public IReadOnlyList<string> Run(TaskContext context, CancellationToken cancel)
    {
        var c = context.Condition;
        var task = context.Task;
        string model = Path.Combine(context.AgentDir, AgentDirectory.ModelFile);
        if (!File.Exists(model)) throw new InvalidOperationException($"agent {model} does not exist; its train task has not run");
        var agent = new EvalAgent(AgentRecordOf(context.Study, c, task, context.Layout), Safetensors.Load(model));
        var setting = StudyCatalogue.Resolve(context.Setting.Spec, c.Env);
        // The partial database is named by the task's fingerprint: episodes of an earlier agent or
        // protocol (an edited study) are never resumed into this one.
        string partial = $"{context.EpisodesFile}.{task.Fingerprint}.partial.db";
        string folder = Path.GetDirectoryName(partial)!;
        if (Directory.Exists(folder))
            foreach (string stale in Directory.GetFiles(folder, Path.GetFileName(context.EpisodesFile) + ".*.partial.db*"))
                if (!stale.StartsWith(partial, StringComparison.Ordinal)) File.Delete(stale);
        List<TaskEpisode> rows;
        using (var store = ResultsStore.Open(partial))
        {
            var evaluator = new Evaluator(store, new EvalProtocol(c.EvalLevels.Start, c.EvalLevels.Count));
            var result = evaluator.Evaluate(agent, setting, cancel);
            context.Log.WriteLine($"{task.Id}: {result.Ran} episodes run, {result.AlreadyStored} resumed, {result.Elapsed.TotalSeconds:F1} s");
            var game = setting.Env.Game;
            rows = store.Episodes()
                .Select(e => new TaskEpisode(task.Agent, setting.Spec, e.LevelSeed, game.OutcomeName(e.Outcome), e.Steps, e.Return, e.Facts))
                .ToList();
        }
        if (rows.Count != c.EvalLevels.Count)
            throw new InvalidOperationException($"{task.Id}: {rows.Count} episodes in {partial}, expected {c.EvalLevels.Count}");
        EpisodeFile.Write(context.EpisodesFile, rows);
        foreach (string suffix in new[] { "", "-journal", "-wal", "-shm" }) File.Delete(partial + suffix);
        return [context.EpisodesFile];
    }

    /// <summary>The agent as results.db knows it: named COND/sNNNN (unique across conditions), with its directory and recipe.</summary>
    public static AgentRecord AgentRecordOf(Study study, StudyCondition c, SweepTask task, StudyLayout layout)
    {
        string dir = layout.AgentDir(task.Condition, task.Seed);
        string csv = Path.Combine(dir, "train.csv");
        string model = Path.Combine(dir, AgentDirectory.ModelFile);
        return new AgentRecord(task.Agent, dir, c.Env, c.Preset, task.Seed, File.Exists(csv) ? csv : null,
            File.Exists(model) ? AgentDirectory.Sha256Of(model) : null);
    }
}
