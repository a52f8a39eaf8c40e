using Misgen.Envs;
using Misgen.Nn;

namespace Misgen.Rl;

/// <summary>
/// The one loop that runs a policy in a <see cref="VecEnv"/>: a forward pass over the observations of every
/// playing game, an action sampled for each, a step. Training, held-out checks, evaluation and videos all use
/// it, so an agent behaves the same wherever it runs.
/// </summary>
/// <remarks>
/// Two ways to sample actions, both deterministic:
/// - one shared stream, drawn for the games in index order every step (training and held-out checks: the
///   recipe's "actions" stream);
/// - one stream per episode, made from the episode's level seed when it starts (evaluation and videos: an
///   episode's actions then depend only on the agent, the setting and the level, never on which other games
///   share the batch, on the batch size or on an interruption).
/// When some games have gone idle (a finite level queue ran out), only the playing games' observations are
/// gathered into the batch. <see cref="Act"/> and <see cref="Step"/> allocate nothing; a per-episode stream
/// is one small object per episode.
/// </remarks>
public sealed class PolicyRollout
{
    private readonly VecEnv envs;
    private readonly IPolicy policy;
    private Rng? shared;
    private readonly Func<int, Rng>? streamForLevel;
    private readonly Rng?[] streams;
    private readonly float[] logits, values;
    private readonly int[] actions, batchIndex;
    private readonly byte[] gathered;
    private readonly int actionCount;

    private PolicyRollout(VecEnv envs, IPolicy policy, Rng? shared, Func<int, Rng>? streamForLevel)
    {
        this.envs = envs;
        this.policy = policy;
        this.shared = shared;
        this.streamForLevel = streamForLevel;
        actionCount = envs.Spec.Game.Actions.Count;
        var config = policy.Config;
        if (config.Actions != actionCount)
            throw new MisgenInputException($"the agent has {config.Actions} actions; the {envs.Spec.Game.Name} game has {actionCount}");
        if (config.InputSize != envs.Shape.Size || config.Channels != envs.Shape.Channels)
            throw new MisgenInputException(
                $"the agent sees {config.InputSize}x{config.InputSize}x{config.Channels} observations; '{envs.Spec}' renders {envs.Shape} here");
        int n = envs.Count;
        streams = new Rng?[n];
        logits = new float[n * actionCount];
        values = new float[n];
        actions = new int[n];
        batchIndex = new int[n];
        gathered = new byte[envs.Observations.Length];
        if (policy.MaxBatch < n) policy.MaxBatch = n;
    }

    /// <summary>Actions from one stream, drawn for the games in index order every step.</summary>
    public static PolicyRollout WithSharedStream(VecEnv envs, IPolicy policy, Rng stream) => new(envs, policy, stream, null);

    /// <summary>Actions from one stream per episode, made from its level seed when the episode starts.</summary>
    public static PolicyRollout WithEpisodeStreams(VecEnv envs, IPolicy policy, Func<int, Rng> streamForLevel) =>
        new(envs, policy, null, streamForLevel);

    public VecEnv Envs => envs;

    /// <summary>The shared stream (null with per-episode streams); replaced when a checkpoint is loaded.</summary>
    public Rng? SharedStream
    {
        get => shared;
        set => shared = streamForLevel is null ? value : throw new InvalidOperationException("this rollout samples per episode");
    }

    /// <summary>Logits of the last <see cref="Act"/>, one row per game in batch order (see <see cref="BatchIndex"/>).</summary>
    public ReadOnlySpan<float> Logits => logits;

    /// <summary>Values of the last <see cref="Act"/>, in batch order.</summary>
    public ReadOnlySpan<float> Values => values;

    /// <summary>The action chosen for each game (by game index; idle games keep 0).</summary>
    public ReadOnlySpan<int> Actions => actions;

    /// <summary>Games in the last batch: <see cref="BatchIndex"/>[r] is the game whose row r is.</summary>
    public int BatchSize { get; private set; }

    public ReadOnlySpan<int> BatchIndex => batchIndex.AsSpan(0, BatchSize);

    /// <summary>Observations fed to the policy so far.</summary>
    public long ForwardSamples { get; private set; }

    /// <summary>Resets every game (next levels from the sampler) and starts their episodes' streams.</summary>
    public void Reset()
    {
        envs.Reset();
        StartStreams(all: true);
    }

    /// <summary>Continues from games whose state was restored elsewhere (a checkpoint): nothing is reset.</summary>
    public void Resume() => StartStreams(all: true);

    /// <summary>Runs the policy on every playing game and samples its action.</summary>
    public void Act()
    {
        int n = envs.Count, batch = 0;
        var active = envs.Active;
        ReadOnlySpan<byte> observations = envs.Observations;
        if (envs.ActiveCount == n)
        {
            for (int i = 0; i < n; i++) batchIndex[i] = i;
            batch = n;
        }
        else
        {
            int frame = envs.FrameBytes;
            for (int i = 0; i < n; i++)
            {
                if (!active[i]) continue;
                observations.Slice(i * frame, frame).CopyTo(gathered.AsSpan(batch * frame, frame));
                batchIndex[batch++] = i;
            }
            observations = gathered;
        }
        BatchSize = batch;
        if (batch == 0) return;
        policy.Forward(observations, batch, logits, values);
        ForwardSamples += batch;
        for (int r = 0; r < batch; r++)
        {
            int i = batchIndex[r];
            actions[i] = Categorical.Sample(logits.AsSpan(r * actionCount, actionCount), shared ?? streams[i]!);
        }
    }

    /// <summary>Steps every playing game with its action; finished games start their next episode (and stream).</summary>
    public void Step()
    {
        envs.Step(actions);
        StartStreams(all: false);
    }

    private void StartStreams(bool all)
    {
        if (streamForLevel is null) return;
        var infos = envs.Infos;
        var active = envs.Active;
        for (int i = 0; i < envs.Count; i++)
            if (active[i] && (all || infos[i].IsEpisode))
                streams[i] = streamForLevel(envs.Game(i).LevelSeed);
    }
}
