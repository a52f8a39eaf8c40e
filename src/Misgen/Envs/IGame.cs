namespace Misgen.Envs;

/// <summary>
/// One game's rules for one environment: reset to a level, step with an action, report how the episode
/// ended, and save and restore its state. No drawing, no buffers, no threads: <see cref="IGameRenderer"/>
/// draws a game and <see cref="VecEnv"/> runs many. The game's name, options, outcome names, facts and
/// action set live in its <see cref="GameDefinition"/> (the catalogue entry).
/// </summary>
/// <remarks>
/// Gymnasium's words: reaching a terminal state is termination, running out of time is truncation.
/// Outcome codes are the game's own (1, 2, 3 ... named by <see cref="GameDefinition.Outcomes"/>); 0 means
/// the episode is still running. A game must be deterministic given its level seed and the actions, and
/// must not allocate in <see cref="Step"/>.
/// </remarks>
public interface IGame
{
    /// <summary>The spec the game was made from.</summary>
    EnvSpec Spec { get; }

    /// <summary>The level being played (-1 before the first reset).</summary>
    int LevelSeed { get; }

    /// <summary>Steps taken in this episode.</summary>
    int Steps { get; }

    /// <summary>Undiscounted reward of this episode so far.</summary>
    float Return { get; }

    /// <summary>How the episode ended (a code of <see cref="GameDefinition.Outcomes"/>), or 0 while it runs.</summary>
    byte Outcome { get; }

    bool IsDone => Outcome != 0;

    /// <summary>
    /// Changes whenever what the static level layer shows changes (a new level, an object taken, a wall
    /// edited), so a renderer redraws the layer only then.
    /// </summary>
    int LevelVersion { get; }

    /// <summary>Starts the level of <paramref name="levelSeed"/>.</summary>
    void Reset(int levelSeed);

    /// <summary>One step; throws when the episode is over.</summary>
    StepResult Step(int action);

    /// <summary>The episode's facts, named by <see cref="GameDefinition.Facts"/>, into <paramref name="facts"/>.</summary>
    void WriteFacts(Span<float> facts);

    /// <summary>Bytes of <see cref="WriteState"/>.</summary>
    int StateSize { get; }

    /// <summary>Everything needed to continue bit-identically (the level is regenerated from its seed).</summary>
    void WriteState(Span<byte> state);

    /// <summary>Restores a <see cref="WriteState"/> of a game of the same spec; MisgenInputException when it does not fit.</summary>
    void ReadState(ReadOnlySpan<byte> state);

    /// <summary>The level as text and entities, for <c>misgen level</c>, tests and the golden checks.</summary>
    LevelDescription Describe();
}
