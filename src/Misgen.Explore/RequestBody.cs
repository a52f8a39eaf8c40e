using System.Text.Json;

namespace Misgen.Explore;

/// <summary>
/// A JSON request body read with the explorer's limits: every missing, mistyped or out-of-range value is a
/// MisgenInputException naming the field and what is valid (the server answers 400 with it).
/// </summary>
public readonly struct RequestBody(JsonElement root, string where = "")
{
    public JsonElement Root { get; } = root;

    private string Name(string field) => where.Length == 0 ? field : $"{where}.{field}";

    public bool Has(string field) => Root.ValueKind == JsonValueKind.Object && Root.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null;

    private JsonElement? Get(string field) =>
        Root.ValueKind != JsonValueKind.Object ? throw new MisgenInputException($"{(where.Length == 0 ? "the request body" : where)} must be a JSON object")
        : Root.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public string String(string field, int maxLength, string? fallback = null)
    {
        var v = Get(field);
        if (v is null) return fallback ?? throw new MisgenInputException($"'{Name(field)}' is missing; it is a string");
        if (v.Value.ValueKind != JsonValueKind.String) throw new MisgenInputException($"'{Name(field)}' must be a string, got {v.Value.ValueKind}");
        string text = v.Value.GetString()!;
        if (text.Length > maxLength) throw new MisgenInputException($"'{Name(field)}' has {text.Length} characters; valid: at most {maxLength}");
        return text;
    }

    public int Int(string field, int min, int max, int? fallback = null)
    {
        var v = Get(field);
        if (v is null) return fallback ?? throw new MisgenInputException($"'{Name(field)}' is missing; valid: an integer in {min}..{max}");
        if (v.Value.ValueKind != JsonValueKind.Number || !v.Value.TryGetInt64(out long n) || n < min || n > max)
            throw new MisgenInputException($"'{Name(field)}' is {Show(v.Value)}; valid: an integer in {min}..{max}");
        return (int)n;
    }

    public double Number(string field, double min, double max, double? fallback = null)
    {
        var v = Get(field);
        if (v is null) return fallback ?? throw new MisgenInputException($"'{Name(field)}' is missing; valid: a number in {min}..{max}");
        if (v.Value.ValueKind != JsonValueKind.Number || !v.Value.TryGetDouble(out double d) || !double.IsFinite(d) || d < min || d > max)
            throw new MisgenInputException($"'{Name(field)}' is {Show(v.Value)}; valid: a number in {min}..{max}");
        return d;
    }

    public bool Bool(string field, bool fallback)
    {
        var v = Get(field);
        if (v is null) return fallback;
        return v.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new MisgenInputException($"'{Name(field)}' is {Show(v.Value)}; valid: true or false"),
        };
    }

    public RequestBody? Object(string field)
    {
        var v = Get(field);
        if (v is null) return null;
        if (v.Value.ValueKind != JsonValueKind.Object) throw new MisgenInputException($"'{Name(field)}' must be an object, got {v.Value.ValueKind}");
        return new RequestBody(v.Value, Name(field));
    }

    public IReadOnlyList<RequestBody> Objects(string field, int maxCount)
    {
        var v = Get(field);
        if (v is null) return [];
        if (v.Value.ValueKind != JsonValueKind.Array) throw new MisgenInputException($"'{Name(field)}' must be a list, got {v.Value.ValueKind}");
        int n = v.Value.GetArrayLength();
        if (n > maxCount) throw new MisgenInputException($"'{Name(field)}' has {n} entries; valid: at most {maxCount}");
        var list = new List<RequestBody>(n);
        int i = 0;
        foreach (var item in v.Value.EnumerateArray()) list.Add(new RequestBody(item, $"{Name(field)}[{i++}]"));
        return list;
    }

    public IReadOnlyList<string> Strings(string field, int maxCount, int maxLength)
    {
        var v = Get(field) ?? throw new MisgenInputException($"'{Name(field)}' is missing; it is a list of strings");
        if (v.ValueKind != JsonValueKind.Array) throw new MisgenInputException($"'{Name(field)}' must be a list of strings, got {v.ValueKind}");
        int n = v.GetArrayLength();
        if (n > maxCount) throw new MisgenInputException($"'{Name(field)}' has {n} entries; valid: at most {maxCount}");
        var list = new List<string>(n);
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw new MisgenInputException($"'{Name(field)}' must hold strings only, got {item.ValueKind}");
            string s = item.GetString()!;
            if (s.Length > maxLength) throw new MisgenInputException($"'{Name(field)}' has an entry of {s.Length} characters; valid: at most {maxLength}");
            list.Add(s);
        }
        return list;
    }

    private static string Show(JsonElement v)
    {
        string raw = v.GetRawText();
        return raw.Length <= 40 ? raw : raw[..40] + "...";
    }
}
