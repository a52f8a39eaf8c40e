using Misgen.Envs.Maze;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Misgen.Envs;
using Misgen.Nn;

namespace Misgen.Rl;

/// <summary>
/// PPO on a vector of envs of any game with an IMPALA-CNN, following CleanRL's ppo_procgen.py:
/// <see cref="Update"/> is one iteration of its loop - collect a rollout, compute GAE, then
/// several epochs of clipped-surrogate minibatch updates - and reads top to bottom.
///
/// The seed drives four independent streams: weight init ("weights", inside ImpalaCnn), action
/// sampling ("actions"), minibatch order ("minibatches") and the training level order ("levels").
/// All state lives in this object and round-trips through <see cref="SaveCheckpoint"/>, so a
/// resumed run continues bit for bit. <c>pool</c> picks the threads (default WorkerPool.Shared);
/// results do not depend on it.
///
/// An update stops part-way when it is cancelled (checked before every rollout step and every
/// minibatch) or when its loss or weights stop being finite; the state is then half-updated, so the
/// trainer refuses to checkpoint or continue until a checkpoint is loaded. Checkpoints are therefore
/// only ever taken between updates.
/// </summary>
public sealed class PpoTrainer : IDisposable
{
    private readonly PpoConfig config;
    private readonly VecEnv envs;
    private readonly ImpalaCnn model;
    private readonly PolicyRollout policy;
    private readonly Adam optimizer;
    private Rng minibatchRng;
    private readonly RewardNormalizer rewardNormalizer;
    private readonly Rollout rollout;

    // Preallocated per-step and per-minibatch buffers (the loop allocates nothing).
    private readonly bool[] nextStarts;
    private readonly float[] stepLogits, nextValues, logProbRow;
    private readonly bool[] stepDone;
    private readonly int[] batchOrder;
    private readonly byte[] mbObservations;
    private readonly int[] mbActions;
    private readonly float[] mbLogits, mbValues, mbOldLogProbs, mbOldValues, mbAdvantages, mbReturns, dLogits, dValues;

    // Set while an update runs; still set after one was abandoned (cancelled or diverged).
    private bool midUpdate;

    public PpoTrainer(EnvSpec spec, PpoConfig config, ulong seed, WorkerPool? pool = null)
    {
        config.Validate();
        this.config = config.Clone();
        Spec = spec;
        Seed = seed;
        int n = config.NumEnvs, actions = spec.Game.Actions.Count;
        successOutcome = spec.Game.Outcomes.FirstOrDefault(o => o.IsSuccess)?.Code ?? 0;

        ulong levelSeed = Rng.ForStream(seed, "levels").NextUInt64();
        var levels = config.NumLevels == 0
            ? LevelSampler.Uniform(levelSeed)
            : LevelSampler.Range(config.StartLevel, config.NumLevels, levelSeed);
        envs = new VecEnv(spec, n, levels, config.ObservationSize, pool);
        model = new ImpalaCnn(NetworkOf(config, spec), seed) { MaxBatch = Math.Max(n, config.MinibatchSize), ThreadPool = pool };
        policy = PolicyRollout.WithSharedStream(envs, model, Rng.ForStream(seed, "actions"));
        optimizer = new Adam(model.Parameters, config.LearningRate, eps: config.AdamEps);
        minibatchRng = Rng.ForStream(seed, "minibatches");
        rewardNormalizer = new RewardNormalizer(n, config.RewardNormGamma, config.RewardClip);

        int obsBytes = envs.FrameBytes;
        rollout = new Rollout(config.NumSteps, n, obsBytes);
        nextStarts = new bool[n];
        stepLogits = new float[n * actions];
        nextValues = new float[n];
        logProbRow = new float[actions];
        stepDone = new bool[n];
        batchOrder = new int[config.BatchSize];
        int mb = config.MinibatchSize;
        mbObservations = new byte[mb * obsBytes];
        mbActions = new int[mb];
        mbLogits = new float[mb * actions];
        dLogits = new float[mb * actions];
        mbValues = new float[mb];
        dValues = new float[mb];
        mbOldLogProbs = new float[mb];
        mbOldValues = new float[mb];
        mbAdvantages = new float[mb];
        mbReturns = new float[mb];

        policy.Reset();
        Array.Fill(nextStarts, true);
    }

    private readonly byte successOutcome;

    /// <summary>The network a recipe trains on a game: the recipe's sizes, the game's actions and observation channels.</summary>
    public static ImpalaConfig NetworkOf(PpoConfig c, EnvSpec spec) =>
        new(c.ObservationSize, c.Width1, c.Width2, c.Width3, spec.Game.Actions.Count, c.Hidden, spec.Game.ObservationChannels);

