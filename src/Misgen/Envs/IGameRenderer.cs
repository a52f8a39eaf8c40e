namespace Misgen.Envs;

/// <summary>
/// Draws one game's observations at one size, in two layers: the static level layer (background, walls,
/// objects that do not move) is drawn once per reset or <see cref="IGame.LevelVersion"/> change, then each
/// frame is that layer plus the dynamic entities (the agent, moving things). A renderer is immutable once
/// built and shared by threads; drawing allocates nothing.
/// </summary>
public interface IGameRenderer
{
    ObservationShape Shape { get; }

    /// <summary>Bytes of one observation (<see cref="Shape"/>.Bytes).</summary>
    int FrameBytes => Shape.Bytes;

    /// <summary>Bytes of the level layer a game keeps between frames (the frame size unless the view scrolls).</summary>
    int LayerBytes { get; }

    void DrawLevel(IGame game, Span<byte> layer);

    void DrawFrame(IGame game, ReadOnlySpan<byte> layer, Span<byte> frame);
}

/// <summary>Base for a renderer of one game type: the casts happen here, once per call.</summary>
public abstract class GameRenderer<TGame> : IGameRenderer where TGame : class, IGame
{
    public abstract ObservationShape Shape { get; }

    public virtual int LayerBytes => Shape.Bytes;

    public void DrawLevel(IGame game, Span<byte> layer) => DrawLevel((TGame)game, layer);

    public void DrawFrame(IGame game, ReadOnlySpan<byte> layer, Span<byte> frame) => DrawFrame((TGame)game, layer, frame);

    public abstract void DrawLevel(TGame game, Span<byte> layer);

    public abstract void DrawFrame(TGame game, ReadOnlySpan<byte> layer, Span<byte> frame);

    /// <summary>The whole observation of <paramref name="game"/> (level layer and entities) into <paramref name="frame"/>.</summary>
    public virtual void Draw(TGame game, Span<byte> frame)
    {
        var layer = LayerBytes <= 1 << 16 ? stackalloc byte[LayerBytes] : new byte[LayerBytes];
        DrawLevel(game, layer);
        DrawFrame(game, layer, frame);
    }
}
