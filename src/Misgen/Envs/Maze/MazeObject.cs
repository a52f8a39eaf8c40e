namespace Misgen.Envs.Maze;

/// <summary>Object colours of the colour-versus-shape study; <see cref="Invisible"/> is only valid for a gem.</summary>
public enum ObjectColour : byte { Black, Blue, Cyan, Green, Purple, Red, White, Yellow, Invisible }

public enum ObjectShape : byte { Line, Gem }

/// <summary>A goal object, spelled <c>colour-shape</c>: "yellow-line", "red-gem", "invisible-gem".</summary>
public readonly record struct MazeObject(ObjectColour Colour, ObjectShape Shape)
{
    /// <summary>The eight drawable colours, in the order the study lists them.</summary>
    public static readonly IReadOnlyList<ObjectColour> PureColours =
        [ObjectColour.Black, ObjectColour.Blue, ObjectColour.Cyan, ObjectColour.Green,
         ObjectColour.Purple, ObjectColour.Red, ObjectColour.White, ObjectColour.Yellow];

    /// <summary>Every valid object: 8 colours x {line, gem}, then invisible-gem.</summary>
    public static IReadOnlyList<MazeObject> All { get; } =
        [.. PureColours.SelectMany(c => new[] { new MazeObject(c, ObjectShape.Line), new MazeObject(c, ObjectShape.Gem) }),
         new MazeObject(ObjectColour.Invisible, ObjectShape.Gem)];

    public bool IsVisible => Colour != ObjectColour.Invisible;

    /// <summary>The pure RGB colour of the object (invisible: none).</summary>
    public (byte R, byte G, byte B) Rgb => Colour switch
    {
        ObjectColour.Black => (0, 0, 0),
        ObjectColour.Blue => (0, 0, 255),
        ObjectColour.Cyan => (0, 255, 255),
        ObjectColour.Green => (0, 255, 0),
        ObjectColour.Purple => (255, 0, 255),
        ObjectColour.Red => (255, 0, 0),
        ObjectColour.White => (255, 255, 255),
        ObjectColour.Yellow => (255, 255, 0),
        _ => (0, 0, 0),
    };

    public override string ToString() => $"{Colour.ToString().ToLowerInvariant()}-{Shape.ToString().ToLowerInvariant()}";

    public static MazeObject Parse(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        foreach (var o in All)
            if (o.ToString() == t) return o;
        throw MisgenInputException.Unknown("object", text, All.Select(o => o.ToString()));
    }
}