    public EnvSpec Spec { get; }
    public ulong Seed { get; }
    public PpoConfig Config => config;
    public ImpalaCnn Model => model;
    /// <summary>Updates completed so far.</summary>
    public int CompletedUpdates { get; private set; }
    public long Timesteps { get; private set; }
    public int NumUpdates => config.NumUpdates;
    public bool Finished => CompletedUpdates >= NumUpdates;

    /// <summary>
    /// One PPO iteration: rollout, GAE, optimisation. Returns its train.csv row. Throws
    /// OperationCanceledException when <paramref name="cancel"/> fires and <see cref="TrainingDivergedException"/>
    /// when the loss or the weights become non-finite; either leaves the trainer mid-update (see the class notes).
    /// </summary>
    public UpdateStats Update(CancellationToken cancel = default)
    {
        RequireConsistent("update");
        midUpdate = true;
        var clock = Stopwatch.StartNew();
        int update = CompletedUpdates + 1;
        int n = config.NumEnvs, actions = Spec.Game.Actions.Count;

        // Linear learning-rate decay towards zero (CleanRL: frac = 1 - (update - 1) / num_updates).
        float lr = config.AnnealLr ? config.LearningRate * (1f - (update - 1f) / NumUpdates) : config.LearningRate;
        optimizer.LearningRate = lr;

        // ---- rollout ----
        int episodes = 0, successes = 0, timeouts = 0;
        double returnSum = 0, lengthSum = 0, rewardSum = 0;
        for (int step = 0; step < config.NumSteps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            envs.Observations.CopyTo(rollout.ObservationsAt(step));
            nextStarts.CopyTo(rollout.Starts.AsSpan(step * n, n));

            policy.Act(); // every env plays (training levels never run out), so batch row i is env i
            for (int i = 0; i < n; i++)
            {
                int a = policy.Actions[i];
                Categorical.LogSoftmax(policy.Logits.Slice(i * actions, actions), logProbRow);
                rollout.Actions[step * n + i] = a;
                rollout.LogProbs[step * n + i] = logProbRow[a];
                rollout.Values[step * n + i] = policy.Values[i];
            }

            policy.Step();

            var rewards = rollout.Rewards.AsSpan(step * n, n);
            envs.Rewards.CopyTo(rewards);
            for (int i = 0; i < n; i++) rewardSum += rewards[i]; // raw, before normalisation
            for (int i = 0; i < n; i++)
            {
                // Procgen semantics: a timeout ends the episode like reaching the goal (no bootstrap).
                stepDone[i] = envs.Terminated[i] || envs.Truncated[i];
                if (!stepDone[i]) continue;
                var info = envs.Infos[i];
                episodes++;
                returnSum += info.Return;
                lengthSum += info.Steps;
                if (info.Outcome == successOutcome) successes++;
                if (Spec.Game.IsTimeout(info.Outcome)) timeouts++;
            }
            if (config.NormReward) rewardNormalizer.Normalize(rewards, stepDone);
            stepDone.CopyTo(nextStarts, 0);
        }
        Timesteps += (long)n * config.NumSteps;

        // ---- advantages: bootstrap from the value of the observation after the rollout ----
        model.Forward(envs.Observations, n, stepLogits, nextValues);
        Gae.Compute(rollout.Rewards, rollout.Values, rollout.Starts, nextValues, nextStarts,
            config.NumSteps, n, config.Gamma, config.GaeLambda, rollout.Advantages, rollout.Returns);

        // ---- optimise the policy and value network ----
        int mb = config.MinibatchSize;
        double pgSum = 0, vSum = 0, entSum = 0, klSum = 0, clipSum = 0;
        int minibatches = 0;
        for (int epoch = 0; epoch < config.UpdateEpochs; epoch++)
        {
            for (int k = 0; k < batchOrder.Length; k++) batchOrder[k] = k;
            minibatchRng.Shuffle(batchOrder.AsSpan());
            for (int start = 0; start < batchOrder.Length; start += mb)
            {
                cancel.ThrowIfCancellationRequested();
                var indices = batchOrder.AsSpan(start, mb);
                rollout.GatherObservations(indices, mbObservations);
                for (int j = 0; j < mb; j++)
                {
                    int s = indices[j];
                    mbActions[j] = rollout.Actions[s];
                    mbOldLogProbs[j] = rollout.LogProbs[s];
                    mbOldValues[j] = rollout.Values[s];
                    mbAdvantages[j] = rollout.Advantages[s];
                    mbReturns[j] = rollout.Returns[s];
                }

                model.ForwardTrain(mbObservations, mb, mbLogits, mbValues);
                var loss = PpoLoss.Compute(mbLogits, mbValues, mb, actions, mbActions, mbOldLogProbs, mbOldValues,
                    mbAdvantages, mbReturns, config, dLogits, dValues);
                if (!double.IsFinite(loss.Loss))
                    throw new TrainingDivergedException(update, $"the loss is {loss.Loss} (epoch {epoch + 1}, minibatch {start / mb + 1})");
                model.ZeroGrad();
                model.Backward(dLogits, dValues);
                GradClip.ClipGlobalNorm(model.Parameters, config.MaxGradNorm);
                optimizer.Step();

                pgSum += loss.PolicyLoss; vSum += loss.ValueLoss; entSum += loss.Entropy;
                klSum += loss.ApproxKl; clipSum += loss.ClipFraction;
                minibatches++;
            }
        }

        if (FirstNonFiniteWeight() is { } bad)
            throw new TrainingDivergedException(update, $"weight {bad} is not finite after the optimisation");

        CompletedUpdates = update;
        midUpdate = false;
        double seconds = clock.Elapsed.TotalSeconds;
        double perEpisode(double sum) => episodes > 0 ? sum / episodes : double.NaN;
        return new UpdateStats(update, NumUpdates, Timesteps, episodes, perEpisode(returnSum), perEpisode(lengthSum),
            perEpisode(successes), timeouts, pgSum / minibatches, vSum / minibatches, entSum / minibatches,
            klSum / minibatches, clipSum / minibatches, ExplainedVariance(rollout.Values, rollout.Returns), lr,
            n * config.NumSteps / seconds, seconds) { Continual = Spec.Config.IsContinual ? ContinualStatsOf(rewardSum) : null };
    }

