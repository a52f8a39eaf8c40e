using System.Globalization;
using System.Text;

namespace Misgen.Analysis;

/// <summary>Small helpers for writing SVG text: invariant numbers and XML escaping.</summary>
public static class Svg
{
    public const string FontFamily = "'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

    /// <summary>A coordinate with at most two decimals, invariant culture.</summary>
    public static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    public static string Escape(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (char c in text)
            b.Append(c switch { '<' => "&lt;", '>' => "&gt;", '&' => "&amp;", '"' => "&quot;", '\'' => "&#39;", _ => c.ToString() });
        return b.ToString();
    }
}
