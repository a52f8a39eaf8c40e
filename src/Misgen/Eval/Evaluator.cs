using Misgen.Envs.Maze;
using System.Diagnostics;
using Misgen.Envs;
using Misgen.Envs.Render;
using Misgen.Nn;

namespace Misgen.Eval;

/// <summary>An agent ready to evaluate: its record in results.db and its policy network.</summary>
public sealed record EvalAgent(AgentRecord Record, ImpalaCnn Model);

/// <summary>Progress of one (agent, setting) evaluation.</summary>
public readonly record struct EvalProgress(string Agent, string Setting, int Done, int Total, long ForwardSamples, TimeSpan Elapsed);

/// <summary>What one (agent, setting) evaluation did: episodes run now, episodes found already stored.</summary>
public readonly record struct EvalResult(string Agent, string Setting, int Ran, int AlreadyStored, long ForwardSamples, TimeSpan Elapsed);

/// <summary>
/// Runs the study's evaluation protocol for agents on settings and stores every episode in
/// results.db. Up to <see cref="EvalProtocol.BatchSize"/> levels are played side by side; each step
/// renders every running game, feeds all of them through one forward pass and samples each action
/// from its own per-episode stream (<see cref="ActionSampling"/>). Levels already in results.db are
/// skipped, so an interrupted evaluation resumes where it stopped and a rerun adds nothing.
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
        int size = model.Config.InputSize;
        var renderer = MazeRenderer.For(setting.Env.WorldSize, size);
        int frameBytes = renderer.FrameBytes, actions = model.Config.Actions;
        if (actions != Actions.Count) throw new MisgenInputException($"the agent has {actions} actions; the maze has {Actions.Count}");
        int slots = Math.Min(protocol.BatchSize, pending.Count);
        var games = new MazeGame[slots];
        var rngs = new Rng?[slots];
        var levelFrames = new byte[slots * frameBytes];
        var observations = new byte[slots * frameBytes];
        var logits = new float[slots * actions];
        var values = new float[slots];
        var running = new int[slots]; // slot indices with an episode in progress, in slot order
        var finished = new List<Episode>(protocol.StoreEvery);
        int total = pending.Count, stored = 0;
        long samples = 0;

        void Start(int slot)
        {
            int level = pending.Dequeue();
            games[slot].Reset(level);
            renderer.DrawLevel(games[slot].Level, setting.Env, levelFrames.AsSpan(slot * frameBytes, frameBytes));
            rngs[slot] = ActionSampling.ForEpisode(agent.Record.Name, setting.Spec, level);
        }

        void Store()
        {
            stored += store.AddEpisodes(agentId, settingId, finished.ToArray());
            finished.Clear();
        }

        for (int s = 0; s < slots; s++)
        {
            games[s] = new MazeGame(setting.Env);
            Start(s);
            running[s] = s;
        }
        int runningCount = slots, lastReport = 0;
        try
        {
            while (runningCount > 0)
            {
                cancel.ThrowIfCancellationRequested();
                // Gather the running games' observations contiguously: the batch shrinks at the tail.
                for (int r = 0; r < runningCount; r++)
                {
                    int slot = running[r];
                    var frame = observations.AsSpan(r * frameBytes, frameBytes);
                    levelFrames.AsSpan(slot * frameBytes, frameBytes).CopyTo(frame);
                    var game = games[slot];
                    renderer.DrawAgent(frame, game.AgentX, game.AgentY, game.FacingRight);
                }
                model.Forward(observations, runningCount, logits, values);
                samples += runningCount;
                int kept = 0;
                for (int r = 0; r < runningCount; r++)
                {
                    int slot = running[r];
                    var game = games[slot];
                    int action = Categorical.Sample(logits.AsSpan(r * actions, actions), rngs[slot]!);
                    var step = game.Step(action);
                    if (step.Done)
                    {
                        finished.Add(Episode.From(game.Episode));
                        if (pending.Count > 0) Start(slot);
                        else continue; // the slot retires
                    }
                    running[kept++] = slot;
                }
                runningCount = kept;
                if (finished.Count >= protocol.StoreEvery) Store();
                int doneNow = stored + finished.Count;
                if (Progress is not null && doneNow - lastReport >= 100)
                {
                    lastReport = doneNow;
                    Progress(new EvalProgress(agent.Record.Name, setting.Spec, already + doneNow, protocol.Levels, samples, clock.Elapsed));
                }
            }
        }
        finally
        {
            // Whatever finished is kept, also when interrupted: the rerun starts after it.
            if (finished.Count > 0) Store();
        }
        Progress?.Invoke(new EvalProgress(agent.Record.Name, setting.Spec, already + stored, protocol.Levels, samples, clock.Elapsed));
        return new EvalResult(agent.Record.Name, setting.Spec, stored, already, samples, clock.Elapsed);
    }
}
