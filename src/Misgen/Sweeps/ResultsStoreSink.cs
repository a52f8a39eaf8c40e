using Misgen.Eval;
using Misgen.Studies;

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
        var setting = StudyCatalogue.Resolve(spec, condition.Env);
        int settingId = store.AddSetting(setting);
        var game = setting.Env.Game;
        var rows = episodes.Select(e => new Episode(e.LevelSeed, OutcomeOf(e.Outcome), e.Steps, e.Return, e.Facts)).ToArray();
        Added += store.AddEpisodes(agentId, settingId, rows);

        byte OutcomeOf(string name) => game.Outcomes.FirstOrDefault(o => o.Name == name)?.Code
            ?? throw MisgenInputException.Unknown($"episode outcome of the {game.Name} game", name, game.Outcomes.Select(o => o.Name));
    }
}
