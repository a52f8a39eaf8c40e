using System.Buffers.Binary;

namespace Misgen.Envs;

/// <summary>
/// N games of one spec stepped together with procgen's auto-reset: when an episode ends, <see cref="Infos"/>
/// holds it and the game starts its next level (from the <see cref="LevelSampler"/>) in the same step, so its
/// observation is the new level's first frame. Observations live in one buffer allocated once
/// (N x S x S x C bytes, HWC, env i at offset i * <see cref="FrameBytes"/>).
/// </summary>
/// <remarks>
/// A step is: the rules for every game, in index order on the calling thread (cheap; finished games draw
/// their next level seeds in index order, so the level sequence never depends on threads); then drawing, in
/// parallel over fixed blocks of games (each block writes only its own games' frames). Results are therefore
/// identical for any thread count. Each game keeps its level layer, redrawn only when the game's
/// <see cref="IGame.LevelVersion"/> changes, so a step costs one layer copy plus the dynamic entities.
/// With a finite sampler (<see cref="LevelSampler.Queue"/>) a game whose levels have run out goes idle: it
/// keeps the frame of its last episode's end and takes no more actions. Step allocates nothing.
/// </remarks>
public sealed class VecEnv : IDisposable, IParallelWork
{
    private const int GamesPerPart = 8;

    private readonly IGame[] games;
    private readonly IGameRenderer renderer;
    private readonly LevelSampler levels;
    private readonly WorkerPool? pool;
    private readonly byte[] observations;
    private readonly byte[] levelLayers;      // per game: its level without the dynamic entities
    private readonly int[] drawnVersion;      // per game: the LevelVersion its layer shows (-1: none)
    private readonly bool[] active;
    private readonly float[] rewards;
    private readonly bool[] terminated, truncated;
    private readonly EpisodeInfo[] infos;
    private readonly int parts, layerBytes;

    /// <param name="observationSize">Observation side in pixels; 0 for the game's default.</param>
    /// <param name="pool">Threads to draw on (default <see cref="WorkerPool.Shared"/>).</param>
    public VecEnv(EnvSpec spec, int count, LevelSampler levels, int observationSize = 0, WorkerPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (count < 1 || count > 1 << 16) throw new MisgenInputException($"env count {count} is invalid; valid: 1..65536");
        Spec = spec;
        Count = count;
        this.levels = levels ?? throw new ArgumentNullException(nameof(levels));
        this.pool = pool;
        renderer = spec.Game.CreateRenderer(spec, observationSize == 0 ? spec.Game.DefaultObservationSize : observationSize);
        Shape = renderer.Shape;
        FrameBytes = renderer.FrameBytes;
        layerBytes = renderer.LayerBytes;
        games = new IGame[count];
        for (int i = 0; i < count; i++) games[i] = spec.Game.CreateGame(spec);
        if ((long)count * FrameBytes > Array.MaxLength || (long)count * layerBytes > Array.MaxLength)
            throw new MisgenInputException($"{count} observations of {Shape} do not fit in memory; use fewer envs or a smaller observation");
        // Pinned (never moved by the GC): the C ABI lends these buffers to its caller (docs/C-ABI.md).
        observations = GC.AllocateArray<byte>(count * FrameBytes, pinned: true);
        levelLayers = new byte[count * layerBytes];
        drawnVersion = new int[count];
        active = new bool[count];
        rewards = GC.AllocateArray<float>(count, pinned: true);
        terminated = GC.AllocateArray<bool>(count, pinned: true);
        truncated = GC.AllocateArray<bool>(count, pinned: true);
        infos = new EpisodeInfo[count];
        parts = (count + GamesPerPart - 1) / GamesPerPart;
    }

    public int Count { get; }
    public EnvSpec Spec { get; }
    public ObservationShape Shape { get; }

    /// <summary>Observation side in pixels.</summary>
    public int ObservationSize => Shape.Size;

    /// <summary>Bytes of one observation.</summary>
    public int FrameBytes { get; }

    public Span<byte> Observations => observations;
    public ReadOnlySpan<float> Rewards => rewards;
    public ReadOnlySpan<bool> Terminated => terminated;
    public ReadOnlySpan<bool> Truncated => truncated;
    public ReadOnlySpan<EpisodeInfo> Infos => infos;

    /// <summary>Which games are playing (all, unless a finite sampler ran out of levels).</summary>
    public ReadOnlySpan<bool> Active => active;

