using Misgen.Envs;
using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>One step of a traced episode: where the agent stood and what it saw, what it chose, what followed.</summary>
public sealed record TraceStep(int X, int Y, byte[] Observation, int Action, float[] GroupProbabilities, float Value, float Reward);

/// <summary>
/// One episode of a policy on one game, step by step, keeping each step's observation (for pictures and attribution):
/// the explorer's rollout on a level that may have been edited (<see cref="Rollouts"/> runs many seed levels).
/// Actions are the most probable one (greedy) or sampled from <see cref="Rng"/> (<see cref="Categorical.Sample"/>), so
/// the same policy, level and seed give the same episode.
/// </summary>
public sealed record EpisodeTrace(IReadOnlyList<TraceStep> Steps, int FinalX, int FinalY, byte[] FinalObservation, byte Outcome, float Return)
{
    /// <summary>Longest episode traced (each step keeps its observation).</summary>
    public const int MaxSteps = 1000;

    /// <summary>
    /// Plays <paramref name="game"/> from its current state until the episode ends or <paramref name="maxSteps"/> steps;
    /// <paramref name="sampling"/> null is greedy.
    /// </summary>
    public static EpisodeTrace Play(IPolicy policy, IGridAgentGame game, Rng? sampling, int maxSteps)
    {
        if (maxSteps < 1 || maxSteps > MaxSteps) throw new MisgenInputException($"{maxSteps} steps is invalid; valid: 1..{MaxSteps}");
        int size = policy.Config.InputSize, actions = policy.Config.Actions;
        var groups = game.Spec.Game.Actions.Groups;
        if (policy.MaxBatch < 1) policy.MaxBatch = 1;
        var logits = new float[actions];
        var value = new float[1];
        var steps = new List<TraceStep>();
        while (!game.IsDone && steps.Count < maxSteps)
        {
            var observation = Observations.Of(game, size);
            if (observation.Length != size * size * policy.Config.Channels)
                throw new MisgenInputException($"'{game.Spec}' renders {observation.Length} bytes per observation; the agent sees {size}x{size}x{policy.Config.Channels}");
            policy.Forward(observation, 1, logits, value);
            int action = sampling is null ? ArgMax(logits) : Categorical.Sample(logits, sampling);
            int x = game.AgentX, y = game.AgentY;
            var result = game.Step(action);
            steps.Add(new TraceStep(x, y, observation, action, GroupProbabilities.Of(logits, groups), value[0], result.Reward));
        }
        return new EpisodeTrace(steps, game.AgentX, game.AgentY, Observations.Of(game, size), game.Outcome, game.Return);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
