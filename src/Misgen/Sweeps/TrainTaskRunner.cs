using Misgen.Envs;
using Misgen.Rl;

namespace Misgen.Sweeps;

/// <summary>
/// Train task: trains agent COND/sNNNN with the condition's env, preset, training levels and `set:`
/// overrides into agents/COND/sNNNN (Misgen.Rl.AgentTraining: agent.yaml, model.safetensors,
/// checkpoints/, train.csv). A rerun after a kill continues from the last checkpoint and ends
/// bit-identical to an uninterrupted run; a directory left by a different recipe (an edited study)
/// is started over, since the sweep owns it.
/// </summary>
internal sealed class TrainTaskRunner : ITaskRunner
{
    /// <summary>The agent's recipe as the study defines it (validated: unknown keys or values throw MisgenInputException).</summary>
    public static AgentManifest Manifest(StudyCondition c, int seed)
    {
        return Recipe.Manifest(EnvSpec.Parse(c.Env), c.Preset, (ulong)seed, c.Overrides.Select(o => $"{o.Key}={o.Value}"),
            (c.TrainLevels.Start, c.TrainLevels.Count));
    }

    public IReadOnlyList<string> Run(TaskContext context, CancellationToken cancel)
    {
        var manifest = Manifest(context.Condition, context.Task.Seed);
        string dir = context.AgentDir;
        bool otherRecipe = false;
        if (File.Exists(Path.Combine(dir, AgentManifest.FileName)))
        {
            try
            {
                otherRecipe = AgentManifest.Read(dir).RecipeDifferences(manifest).Count > 0;
                if (otherRecipe) context.Log.WriteLine($"{dir} holds a different recipe (the study changed): starting over");
            }
            catch (MisgenInputException e)
            {
                // The sweep owns the folder: an unreadable or invalid agent.yaml is replaced, not trusted.
                otherRecipe = true;
                context.Log.WriteLine($"{e.Message}: starting over");
            }
        }
        // Damaged outputs of a finished run: AgentTraining would report "already trained" and keep them,
        // so train again from scratch (bit-identical, the seed determines everything).
        if (context.Redo) context.Log.WriteLine($"{dir}: outputs of the finished run are damaged: training again from the start");
        var lastLog = DateTime.MinValue;
        var result = AgentTraining.Run(dir, manifest, new TrainOptions
        {
            Force = otherRecipe || context.Redo,
            Cancellation = cancel,
            Log = context.Log.WriteLine,
            Progress = stats =>
            {
                if (DateTime.UtcNow - lastLog < TimeSpan.FromSeconds(30)) return;
                lastLog = DateTime.UtcNow;
                context.Log.WriteLine(stats.ToCsv());
            },
        });
        if (!result.Finished) throw new InvalidOperationException($"training of {context.Task.Agent} stopped before the end");
        return [Path.Combine(dir, AgentManifest.FileName), Path.Combine(dir, AgentTraining.ModelFile), Path.Combine(dir, AgentTraining.CsvFile)];
    }
}
