using Misgen.Eval;
using Misgen.Studies;
using static Misgen.Analysis.Svg;

namespace Misgen.Analysis;

/// <summary>Pictures of the objects a setting names, from the study module that covers its game (empty when it has none).</summary>
public static class SettingIcons
{
    /// <summary>An icon centred at (cx, cy) for axes, or null.</summary>
    public static string? Draw(Setting setting, string? objectName, double cx, double cy, double size = 26) =>
        objectName is null ? null : StudyCatalogue.For(setting.Env).Icon(objectName, cx, cy, size);

    /// <summary>A standalone inline SVG of one icon for HTML tables; the object's name as text when the study draws none.</summary>
    public static string Inline(Setting setting, string? objectName, double size = 18)
    {
        if (objectName is null) return "";
        string? icon = Draw(setting, objectName, size / 2, size / 2, size);
        return icon is null
            ? Escape(objectName)
            : $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(size)}\" height=\"{N(size)}\" viewBox=\"0 0 {N(size)} {N(size)}\" class=\"icon\">{icon}</svg>";
    }
}
