using Misgen.Envs.Maze;
using System.Diagnostics;
using Misgen.Envs;
using Misgen.Nn;
using Misgen.Rl;

namespace Misgen.Eval;

/// <summary>An agent ready to evaluate: its record in results.db and its policy network.</summary>
public sealed record EvalAgent(AgentRecord Record, IPolicy Model);

/// <summary>Progress of one (agent, setting) evaluation.</summary>
public readonly record struct EvalProgress(string Agent, string Setting, int Done, int Total, long ForwardSamples, TimeSpan Elapsed);

/// <summary>What one (agent, setting) evaluation did: episodes run now, episodes found already stored.</summary>
public readonly record struct EvalResult(string Agent, string Setting, int Ran, int AlreadyStored, long ForwardSamples, TimeSpan Elapsed);

/// <summary>
/// Runs the study's evaluation protocol for agents on settings and stores every episode in
/// results.db. Up to <see cref="EvalProtocol.BatchSize"/> levels are played side by side through the
/// rollout core (<see cref="PolicyRollout"/>): each step feeds every running game through one forward pass
/// and samples each action from its own per-episode stream (<see cref="ActionSampling"/>). Levels already
/// in results.db are skipped, so an interrupted evaluation resumes where it stopped and a rerun adds nothing.
/// </summary>
public sealed class Evaluator
{
    private readonly ResultsStore store;
    private readonly EvalProtocol protocol;

    public Evaluator(ResultsStore store, EvalProtocol? protocol = null)
    {
        this.store = store;
        this.protocol = protocol ?? new EvalProtocol();
        this.protocol.Validate();
    }

    public EvalProtocol Protocol => protocol;

    /// <summary>Called every few hundred episodes and at the end of each (agent, setting).</summary>
    public Action<EvalProgress>? Progress { get; set; }

    public EvalResult Evaluate(EvalAgent agent, Setting setting, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        int agentId = store.AddAgent(agent.Record);
        int settingId = store.AddSetting(setting);
        var done = store.DoneLevelSeeds(agentId, settingId);
        var pending = new Queue<int>();
        for (int i = 0; i < protocol.Levels; i++)
        {
            int seed = protocol.StartLevel + i;
            if (!done.Contains(seed)) pending.Enqueue(seed);
        }
        int already = protocol.Levels - pending.Count;
        if (pending.Count == 0) return new EvalResult(agent.Record.Name, setting.Spec, 0, already, 0, clock.Elapsed);

        var model = agent.Model;
        int slots = Math.Min(protocol.BatchSize, pending.Count);
        var game = setting.Env.Game;
        using var envs = new VecEnv(setting.Env, slots, LevelSampler.Queue(pending), model.Config.InputSize);
        var rollout = PolicyRollout.WithEpisodeStreams(envs, model, level => ActionSampling.ForEpisode(agent.Record.Name, setting.Spec, level));
        var finished = new List<Episode>(protocol.StoreEvery);
        int stored = 0, lastReport = 0;

        void Store()
        {
            stored += store.AddEpisodes(agentId, settingId, finished.ToArray());
            finished.Clear();
        }

        rollout.Reset();
        try
        {
            while (envs.ActiveCount > 0)
            {
                cancel.ThrowIfCancellationRequested();
                rollout.Act();
                rollout.Step();
                var infos = envs.Infos;
                for (int i = 0; i < envs.Count; i++)
                    if (infos[i].IsEpisode) finished.Add(Episode.From(infos[i], game.Facts.Count));
                if (finished.Count >= protocol.StoreEvery) Store();
                int doneNow = stored + finished.Count;
                if (Progress is not null && doneNow - lastReport >= 100)
                {
                    lastReport = doneNow;
                    Progress(new EvalProgress(agent.Record.Name, setting.Spec, already + doneNow, protocol.Levels, rollout.ForwardSamples, clock.Elapsed));
                }
            }
        }
        finally
        {
            // Whatever finished is kept, also when interrupted: the rerun starts after it.
            if (finished.Count > 0) Store();
        }
        long samples = rollout.ForwardSamples;
        Progress?.Invoke(new EvalProgress(agent.Record.Name, setting.Spec, already + stored, protocol.Levels, samples, clock.Elapsed));
        return new EvalResult(agent.Record.Name, setting.Spec, stored, already, samples, clock.Elapsed);
    }

    /// <summary>
    /// Every agent on every setting, setting by setting (so the first settings are complete first).
    /// <paramref name="startSetting"/> may stop before a setting (a time budget); <paramref name="done"/> hears of
    /// each (agent, setting). Returns the number of settings started.
    /// </summary>
    public int EvaluateAll(IReadOnlyList<EvalAgent> agents, IReadOnlyList<Setting> settings, Action<EvalResult>? done = null,
                           Func<int, Setting, bool>? startSetting = null, CancellationToken cancel = default)
    {
        for (int k = 0; k < settings.Count; k++)
        {
            if (startSetting is not null && !startSetting(k, settings[k])) return k;
            foreach (var agent in agents)
            {
                var result = Evaluate(agent, settings[k], cancel);
                done?.Invoke(result);
            }
        }
        return settings.Count;
    }
}
