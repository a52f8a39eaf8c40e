using System.Globalization;
using System.Text;
using Misgen.Eval;
using Misgen.Interp;
using static Misgen.Analysis.StudyPlots;

namespace Misgen.Analysis;

/// <summary>
/// The report's "Inside the agents": for each flagged outlier and the agent nearest the median, a vector field on one
/// test level and an attribution heatmap of its first step (when <see cref="ReportOptions.Inside"/> can load the
/// weights), and the colour-channel test read from results.db (the agent's variants with R, G or B zeroed); then
/// every stored variant's preference shift against its agent.
/// </summary>
internal static class InsideSection
{
    public static void Append(StringBuilder html, StudyReport.ReportData all, IReadOnlyList<Metrics> agentMetrics, IReadOnlyList<Setting> settings,
        IReadOnlyList<AgentOutlier> outliers, ReportOptions options)
    {
        html.Append("<section id=\"inside\"><h2>Inside the agents</h2>");
        var chosen = InsideAgents.Choose(agentMetrics, outliers, options);
        var shifts = VariantShifts.Compute(all.Metrics);
        if (chosen.Count == 0)
        {
            html.Append("<p class=\"note\">No agent has been evaluated yet.</p></section>");
            return;
        }
        html.Append("<p class=\"note\">Each flagged outlier and the agent nearest the median (smallest largest |robust z|). ")
            .Append("Vector field: with the agent placed on every open cell of the first test level, the probabilities of the left, down, up and right action groups summed into one arrow. ")
            .Append("Attribution: integrated gradients of the value at the level's first step (32 steps from a black baseline), over the observation. ")
            .Append("Colour-channel test: the preference for obj1 with the R, G or B input channel zeroed, evaluated as the variants <code>AGENT+zero-r</code>, <code>+zero-g</code>, <code>+zero-b</code> ")
            .Append("(<code>misgen eval AGENT --intervention zero-r</code>); the channel whose loss moves the preference most is the one the agent reads its goal from.</p>");
        var agents = all.Agents.ToDictionary(a => a.Name);
        var flagged = outliers.Where(o => o.Flagged).ToDictionary(o => o.Agent);
        int level = all.Protocol.Episodes == 0 ? 0 : (int)Math.Clamp(all.Protocol.MinLevelSeed, int.MinValue, int.MaxValue);
        html.Append("<div class=\"cards\">");
        foreach (string name in chosen)
        {
            bool isOutlier = flagged.TryGetValue(name, out var outlier);
            html.Append($"<article class=\"card{(isOutlier ? "" : " median")}\"><h3>{Svg.Escape(name)}</h3><p class=\"scores\">{(isOutlier ? "flagged outlier" : "nearest the median")}</p>");
            var setting = PictureSetting(name, outlier, all.Metrics, settings);
            if (setting is not null && options.Inside is not null && agents.TryGetValue(name, out var record))
            {
                InsidePictures? pictures = null;
                try { pictures = options.Inside(new InsideRequest(record, setting, level)); }
                catch (MisgenInputException) { pictures = null; }
                if (pictures?.FieldSvg is { } svg)
                    html.Append("<figure class=\"field\">").Append(svg).Append($"<figcaption>{Svg.Escape(pictures.FieldCaption)}</figcaption></figure>");
                if (pictures?.AttributionPng is { } png)
                    html.Append($"<figure class=\"video\"><img alt=\"attribution of {Svg.Escape(name)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"><figcaption>{Svg.Escape(pictures.AttributionCaption)}</figcaption></figure>");
            }
            AppendColourTest(html, name, shifts, settings);
            html.Append("</article>");
        }
        html.Append("</div>");
        AppendShifts(html, shifts);
        html.Append("</section>");
    }

    // The level of the agent's most unusual feature, else the first setting it played.
    private static Setting? PictureSetting(string agent, AgentOutlier? outlier, IReadOnlyList<Metrics> metrics, IReadOnlyList<Setting> settings)
    {
        string? spec = outlier?.Reasons.FirstOrDefault()?.Feature.Setting;
        return settings.FirstOrDefault(s => s.Spec == spec)
            ?? settings.FirstOrDefault(s => metrics.Any(m => m.Agent == agent && m.Setting == s.Spec));
    }

    private static void AppendColourTest(StringBuilder html, string agent, IReadOnlyList<VariantShift> shifts, IReadOnlyList<Setting> settings)
    {
        var mine = shifts.Where(v => v.Agent == agent && InsideAgents.ColourInterventions.Contains(v.Variant)).ToList();
        if (mine.Count == 0)
        {
            html.Append($"<p class=\"note\">No colour-channel test stored: <code>misgen eval {Svg.Escape(agent)} --intervention zero-r</code> (and zero-g, zero-b) adds it.</p>");
            return;
        }
        html.Append("<table class=\"list\"><thead><tr><th>setting</th><th>as trained</th>");
        foreach (string v in InsideAgents.ColourInterventions) html.Append($"<th>{v}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var group in mine.GroupBy(v => v.Setting))
        {
            var s = settings.FirstOrDefault(x => x.Spec == group.Key) ?? new Setting(group.Key, null);
            string label = s.Obj2 is null ? $"<code>{Svg.Escape(s.Spec)}</code>" : $"{SettingIcons.Inline(s, s.Obj1, 14)} vs {SettingIcons.Inline(s, s.Obj2, 14)}";
            html.Append($"<tr><td title=\"{Svg.Escape(s.Spec)}\">{label}</td><td class=\"num\">{F(group.First().Base.Preference, 2)}</td>");
            foreach (string v in InsideAgents.ColourInterventions)
            {
                var shift = group.FirstOrDefault(x => x.Variant == v);
                html.Append(shift is null ? "<td></td>" : string.Create(CultureInfo.InvariantCulture,
                    $"<td class=\"num\" title=\"shift {F(shift.PreferenceShift, 2)}\">{F(shift.Changed.Preference, 2)} <small>({Signed(shift.PreferenceShift)})</small></td>"));
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
    }

    private static void AppendShifts(StringBuilder html, IReadOnlyList<VariantShift> shifts)
    {
        if (shifts.Count == 0) return;
        html.Append($"<details><summary>Every variant against its agent ({shifts.Count} agent × setting pairs)</summary><table class=\"list\"><thead><tr>")
            .Append("<th>agent</th><th>variant</th><th>setting</th><th>preference</th><th>shift</th><th>success shift</th><th>mean steps shift</th></tr></thead><tbody>");
        foreach (var v in shifts)
            html.Append($"<tr><td>{Svg.Escape(v.Agent)}</td><td>{Svg.Escape(v.Variant)}</td><td><code>{Svg.Escape(v.Setting)}</code></td>")
                .Append($"<td class=\"num\">{F(v.Base.Preference, 2)} → {F(v.Changed.Preference, 2)}</td><td class=\"num\">{Signed(v.PreferenceShift)}</td>")
                .Append($"<td class=\"num\">{Signed(v.SuccessShift)}</td><td class=\"num\">{Signed(v.CapabilityShift, 1)}</td></tr>");
        html.Append("</tbody></table></details>");
    }

    private static string Signed(double value, int decimals = 2) =>
        double.IsNaN(value) ? "–" : (value > 0 ? "+" : "") + F(value, decimals);
}
