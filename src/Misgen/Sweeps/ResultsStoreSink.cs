using Misgen.Envs.Maze;
using Misgen.Envs;
using Misgen.Eval;

namespace Misgen.Sweeps;

/// <summary>
/// `collect` into results.db (Misgen.Eval.ResultsStore): agents with their directories and recipes,
/// settings with their training condition, episodes keyed by (agent, setting, level seed); episodes
/// already stored are ignored, so collecting again adds nothing.
/// </summary>
public sealed class ResultsStoreSink(ResultsStore store, Study study, StudyLayout layout) : IResultsSink
{
    public int Added { get; private set; }

    public void AddEpisodes(SweepTask task, IReadOnlyList<TaskEpisode> episodes)
    {
        var condition = study.Conditions.First(c => c.Name == task.Condition);
        int agentId = store.AddAgent(EvalTaskRunner.AgentRecordOf(study, condition, task, layout));
        string spec = episodes.Count > 0 ? episodes[0].Setting : condition.Settings.First(s => s.Name == task.Setting).Spec;
        int settingId = store.AddSetting(SettingCatalogue.Resolve(spec, condition.Env));
        var rows = episodes.Select(e => new Episode(e.LevelSeed, OutcomeOf(e.Outcome), e.Steps, e.Return)).ToArray();
        Added += store.AddEpisodes(agentId, settingId, rows);
    }

    private static Outcome OutcomeOf(string name) => name switch
    {
        "obj1" => Outcome.Obj1,
        "obj2" => Outcome.Obj2,
        "timeout" => Outcome.Timeout,
        _ => throw new MisgenInputException($"unknown episode outcome '{name}'; valid: obj1, obj2, timeout"),
    };
}
