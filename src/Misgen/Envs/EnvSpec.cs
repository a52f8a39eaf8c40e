namespace Misgen.Envs;

/// <summary>
/// What game to play, spelled as users write it: <c>GAME[:BODY][;key=value...]</c>, e.g.
/// <c>maze:yellow-line@textured</c> or <c>maze:red-line+yellow-gem@black;size=5;timeout=500</c>. The game
/// (a <see cref="GameCatalogue"/> entry) reads its own body and options into a <see cref="GameConfig"/>.
/// <see cref="ToString"/> prints the canonical form (options only when not default, in the game's order),
/// and <see cref="Parse"/> of it gives back an equal spec.
/// </summary>
public sealed class EnvSpec : IEquatable<EnvSpec>
{
    private readonly string canonical;

    private EnvSpec(GameDefinition game, GameConfig config)
    {
        Game = game;
        Config = config;
        canonical = game.Name + (config.Body.Length > 0 ? ":" + config.Body : "") + config.Options.Canonical();
    }

    public GameDefinition Game { get; }

    public GameConfig Config { get; }

    /// <summary>Steps after which an episode is truncated.</summary>
    public int Timeout => Config.Timeout;

    /// <summary>The game's own config type; an error naming the game when the spec is of another game.</summary>
    public T ConfigAs<T>() where T : GameConfig =>
        Config as T ?? throw new MisgenInputException($"'{this}' is a {Game.Name} spec; this needs a different game");

    public static EnvSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string spec = text.Trim();
        string[] parts = spec.Split(';');
        string head = parts[0];
        int colon = head.IndexOf(':');
        string name = (colon < 0 ? head : head[..colon]).Trim().ToLowerInvariant();
        var game = GameCatalogue.Find(name)
            ?? throw new MisgenInputException(
                $"unknown game '{(colon < 0 ? head : head[..colon]).Trim()}' in env spec '{text}'; valid: {string.Join(", ", GameCatalogue.All.Select(g => g.Name))} " +
                $"(write GAME[:BODY][;key=value...], e.g. {string.Join(" or ", GameCatalogue.All.Select(g => g.Examples[0]))}; `misgen envs` lists them)");
        string body = colon < 0 ? "" : head[(colon + 1)..];
        var options = SpecValues.Parse(game.Name, game.Options, parts.Skip(1));
        return new EnvSpec(game, game.Parse(body, options));
    }

    /// <summary>Parses when <paramref name="text"/> is a valid spec; null otherwise.</summary>
    public static EnvSpec? TryParse(string text)
    {
        try { return Parse(text); }
        catch (MisgenInputException) { return null; }
    }

    public override string ToString() => canonical;

    public bool Equals(EnvSpec? other) => other is not null && canonical == other.canonical;
    public override bool Equals(object? obj) => Equals(obj as EnvSpec);
    public override int GetHashCode() => canonical.GetHashCode(StringComparison.Ordinal);
}
