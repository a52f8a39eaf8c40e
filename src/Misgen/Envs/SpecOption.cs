using System.Globalization;

namespace Misgen.Envs;

/// <summary>
/// One option of a game's env specs (<c>;key=value</c>): its key, default, what values are valid and a line
/// of help for <c>misgen envs</c>. <see cref="Normalise"/> gives the canonical spelling of a valid value, so
/// equal specs print equally.
/// </summary>
public sealed class SpecOption
{
    private readonly Func<string, string?> normalise;

    private SpecOption(string key, string @default, string valid, string help, Func<string, string?> normalise)
    {
        Key = key;
        Default = @default;
        Valid = valid;
        Help = help;
        this.normalise = normalise;
    }

    public string Key { get; }
    public string Default { get; }

    /// <summary>The valid values in words, e.g. "odd numbers 3..25".</summary>
    public string Valid { get; }

    public string Help { get; }

    /// <summary>The canonical value, or MisgenInputException naming the option, the value and the valid ones.</summary>
    public string Normalise(string value) =>
        normalise(value.Trim())
        ?? throw new MisgenInputException($"env option {Key}={(value.Trim().Length == 0 ? "''" : value.Trim())} is invalid; valid: {Valid} (default {Default})");

    /// <summary>An integer option in [min, max] (optionally odd only).</summary>
    public static SpecOption Int(string key, int @default, int min, int max, string help, bool oddOnly = false)
    {
        string valid = oddOnly ? $"odd numbers {min}..{max}" : $"{min}..{max}";
        return new SpecOption(key, @default.ToString(CultureInfo.InvariantCulture), valid, help, text =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max && (!oddOnly || v % 2 != 0)
                ? v.ToString(CultureInfo.InvariantCulture)
                : null);
    }

    /// <summary>A finite number in [min, max].</summary>
    public static SpecOption Number(string key, double @default, double min, double max, string help) =>
        new(key, @default.ToString("R", CultureInfo.InvariantCulture), $"numbers {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}", help, text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v >= min && v <= max
                ? v.ToString("R", CultureInfo.InvariantCulture)
                : null);

    /// <summary>One of a closed set of words (case-insensitive).</summary>
    public static SpecOption Choice(string key, string @default, IReadOnlyList<string> choices, string help) =>
        new(key, @default, string.Join(", ", choices), help, text =>
            choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase)));
}

/// <summary>The options of one spec, every key of its game present (defaults filled in), values canonical.</summary>
public sealed class SpecValues
{
    private readonly IReadOnlyList<SpecOption> options;
    private readonly Dictionary<string, string> values;

    private SpecValues(IReadOnlyList<SpecOption> options, Dictionary<string, string> values)
    {
        this.options = options;
        this.values = values;
    }

    /// <summary>Reads <c>key=value</c> parts against a game's options; unknown keys and bad values name the valid ones.</summary>
    public static SpecValues Parse(string game, IReadOnlyList<SpecOption> options, IEnumerable<string> parts)
    {
        var values = options.ToDictionary(o => o.Key, o => o.Default, StringComparer.Ordinal);
        foreach (string part in parts)
        {
            if (part.Trim().Length == 0) continue;
            int eq = part.IndexOf('=');
            string key = (eq < 0 ? part : part[..eq]).Trim().ToLowerInvariant();
            var option = options.FirstOrDefault(o => o.Key == key)
                ?? throw (options.Count == 0
                    ? new MisgenInputException($"env option '{part.Trim()}' is unknown: the {game} game has no options")
                    : MisgenInputException.Unknown($"env option of the {game} game", part.Trim(), options.Select(o => $"{o.Key}=N")));
            if (eq < 0) throw new MisgenInputException($"env option '{part.Trim()}' has no value; write {key}=VALUE (valid: {option.Valid}, default {option.Default})");
            values[key] = option.Normalise(part[(eq + 1)..]);
        }
        return new SpecValues(options, values);
    }

    public string this[string key] => values.TryGetValue(key, out string? v) ? v : throw new ArgumentException($"no option {key}", nameof(key));

    public int Int(string key) => int.Parse(this[key], CultureInfo.InvariantCulture);

    public double Number(string key) => double.Parse(this[key], CultureInfo.InvariantCulture);

    /// <summary>";key=value" for each option that differs from its default, in the game's order.</summary>
    public string Canonical() =>
        string.Concat(options.Where(o => values[o.Key] != o.Default).Select(o => $";{o.Key}={values[o.Key]}"));
}
