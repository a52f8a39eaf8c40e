namespace Misgen.Envs;

/// <summary>
/// One game with Gymnasium's interface: <see cref="Reset"/> with a level seed returns the first observation,
/// <see cref="Step"/> returns reward, terminated and truncated and updates <see cref="Observation"/>. No
/// auto-reset here; <see cref="VecEnv"/> runs many games with procgen's auto-reset.
/// </summary>
public sealed class GameEnv
{
    private readonly IGameRenderer renderer;
    private readonly byte[] layer;
    private readonly byte[] observation;
    private int drawnVersion = -1;

    /// <param name="observationSize">Observation side in pixels; 0 for the game's default.</param>
    public GameEnv(EnvSpec spec, int observationSize = 0)
    {
        Game = spec.Game.CreateGame(spec);
        renderer = spec.Game.CreateRenderer(spec, observationSize == 0 ? spec.Game.DefaultObservationSize : observationSize);
        layer = new byte[renderer.LayerBytes];
        observation = new byte[renderer.FrameBytes];
    }

    /// <summary>An env around an existing game (e.g. one built from an edited grid).</summary>
    public GameEnv(IGame game, int observationSize = 0)
    {
        Game = game;
        var spec = game.Spec;
        renderer = spec.Game.CreateRenderer(spec, observationSize == 0 ? spec.Game.DefaultObservationSize : observationSize);
        layer = new byte[renderer.LayerBytes];
        observation = new byte[renderer.FrameBytes];
    }

    public IGame Game { get; }
    public EnvSpec Spec => Game.Spec;
    public ObservationShape Shape => renderer.Shape;
    public int ObservationSize => renderer.Shape.Size;
    public ReadOnlySpan<byte> Observation => observation;

    public ReadOnlySpan<byte> Reset(int levelSeed)
    {
        Game.Reset(levelSeed);
        return Redraw();
    }

    public StepResult Step(int action)
    {
        var result = Game.Step(action);
        Redraw();
        return result;
    }

    /// <summary>Draws the game's current state (after it was changed directly, e.g. the agent moved by an editor).</summary>
    public ReadOnlySpan<byte> Redraw()
    {
        if (drawnVersion != Game.LevelVersion)
        {
            renderer.DrawLevel(Game, layer);
            drawnVersion = Game.LevelVersion;
        }
        renderer.DrawFrame(Game, layer, observation);
        return observation;
    }
}
