using Misgen.Envs.Maze;
using System.Buffers.Binary;
using Misgen.Envs.Render;

namespace Misgen.Envs;

/// <summary>
/// N maze games stepped together with procgen's auto-reset: when an episode ends, <see cref="Infos"/> holds
/// it and the game starts its next level (from the <see cref="LevelSampler"/>) in the same step, so its
/// observation is the new level's first frame. Observations live in one buffer allocated once
/// (N x S x S x 3 bytes, HWC RGB, env i at offset i*S*S*3).
/// </summary>
/// <remarks>
/// A step is: the rules for every game, in index order on the calling thread (cheap; the finished games draw
/// their next level seeds in index order, so the sampler sequence never depends on threads); then drawing, in
/// parallel over fixed blocks of games (each block writes only its own games' frames). Results are therefore
/// identical for any thread count. Each game keeps its level frame (background, walls, objects) so a step
/// costs one frame copy plus the mouse. Step allocates nothing.
/// </remarks>
public sealed class VecEnv : IDisposable, IParallelWork
{
    private const int GamesPerPart = 8;

    private readonly MazeGame[] games;
    private readonly MazeRenderer renderer;
    private readonly LevelSampler levels;
    private readonly WorkerPool? pool;
    private readonly byte[] observations;
    private readonly byte[] levelFrames;      // per game: its level without the agent
    private readonly bool[] redrawLevel;
    private readonly float[] rewards;
    private readonly bool[] terminated, truncated;
    private readonly EpisodeInfo[] infos;
    private readonly int parts;

    /// <param name="pool">Threads to draw on (default <see cref="WorkerPool.Shared"/>).</param>
    public VecEnv(EnvSpec spec, int count, LevelSampler levels, int observationSize = 64, WorkerPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (count < 1 || count > 1 << 16) throw new MisgenInputException($"env count {count} is invalid; valid: 1..65536");
        Spec = spec;
        Count = count;
        this.levels = levels ?? throw new ArgumentNullException(nameof(levels));
        this.pool = pool;
        renderer = MazeRenderer.For(spec.WorldSize, observationSize);
        ObservationSize = observationSize;
        FrameBytes = renderer.FrameBytes;
        games = new MazeGame[count];
        for (int i = 0; i < count; i++) games[i] = new MazeGame(spec);
        observations = new byte[(long)count * FrameBytes <= Array.MaxLength ? count * FrameBytes : throw new MisgenInputException("observation buffer too large")];
        levelFrames = new byte[observations.Length];
        redrawLevel = new bool[count];
        rewards = new float[count];
        terminated = new bool[count];
        truncated = new bool[count];
        infos = new EpisodeInfo[count];
        parts = (count + GamesPerPart - 1) / GamesPerPart;
    }

    public int Count { get; }
    public int ObservationSize { get; }
    public EnvSpec Spec { get; }

    /// <summary>Bytes of one observation (S * S * 3).</summary>
    public int FrameBytes { get; }

    public Span<byte> Observations => observations;
    public ReadOnlySpan<float> Rewards => rewards;
    public ReadOnlySpan<bool> Terminated => terminated;
    public ReadOnlySpan<bool> Truncated => truncated;
    public ReadOnlySpan<EpisodeInfo> Infos => infos;

    /// <summary>The game of env <paramref name="index"/> (read it; stepping it directly desynchronises its frame).</summary>
    public MazeGame Game(int index) => games[index];

    /// <summary>Every env takes its next level from the sampler (in index order) and draws its first observation.</summary>
    public void Reset()
    {
        for (int i = 0; i < Count; i++)
        {
            games[i].Reset(levels.Next());
            redrawLevel[i] = true;
            rewards[i] = 0;
            terminated[i] = truncated[i] = false;
            infos[i] = default;
        }
        Draw();
    }

    public void Step(ReadOnlySpan<int> actions)
    {
        if (actions.Length != Count) throw new ArgumentException($"expected {Count} actions, got {actions.Length}", nameof(actions));
        foreach (int action in actions)
            if ((uint)action >= Actions.Count) throw new ArgumentOutOfRangeException(nameof(actions), action, $"actions are 0..{Actions.Count - 1}");
        for (int i = 0; i < Count; i++)
        {
            var game = games[i];
            if (game.LevelSeed < 0 || game.Level.Obj1Cell < 0) throw new InvalidOperationException("call Reset before Step");
            var result = game.Step(actions[i]);
            rewards[i] = result.Reward;
            terminated[i] = result.Terminated;
            truncated[i] = result.Truncated;
            if (result.Done)
            {
                infos[i] = game.Episode;
                game.Reset(levels.Next());
                redrawLevel[i] = true;
            }
            else infos[i] = default;
        }
        Draw();
    }

    private void Draw() => (pool ?? WorkerPool.Shared).Run(this, parts);

    void IParallelWork.Execute(int part)
    {
        int end = Math.Min(Count, (part + 1) * GamesPerPart);
        for (int i = part * GamesPerPart; i < end; i++)
        {
            var game = games[i];
            var levelFrame = levelFrames.AsSpan(i * FrameBytes, FrameBytes);
            if (redrawLevel[i])
            {
                renderer.DrawLevel(game.Level, game.Spec, levelFrame);
                redrawLevel[i] = false;
            }
            var frame = observations.AsSpan(i * FrameBytes, FrameBytes);
            levelFrame.CopyTo(frame);
            renderer.DrawAgent(frame, game.AgentX, game.AgentY, game.FacingRight);
        }
    }

    /// <summary>Every game's state plus the sampler's: a VecEnv of the same spec, count and sampler kind continues identically.</summary>
    public byte[] GetState()
    {
        var sampler = levels.GetState();
        var state = new byte[8 + sampler.Length + Count * MazeGame.StateSize];
        BinaryPrimitives.WriteInt32LittleEndian(state, Count);
        BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(4), sampler.Length);
        sampler.CopyTo(state.AsSpan(8));
        for (int i = 0; i < Count; i++)
            games[i].WriteState(state.AsSpan(8 + sampler.Length + i * MazeGame.StateSize, MazeGame.StateSize));
        return state;
    }

    public void SetState(ReadOnlySpan<byte> state)
    {
        if (state.Length < 8 || BinaryPrimitives.ReadInt32LittleEndian(state) != Count)
            throw new MisgenInputException($"env state is for a different number of envs (this VecEnv has {Count}) or is corrupt");
        int samplerBytes = BinaryPrimitives.ReadInt32LittleEndian(state[4..]);
        if (samplerBytes < 0 || state.Length != 8 + samplerBytes + Count * MazeGame.StateSize)
            throw new MisgenInputException("env state has the wrong length (corrupt, or saved with another version)");
        levels.SetState(state.Slice(8, samplerBytes));
        for (int i = 0; i < Count; i++)
        {
            games[i].ReadState(state.Slice(8 + samplerBytes + i * MazeGame.StateSize, MazeGame.StateSize));
            redrawLevel[i] = true;
            rewards[i] = 0;
            terminated[i] = truncated[i] = false;
            infos[i] = default;
        }
        Draw();
    }

    public void Dispose() { }
}
