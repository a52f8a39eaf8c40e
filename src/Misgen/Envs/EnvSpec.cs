using Misgen.Envs.Maze;
using System.Globalization;

namespace Misgen.Envs;

/// <summary>
/// What game to play, spelled as users write it: <c>maze:yellow-line@textured</c> (training: one goal) or
/// <c>maze:red-line+yellow-gem@black;size=5;timeout=500</c> (duel: obj1 +10, obj2 -10).
/// <see cref="ToString"/> prints the canonical form (background always, options only when not default),
/// and <see cref="Parse"/> of it gives back an equal spec.
/// </summary>
public sealed class EnvSpec : IEquatable<EnvSpec>
{
    public const int DefaultWorldSize = 5;
    public const int DefaultTimeout = 500;
    public const int MaxTimeout = 1_000_000;

    public static IReadOnlyList<string> Games { get; } = ["maze"];
    public static IReadOnlyList<string> Options { get; } = ["size", "timeout"];
    public static IReadOnlyList<string> Backgrounds { get; } = ["black", "grey", "textured"];

    public EnvSpec(MazeObject obj1, MazeObject? obj2 = null, Background background = Background.Black,
                   int worldSize = DefaultWorldSize, int timeout = DefaultTimeout)
    {
        if (worldSize < 3 || worldSize > 25 || worldSize % 2 == 0)
            throw new MisgenInputException($"env option size={worldSize} is invalid; valid: odd numbers 3..25 (default {DefaultWorldSize})");
        if (timeout < 1 || timeout > MaxTimeout)
            throw new MisgenInputException($"env option timeout={timeout} is invalid; valid: 1..{MaxTimeout} (default {DefaultTimeout})");
        Obj1 = obj1;
        Obj2 = obj2;
        Background = background;
        WorldSize = worldSize;
        Timeout = timeout;
    }

    public string Game => "maze";
    public MazeObject Obj1 { get; }
    public MazeObject? Obj2 { get; }
    public bool IsDuel => Obj2 is not null;
    public Background Background { get; }
    public int WorldSize { get; }
    public int Timeout { get; }

    public static EnvSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string spec = text.Trim();
        int colon = spec.IndexOf(':');
        if (colon < 0)
            throw new MisgenInputException($"env spec '{text}' has no game; write GAME:OBJECT[+OBJECT][@BACKGROUND][;key=value...], e.g. maze:yellow-line@textured");
        string game = spec[..colon].Trim().ToLowerInvariant();
        if (!Games.Contains(game)) throw MisgenInputException.Unknown("game", spec[..colon].Trim(), Games);

        string rest = spec[(colon + 1)..];
        string[] options = rest.Split(';');
        string body = options[0];
        var background = Background.Black;
        int at = body.IndexOf('@');
        if (at >= 0)
        {
            background = ParseBackground(body[(at + 1)..]);
            body = body[..at];
        }

        string[] objects = body.Split('+');
        if (objects.Length > 2)
            throw new MisgenInputException($"env spec '{text}' names {objects.Length} objects; a maze has one goal (training) or two (duel: obj1+obj2)");
        if (objects.Any(o => o.Trim().Length == 0))
            throw MisgenInputException.Unknown("object", body, MazeObject.All.Select(o => o.ToString()));
        var obj1 = MazeObject.Parse(objects[0]);
        MazeObject? obj2 = objects.Length == 2 ? MazeObject.Parse(objects[1]) : null;

        int size = DefaultWorldSize, timeout = DefaultTimeout;
        foreach (string option in options.Skip(1))
        {
            if (option.Trim().Length == 0) continue;
            int eq = option.IndexOf('=');
            string key = (eq < 0 ? option : option[..eq]).Trim().ToLowerInvariant();
            if (!Options.Contains(key)) throw MisgenInputException.Unknown("env option", option.Trim(), Options.Select(o => o + "=N"));
            string value = eq < 0 ? "" : option[(eq + 1)..].Trim();
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number))
                throw new MisgenInputException($"env option {key}='{value}' is not an integer; " +
                    (key == "size" ? $"valid: odd numbers 3..25 (default {DefaultWorldSize})" : $"valid: 1..{MaxTimeout} (default {DefaultTimeout})"));
            if (key == "size") size = number; else timeout = number;
        }
        return new EnvSpec(obj1, obj2, background, size, timeout);
    }

    private static Background ParseBackground(string text) => text.Trim().ToLowerInvariant() switch
    {
        "black" => Background.Black,
        "grey" or "gray" => Background.Grey,
        "textured" => Background.Textured,
        _ => throw MisgenInputException.Unknown("background", text.Trim(), Backgrounds),
    };

    public override string ToString()
    {
        string objects = Obj2 is { } o2 ? $"{Obj1}+{o2}" : Obj1.ToString();
        string text = $"{Game}:{objects}@{Background.ToString().ToLowerInvariant()}";
        if (WorldSize != DefaultWorldSize) text += $";size={WorldSize}";
        if (Timeout != DefaultTimeout) text += $";timeout={Timeout}";
        return text;
    }

    public bool Equals(EnvSpec? other) => other is not null && ToString() == other.ToString();
    public override bool Equals(object? obj) => Equals(obj as EnvSpec);
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