    // A continual world never reports a finished episode, so its row says how the running games are doing.
    private ContinualStats ContinualStatsOf(double rewardSum)
    {
        Span<float> facts = stackalloc float[EpisodeFacts.Count];
        var means = new double[Spec.Game.Facts.Count];
        for (int i = 0; i < envs.Count; i++)
        {
            envs.Game(i).WriteFacts(facts);
            for (int f = 0; f < means.Length; f++) means[f] += facts[f] / (double)envs.Count;
        }
        return new ContinualStats(rewardSum / ((double)envs.Count * config.NumSteps), means);
    }

    private string? FirstNonFiniteWeight()
    {
        foreach (var p in model.Parameters)
        {
            ReadOnlySpan<float> values = p.Value;
            for (int i = 0; i < values.Length; i++)
                if (!float.IsFinite(values[i])) return $"{p.Name}[{i}] = {values[i]}";
        }
        return null;
    }

    private void RequireConsistent(string what)
    {
        if (midUpdate)
            throw new InvalidOperationException($"cannot {what}: update {CompletedUpdates + 1} was abandoned part-way; load a checkpoint first");
    }

    // 1 - Var(returns - values) / Var(returns): how much of the return the value head predicts.
    private static double ExplainedVariance(ReadOnlySpan<float> values, ReadOnlySpan<float> returns)
    {
        double mr = 0, md = 0;
        for (int i = 0; i < returns.Length; i++) { mr += returns[i]; md += returns[i] - values[i]; }
        mr /= returns.Length; md /= returns.Length;
        double vr = 0, vd = 0;
        for (int i = 0; i < returns.Length; i++)
        {
            vr += (returns[i] - mr) * (returns[i] - mr);
            double d = returns[i] - values[i] - md;
            vd += d * d;
        }
        return vr == 0 ? double.NaN : 1 - vd / vr;
    }

    // ---- checkpoints ----
    // Layout (docs/FILES.md, "Checkpoints"): the state below, then the SHA-256 of every byte before it.

    private const ulong Magic = 0x32_4B_43_4E_45_47_53_4D; // "MSGENCK2": with the SHA-256 trailer
    private const ulong LegacyMagic = 0x31_4B_43_4E_45_47_53_4D; // "MSGENCK1": no integrity hash
    private const ulong EndMagic = 0x44_4E_45_4B_43_4E_45_47; // "GENCKEND"
    private const int DigestBytes = 32;

