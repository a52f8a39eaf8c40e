namespace Misgen.Sweeps;

/// <summary>
/// Stands in for training and evaluation (study `runner: synthetic`) so the sweep machinery - local and
/// Slurm executors, markers, retries, crash recovery - can be exercised in seconds, on a laptop or on a
/// new cluster. "Training" waits `synthetic.task_ms` and writes a deterministic fake agent; "evaluation"
/// reads that agent and writes one episode per level, deterministic in (agent bytes, setting, level).
/// Tasks named in `synthetic.fail` always fail.
/// </summary>
internal sealed class SyntheticRunner : ITaskRunner
{
    public IReadOnlyList<string> Run(TaskContext context, CancellationToken cancel)
    {
        var task = context.Task;
        if (context.Study.Synthetic.FailTasks.Contains(task.Id))
            throw new InvalidOperationException($"synthetic failure of {task.Id} (listed in synthetic.fail)");
        Work(context.Study.Synthetic.TaskMilliseconds, cancel);
        return task.Kind == TaskKind.Train ? Train(context) : Evaluate(context);
    }

    private static void Work(int milliseconds, CancellationToken cancel)
    {
        // Sleeps in small steps so a kill or cancel lands mid-task, as it would in real training.
        var until = DateTime.UtcNow.AddMilliseconds(milliseconds);
        while (DateTime.UtcNow < until)
        {
            cancel.ThrowIfCancellationRequested();
            Thread.Sleep(Math.Min(10, Math.Max(1, (int)(until - DateTime.UtcNow).TotalMilliseconds)));
        }
    }

    private static IReadOnlyList<string> Train(TaskContext context)
    {
        var c = context.Condition;
        var rng = Rng.ForStream((ulong)context.Task.Seed, $"synthetic-agent|{c.Env}|{c.Preset}|{context.Task.Fingerprint}");
        var weights = new byte[4096];
        for (int i = 0; i < weights.Length; i += 8) BitConverter.TryWriteBytes(weights.AsSpan(i), rng.NextUInt64());
        string model = Path.Combine(context.AgentDir, "model.bin");
        AtomicFile.WriteAllBytes(model, weights);
        context.Log.WriteLine($"synthetic agent {context.Task.Agent}: {weights.Length} bytes");
        return [model];
    }

    private static IReadOnlyList<string> Evaluate(TaskContext context)
    {
        string model = Path.Combine(context.AgentDir, "model.bin");
        if (!File.Exists(model)) throw new InvalidOperationException($"agent {model} does not exist; its train task has not run");
        byte[] weights = File.ReadAllBytes(model);
        ulong agentSeed = BitConverter.ToUInt64(System.Security.Cryptography.SHA256.HashData(weights), 0);
        var setting = context.Setting;
        var levels = context.Condition.EvalLevels;
        var rows = new List<TaskEpisode>(levels.Count);
        // Outcomes of the setting's game: mostly its first, some its second, one in ten its timeout.
        var env = Envs.EnvSpec.Parse(setting.Spec);
        var outcomes = env.Game.Outcomes;
        var timeout = outcomes.First(o => o.IsTimeout);
        var ends = outcomes.Where(o => !o.IsTimeout).ToList();
        for (int level = levels.Start; level < levels.Start + levels.Count; level++)
        {
            var rng = Rng.ForStream(agentSeed ^ (ulong)level, "synthetic-episode|" + setting.Spec);
            int roll = rng.NextInt(10);
            var outcome = roll >= 9 || ends.Count == 0 ? timeout : roll < 6 || ends.Count == 1 ? ends[0] : ends[1];
            int steps = outcome.IsTimeout ? env.Timeout : 1 + rng.NextInt(60);
            float ret = outcome.IsTimeout ? 0f : outcome == ends[0] ? 10f : -10f;
            var facts = env.Game.Facts.Count == 0 ? default : new Eval.FactValues(env.Game.Facts.Select(_ => (float)rng.NextInt(10)).ToArray());
            rows.Add(new TaskEpisode(context.Task.Agent, setting.Spec, level, outcome.Name, steps, ret, facts));
        }
        EpisodeFile.Write(context.EpisodesFile, rows);
        return [context.EpisodesFile];
    }
}
