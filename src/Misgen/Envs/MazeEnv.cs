using Misgen.Envs.Maze;
using Misgen.Envs.Render;

namespace Misgen.Envs;

/// <summary>
/// One maze game with Gymnasium's interface: <see cref="Reset"/> with a level seed returns the first
/// observation, <see cref="Step"/> returns reward, terminated (object reached), truncated (timeout) and
/// info, and updates <see cref="Observation"/> (S x S x 3 bytes, HWC RGB). No auto-reset here;
/// <see cref="VecEnv"/> runs many games with procgen's auto-reset.
/// </summary>
public sealed class MazeEnv
{
    private readonly MazeRenderer renderer;
    private readonly byte[] observation;

    public MazeEnv(EnvSpec spec, int observationSize = 64)
    {
        Game = new MazeGame(spec);
        renderer = MazeRenderer.For(spec.WorldSize, observationSize);
        observation = new byte[renderer.FrameBytes];
    }

    public MazeGame Game { get; }
    public EnvSpec Spec => Game.Spec;
    public int ObservationSize => renderer.Size;
    public ReadOnlySpan<byte> Observation => observation;

    public ReadOnlySpan<byte> Reset(int levelSeed)
    {
        Game.Reset(levelSeed);
        renderer.Draw(Game, observation);
        return observation;
    }

    public StepResult Step(int action)
    {
        var result = Game.Step(action);
        renderer.Draw(Game, observation);
        return result;
    }
}
