using System.Globalization;

namespace Misgen.Rl;

/// <summary>
/// The valid range of a <see cref="PpoConfig"/> field, checked by <see cref="PpoConfig.Set(string, string)"/> and
/// <see cref="PpoConfig.Validate"/> and listed in docs/LIMITS.md. Every number must also be finite.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LimitAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;
    public double Max { get; } = max;
    public bool MinExclusive { get; init; }
    public bool MaxExclusive { get; init; }

    public bool Contains(double value) =>
        double.IsFinite(value)
        && (MinExclusive ? value > Min : value >= Min)
        && (MaxExclusive ? value < Max : value <= Max);

    /// <summary>"1..1024" for whole numbers, "(0, 1]" style when an end is excluded.</summary>
    public string Describe(bool whole)
    {
        string F(double x) => x.ToString(whole ? "0" : "R", CultureInfo.InvariantCulture);
        return !MinExclusive && !MaxExclusive ? $"{F(Min)}..{F(Max)}"
            : $"{(MinExclusive ? "(" : "[")}{F(Min)}, {F(Max)}{(MaxExclusive ? ")" : "]")}";
    }
}
