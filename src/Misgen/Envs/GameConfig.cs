namespace Misgen.Envs;

/// <summary>
/// A game's parsed spec: the typed settings its rules and renderer read. Each game derives its own
/// (the maze's objects and background, the cheese maze's region, ...); <see cref="EnvSpec"/> holds one.
/// </summary>
public abstract class GameConfig
{
    protected GameConfig(string body, SpecValues options)
    {
        Body = body;
        Options = options;
    }

    /// <summary>The canonical spec body after <c>game:</c> ("" when the game has none).</summary>
    public string Body { get; }

    public SpecValues Options { get; }

    /// <summary>Steps after which an episode is truncated.</summary>
    public abstract int Timeout { get; }

    /// <summary>
    /// A continual world: one episode per env that never ends (the tree world's default). Training then logs
    /// the reward per step and the running games' facts instead of finished episodes.
    /// </summary>
    public virtual bool IsContinual => false;
}