    /// <summary>Games still playing.</summary>
    public int ActiveCount { get; private set; }

    /// <summary>The game of env <paramref name="index"/> (read it; stepping it directly desynchronises its frame).</summary>
    public IGame Game(int index) => games[index];

    /// <summary>Every env takes its next level from the sampler (in index order) and draws its first observation.</summary>
    public void Reset()
    {
        ActiveCount = 0;
        for (int i = 0; i < Count; i++)
        {
            active[i] = levels.TryNext(out int level);
            if (active[i])
            {
                games[i].Reset(level);
                ActiveCount++;
            }
            drawnVersion[i] = -1;
            rewards[i] = 0;
            terminated[i] = truncated[i] = false;
            infos[i] = default;
        }
        Draw();
    }

    /// <summary>One step of every active game; actions of idle games are ignored.</summary>
    public void Step(ReadOnlySpan<int> actions)
    {
        if (actions.Length != Count) throw new ArgumentException($"expected {Count} actions, got {actions.Length}", nameof(actions));
        int actionCount = Spec.Game.Actions.Count;
        for (int i = 0; i < Count; i++)
            if (active[i] && (uint)actions[i] >= actionCount)
                throw new ArgumentOutOfRangeException(nameof(actions), actions[i], $"actions are 0..{actionCount - 1}");
        for (int i = 0; i < Count; i++)
        {
            if (!active[i])
            {
                rewards[i] = 0;
                terminated[i] = truncated[i] = false;
                infos[i] = default;
                continue;
            }
            var game = games[i];
            if (game.LevelSeed < 0) throw new InvalidOperationException("call Reset before Step");
            var result = game.Step(actions[i]);
            rewards[i] = result.Reward;
            terminated[i] = result.Terminated;
            truncated[i] = result.Truncated;
            if (result.Done)
            {
                infos[i] = EpisodeInfo.Of(game);
                if (levels.TryNext(out int level)) game.Reset(level);
                else
                {
                    active[i] = false; // drawn once more below: the frame of the episode's end
                    ActiveCount--;
                }
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
            // Idle games keep their last frame; the one that just went idle draws its episode's end.
            if (!active[i] && !infos[i].IsEpisode) continue;
            var game = games[i];
            if (game.LevelSeed < 0) continue;
            var layer = levelLayers.AsSpan(i * layerBytes, layerBytes);
            if (drawnVersion[i] != game.LevelVersion)
            {
                renderer.DrawLevel(game, layer);
                drawnVersion[i] = game.LevelVersion;
            }
            renderer.DrawFrame(game, layer, observations.AsSpan(i * FrameBytes, FrameBytes));
        }
    }

    /// <summary>Every game's state plus the sampler's: a VecEnv of the same spec, count and sampler kind continues identically.</summary>
    public byte[] GetState()
    {
        var sampler = levels.GetState();
        int gameBytes = games[0].StateSize;
        var state = new byte[8 + sampler.Length + Count * gameBytes];
        BinaryPrimitives.WriteInt32LittleEndian(state, Count);
        BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(4), sampler.Length);
        sampler.CopyTo(state.AsSpan(8));
        for (int i = 0; i < Count; i++)
            games[i].WriteState(state.AsSpan(8 + sampler.Length + i * gameBytes, gameBytes));
        return state;
    }

    public void SetState(ReadOnlySpan<byte> state)
    {
        if (state.Length < 8 || BinaryPrimitives.ReadInt32LittleEndian(state) != Count)
            throw new MisgenInputException($"env state is for a different number of envs (this VecEnv has {Count}) or is corrupt");
        int samplerBytes = BinaryPrimitives.ReadInt32LittleEndian(state[4..]);
        int gameBytes = games[0].StateSize;
        if (samplerBytes < 0 || state.Length != 8 + samplerBytes + (long)Count * gameBytes)
            throw new MisgenInputException("env state has the wrong length (corrupt, or saved with another version)");
        levels.SetState(state.Slice(8, samplerBytes));
        ActiveCount = Count;
        for (int i = 0; i < Count; i++)
        {
            games[i].ReadState(state.Slice(8 + samplerBytes + i * gameBytes, gameBytes));
            active[i] = true;
            drawnVersion[i] = -1;
            rewards[i] = 0;
            terminated[i] = truncated[i] = false;
            infos[i] = default;
        }
        Draw();
    }

    public void Dispose() { }
}
