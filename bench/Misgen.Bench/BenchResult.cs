using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Misgen.Bench;

/// <summary>
/// One benchmark figure. <see cref="ToJson"/> gives the line `misgen bench --json` prints
/// (DESIGN.md "Benchmarks"): {"bench": "env", "case": "maze-64", "threads": 2, "value": 1234.5, "unit": "steps/s", ...}.
/// </summary>
public sealed record BenchResult(string Bench, string Case, int Threads, double Value, string Unit,
                                 IReadOnlyDictionary<string, object>? Extra = null)
{
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("bench", Bench);
            json.WriteString("case", Case);
            json.WriteNumber("threads", Threads);
            // JSON has no NaN or infinity: a non-finite figure is written as null (README, "What Misgen guarantees").
            if (double.IsFinite(Value)) json.WriteNumber("value", Math.Round(Value, 1));
            else json.WriteNull("value");
            json.WriteString("unit", Unit);
            if (Extra is not null)
                foreach (var (key, value) in Extra)
                {
                    json.WritePropertyName(key);
                    if (value is double d && !double.IsFinite(d) || value is float f && !float.IsFinite(f)) json.WriteNullValue();
                    else JsonSerializer.Serialize(json, value, value.GetType());
                }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

/// <summary>Prints results as a readable table, or as JSON lines for scripts.</summary>
public static class BenchReport
{
    public static void Print(BenchResult result, bool json, TextWriter output)
    {
        if (json)
        {
            output.WriteLine(result.ToJson());
            return;
        }
        string extra = result.Extra is null ? "" : "  " + string.Join("  ", result.Extra.Select(kv => $"{kv.Key}={Format(kv.Value)}"));
        output.WriteLine($"{result.Bench,-6} {result.Case,-12} threads={result.Threads,-3} {result.Value.ToString("N0", CultureInfo.InvariantCulture),14} {result.Unit}{extra}");
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        float f => f.ToString("0.##", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