    /// <summary>
    /// Everything needed to continue bit for bit: weights, Adam, RNGs, envs, normaliser, counters, followed by
    /// the SHA-256 of those bytes so a damaged file is recognised when it is read. Only between updates.
    /// </summary>
    public void SaveCheckpoint(Stream stream)
    {
        RequireConsistent("checkpoint");
        var body = new MemoryStream();
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(CompletedUpdates);
            w.Write(Timesteps);
            w.Write(model.Parameters.Count);
            foreach (var p in model.Parameters)
            {
                w.Write(p.Name);
                w.Write(p.Value.Length);
                w.Write(MemoryMarshal.AsBytes(p.Value));
            }
            WriteBlob(w, s => optimizer.Save(s));
            foreach (ulong x in policy.SharedStream!.GetState()) w.Write(x);
            foreach (ulong x in minibatchRng.GetState()) w.Write(x);
            WriteBlob(w, s => s.Write(envs.GetState()));
            WriteBlob(w, s => s.Write(envs.Observations));
            foreach (bool b in nextStarts) w.Write(b);
            rewardNormalizer.Save(w);
            w.Write(EndMagic);
        }
        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        stream.Write(bytes);
        stream.Write(SHA256.HashData(bytes));
    }

    /// <summary>
    /// Restores a checkpoint after checking its SHA-256. A damaged, truncated, foreign or pre-hash checkpoint
    /// throws InvalidDataException (or EndOfStreamException / MisgenInputException from a part's own checks);
    /// the caller then tries an older one, and the trainer must not be used until a load succeeds.
    /// </summary>
    public void LoadCheckpoint(Stream stream)
    {
        byte[] file = ReadAll(stream);
        if (file.Length >= 8 && BitConverter.ToUInt64(file, 0) == LegacyMagic)
            throw new InvalidDataException("it was written by an older Misgen, without an integrity hash, so it cannot be verified");
        if (file.Length < 8 + DigestBytes || BitConverter.ToUInt64(file, 0) != Magic)
            throw new InvalidDataException(file.Length < 8 ? $"it is truncated ({file.Length} bytes)" : "it is not a Misgen checkpoint");
        var body = file.AsSpan(0, file.Length - DigestBytes);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(file.AsSpan(file.Length - DigestBytes)))
            throw new InvalidDataException("its SHA-256 does not match the one recorded when it was written (damaged or truncated)");

        midUpdate = true; // until every part is in place
        using var r = new BinaryReader(new MemoryStream(file, 0, body.Length, writable: false), System.Text.Encoding.UTF8);
        r.ReadUInt64();
        int completed = r.ReadInt32();
        long timesteps = r.ReadInt64();
        int count = r.ReadInt32();
        if (count != model.Parameters.Count) throw new InvalidDataException("checkpoint is for a different network");
        foreach (var p in model.Parameters)
        {
            string name = r.ReadString();
            int length = r.ReadInt32();
            if (name != p.Name || length != p.Value.Length) throw new InvalidDataException($"checkpoint parameter {name} does not fit {p.Name}");
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(p.Value));
        }
        optimizer.Load(new MemoryStream(ReadBlob(r)));
        var actionState = ReadState(r);
        var minibatchState = ReadState(r);
        envs.SetState(ReadBlob(r));
        byte[] observations = ReadBlob(r);
        if (observations.Length != envs.Observations.Length) throw new InvalidDataException("checkpoint observations do not fit");
        observations.CopyTo(envs.Observations);
        for (int i = 0; i < nextStarts.Length; i++) nextStarts[i] = r.ReadBoolean();
        rewardNormalizer.Load(r);
        if (r.ReadUInt64() != EndMagic) throw new InvalidDataException("checkpoint is truncated");
        if (completed < 0 || completed > NumUpdates || timesteps < 0)
            throw new InvalidDataException($"checkpoint counters are impossible (update {completed} of {NumUpdates}, {timesteps} steps)");

        policy.SharedStream = Rng.FromState(actionState);
        minibatchRng = Rng.FromState(minibatchState);
        CompletedUpdates = completed;
        Timesteps = timesteps;
        midUpdate = false;
    }

    private static byte[] ReadAll(Stream stream)
    {
        if (stream.CanSeek && stream.Length - stream.Position > InputFile.MaxBytes)
            throw new InvalidDataException($"it is {stream.Length:N0} bytes, larger than any checkpoint");
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static ulong[] ReadState(BinaryReader r) => [r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64()];

    private static void WriteBlob(BinaryWriter w, Action<Stream> write)
    {
        var buffer = new MemoryStream();
        write(buffer);
        w.Write(buffer.Length);
        w.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static byte[] ReadBlob(BinaryReader r)
    {
        long length = r.ReadInt64();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position) throw new InvalidDataException("checkpoint blob length is corrupt");
        return r.ReadBytes((int)length);
    }

    public void Dispose() => envs.Dispose();
}
