namespace Misgen.Rl;

/// <summary>
/// One rollout's storage, preallocated once: every array is [step * envs + env] (CleanRL's
/// (num_steps, num_envs) tensors flattened), observations as the env's HWC bytes.
/// </summary>
public sealed class Rollout
{
    public Rollout(int steps, int envs, int observationBytes)
    {
        Steps = steps;
        Envs = envs;
        ObservationBytes = observationBytes;
        int n = steps * envs;
        Observations = new byte[(long)n * observationBytes];
        Actions = new int[n];
        LogProbs = new float[n];
        Values = new float[n];
        Rewards = new float[n];
        Starts = new bool[n];
        Advantages = new float[n];
        Returns = new float[n];
    }

    public int Steps { get; }
    public int Envs { get; }
    public int ObservationBytes { get; }
    public int Count => Steps * Envs;

    public byte[] Observations { get; }
    public int[] Actions { get; }
    /// <summary>Log-probability of the taken action under the policy that took it.</summary>
    public float[] LogProbs { get; }
    public float[] Values { get; }
    /// <summary>Rewards after normalisation (what the objective sees).</summary>
    public float[] Rewards { get; }
    /// <summary>True where the observation is the first of an episode (CleanRL's `dones`).</summary>
    public bool[] Starts { get; }
    public float[] Advantages { get; }
    public float[] Returns { get; }

    public Span<byte> ObservationsAt(int step) =>
        Observations.AsSpan((int)((long)step * Envs * ObservationBytes), Envs * ObservationBytes);

    /// <summary>Copies the observations of the samples <paramref name="indices"/> into <paramref name="destination"/>.</summary>
    public void GatherObservations(ReadOnlySpan<int> indices, Span<byte> destination)
    {
        for (int j = 0; j < indices.Length; j++)
            Observations.AsSpan((int)((long)indices[j] * ObservationBytes), ObservationBytes)
                .CopyTo(destination.Slice(j * ObservationBytes, ObservationBytes));
    }
}
