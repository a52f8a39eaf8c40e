using System.Text;
using System.Text.Json;

namespace Misgen.Envs;

/// <summary>A thing in a level other than tiles: its type, its position in world units (x from the left, y from the bottom), extra fields.</summary>
public sealed record LevelEntity(string Type, double X, double Y, IReadOnlyDictionary<string, object>? Extra = null);

/// <summary>
/// A level in words (<c>misgen level</c>): the grid as text, top row first, one character per tile, the
/// legend of those characters, the entities, and the agent's position (world units, y from the bottom).
/// </summary>
public sealed record LevelDescription(
    string Spec, int Seed, int Width, int Height, IReadOnlyList<string> Grid,
    IReadOnlyList<KeyValuePair<char, string>> Legend, IReadOnlyList<LevelEntity> Entities, double AgentX, double AgentY)
{
    /// <summary>The grid, then the agent and one line per entity.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        foreach (string row in Grid) text.Append(row).Append('\n');
        text.Append(FormattableString.Invariant($"agent {AgentX:0.###} {AgentY:0.###}\n"));
        foreach (var e in Entities)
        {
            text.Append(FormattableString.Invariant($"{e.Type} {e.X:0.###} {e.Y:0.###}"));
            if (e.Extra is { } extra)
                foreach (var (key, value) in extra) text.Append(' ').Append(key).Append('=').Append(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>{"spec", "seed", "width", "height", "grid", "legend", "entities", "agent"}.</summary>
    public string ToJson()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("spec", Spec);
            w.WriteNumber("seed", Seed);
            w.WriteNumber("width", Width);
            w.WriteNumber("height", Height);
            w.WriteStartArray("grid");
            foreach (string row in Grid) w.WriteStringValue(row);
            w.WriteEndArray();
            w.WriteStartObject("legend");
            foreach (var (c, name) in Legend) w.WriteString(c.ToString(), name);
            w.WriteEndObject();
            w.WriteStartArray("entities");
            foreach (var e in Entities)
            {
                w.WriteStartObject();
                w.WriteString("type", e.Type);
                w.WriteNumber("x", e.X);
                w.WriteNumber("y", e.Y);
                if (e.Extra is { } extra)
                    foreach (var (key, value) in extra)
                    {
                        switch (value)
                        {
                            case bool b: w.WriteBoolean(key, b); break;
                            case int i: w.WriteNumber(key, i); break;
                            case long l: w.WriteNumber(key, l); break;
                            case float f: w.WriteNumber(key, f); break;
                            case double d: w.WriteNumber(key, d); break;
                            default: w.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                        }
                    }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("agent");
            w.WriteNumber("x", AgentX);
            w.WriteNumber("y", AgentY);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
