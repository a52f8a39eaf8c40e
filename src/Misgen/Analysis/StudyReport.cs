using System.Globalization;
using System.Text;
using Misgen.Eval;
using Misgen.Studies;
using static Misgen.Analysis.StudyPlots;

namespace Misgen.Analysis;

/// <summary>
/// The whole study as ONE self-contained HTML file: setup, one scatter plot per setting, the agents x
/// settings table, the OLS figure, the outliers (with a GIF each when available) and training
/// curves. Inline SVG and CSS, images as data URIs, no script and no external resource, so it opens
/// anywhere offline and can be mailed as is.
/// </summary>
public static class StudyReport
{
    /// <summary>Reads results.db and writes the report atomically.</summary>
    public static void Write(ResultsStore store, string path, ReportOptions? options = null)
    {
        string html = Render(store, options ?? new ReportOptions());
        AtomicFile.WriteAllText(path, html);
    }

    public static string Render(ResultsStore store, ReportOptions options)
    {
        var agents = store.Agents();
        var settings = store.Settings();
        var metrics = store.Metrics();
        string baseDirectory = options.BaseDirectory ?? Path.GetDirectoryName(store.Path) ?? ".";
        var curves = agents
            .Select(a => TrainingCurve.TryRead(a.Name, a.TrainCsv is null ? null : Path.GetFullPath(a.TrainCsv, baseDirectory)))
            .OfType<TrainingCurve>().ToList();
        var protocol = store.Protocol();
        var sections = StudyCatalogue.All.Select(m => m.ReportSection(store)).OfType<string>().ToList();
        return Render(new ReportData(options.Title, agents, settings, metrics, curves, protocol, sections), options);
    }

    /// <summary>The data a report is drawn from, so it can be rendered without a database (tests, other tools).</summary>
    public sealed record ReportData(
        string Title,
        IReadOnlyList<AgentRecord> Agents,
        IReadOnlyList<Setting> Settings,
        IReadOnlyList<Metrics> Metrics,
        IReadOnlyList<TrainingCurve> Curves,
        StudyProtocol Protocol,
        IReadOnlyList<string>? StudySections = null);

    public static string Render(ReportData data, ReportOptions options)
    {
        // Patched and intervened agents (AGENT+VARIANT) are not more agents: the study's sections are drawn over the
        // agents alone, and the variants appear in "Inside the agents" against their agent.
        var all = data;
        var variants = InsideAgents.Variants(data.Agents.Select(a => a.Name));
        if (variants.Count > 0)
            data = data with
            {
                Agents = data.Agents.Where(a => !variants.Contains(a.Name)).ToList(),
                Metrics = data.Metrics.Where(m => !variants.Contains(m.Agent)).ToList(),
                Curves = data.Curves.Where(c => !variants.Contains(c.Agent)).ToList(),
            };
        var settings = data.Settings.Where(s => data.Metrics.Any(m => m.Setting == s.Spec)).ToList();
        var outliers = InsideAgents.Outliers(data.Metrics, options.Outliers);
        var flagged = InsideAgents.Flagged(outliers, options.Outliers);
        var flaggedNames = flagged.Select(o => o.Agent).ToHashSet();

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append($"<title>{H(data.Title)}</title><style>{Css}</style></head><body><main>");

        // Header and summary.
        html.Append($"<header><h1>{H(data.Title)}</h1><p class=\"lead\">Goal misgeneralization study: which goal each agent pursues when the training goal becomes ambiguous, how capably, and which agents generalized differently.</p>");
        html.Append("<div class=\"stats\">");
        Stat(html, data.Agents.Count.ToString(CultureInfo.InvariantCulture), "agents");
        Stat(html, settings.Count.ToString(CultureInfo.InvariantCulture), "settings");
        Stat(html, data.Protocol.Episodes.ToString("N0", CultureInfo.InvariantCulture), "episodes");
        Stat(html, flagged.Count.ToString(CultureInfo.InvariantCulture), "outliers");
        html.Append("</div></header>");

        html.Append("<nav><a href=\"#setup\">Setup</a><a href=\"#scatter\">Settings</a><a href=\"#table\">Agents × settings</a>")
            .Append("<a href=\"#ols\">Regression</a><a href=\"#outliers\">Outliers</a><a href=\"#inside\">Inside the agents</a><a href=\"#training\">Training</a></nav>");

        AppendSetup(html, data, settings);
        AppendScatters(html, settings, data.Metrics);
        AppendTable(html, data, settings, flaggedNames);
        AppendRegression(html, settings, data.Metrics, options);
        AppendOutliers(html, data, outliers, flagged, options);
        InsideSection.Append(html, all, data.Metrics, settings, outliers, options);
        foreach (string section in data.StudySections ?? []) html.Append(section); // a study's own measures (HTML)
        AppendTraining(html, data.Curves);

        html.Append("<footer>Preference = n(obj1) / (n(obj1) + n(obj2)), timeouts excluded, with a 95% Wilson interval. ")
            .Append("Capability = mean episode length with timeouts counted as the timeout; scatter plots cap it at 100 (hollow points lie beyond). ")
            .Append("Outliers: robust z-scores (median and MAD per feature) and an isolation forest over the agents × (settings × {preference, capability}) matrix. ")
            .Append($"Written by misgen {typeof(StudyReport).Assembly.GetName().Version?.ToString(3)}.</footer>");
        html.Append("</main></body></html>");
        return html.ToString();
    }

    private static void AppendSetup(StringBuilder html, ReportData data, List<Setting> settings)
    {
        html.Append("<section id=\"setup\"><h2>Study setup</h2><div class=\"two\"><div>");
        var p = data.Protocol;
        html.Append("<table class=\"kv\">");
        Row(html, "Training", string.Join(", ", data.Agents.Select(a => a.TrainSpec).OfType<string>().Distinct().DefaultIfEmpty("not recorded").Select(s => $"<code>{H(s)}</code>")));
        Row(html, "Presets", H(string.Join(", ", data.Agents.Select(a => a.Preset).OfType<string>().Distinct().DefaultIfEmpty("not recorded"))));
        var seeds = data.Agents.Select(a => a.Seed).OfType<long>().Order().ToList();
        Row(html, "Agent seeds", seeds.Count == 0 ? "not recorded" : seeds.Count > 12 ? $"{seeds.Count} seeds, {seeds[0]}..{seeds[^1]}" : string.Join(", ", seeds));
        Row(html, "Levels", p.Episodes == 0 ? "none" : $"seeds {p.MinLevelSeed}..{p.MaxLevelSeed}, {(p.MinEpisodesPerPair == p.MaxEpisodesPerPair ? $"{p.MinEpisodesPerPair}" : $"{p.MinEpisodesPerPair}–{p.MaxEpisodesPerPair}")} episodes per agent and setting, one per level");
        Row(html, "Actions", "sampled from the policy; a timeout ends an episode without reward");
        Row(html, "Settings", $"{settings.Count}, in {settings.Select(s => s.Condition ?? "ad hoc").Distinct().Count()} group(s)");
        html.Append("</table></div><div><table class=\"list\"><thead><tr><th>setting</th><th>obj1</th><th>obj2</th><th>agents</th></tr></thead><tbody>");
        foreach (var s in settings)
        {
            int n = p.AgentsPerSetting.GetValueOrDefault(s.Spec);
            html.Append($"<tr><td><code>{H(s.Spec)}</code></td><td>{SettingIcons.Inline(s, s.Obj1)}</td><td>{SettingIcons.Inline(s, s.Obj2)}</td><td class=\"num\">{n}</td></tr>");
        }
        html.Append("</tbody></table></div></div></section>");
    }

    private static void AppendScatters(StringBuilder html, List<Setting> settings, IReadOnlyList<Metrics> metrics)
    {
        html.Append("<section id=\"scatter\"><h2>Preference and capability per setting</h2>")
            .Append("<p class=\"note\">One dot per agent: x = mean episode length (lower is more capable), y = share of object-reaching episodes that reached obj1 (top icon) rather than obj2 (bottom icon), with its 95% interval. Hover a dot for the agent.</p>");
        foreach (var group in settings.GroupBy(s => s.Condition ?? "Other settings"))
        {
            html.Append($"<h3>{(group.Key == "Other settings" ? "Other settings" : $"Trained on <code>{H(group.Key)}</code>")}</h3><div class=\"grid\">");
            foreach (var s in group) html.Append($"<figure>{SettingScatter(s, metrics)}</figure>");
            html.Append("</div>");
        }
        html.Append("</section>");
    }

    private static void AppendTable(StringBuilder html, ReportData data, List<Setting> settings, HashSet<string> flagged)
    {
        html.Append("<section id=\"table\"><h2>Agents × settings</h2>")
            .Append("<p class=\"note\">Each cell: preference for obj1 (colour: <span class=\"chip\" style=\"background:")
            .Append(PreferenceColour(1)).Append("\"></span> obj1 … <span class=\"chip\" style=\"background:").Append(PreferenceColour(0))
            .Append("\"></span> obj2) and mean steps below. Outlier rows are marked ●.</p><div class=\"scroll\"><table class=\"matrix\"><thead><tr><th>agent</th>");
        foreach (var s in settings)
        {
            html.Append($"<th title=\"{H(s.Spec)}\">{SettingIcons.Inline(s, s.Obj1, 16)}<br>{SettingIcons.Inline(s, s.Obj2, 16)}</th>");
        }
        html.Append("</tr></thead><tbody>");
        var lookup = data.Metrics.ToDictionary(m => (m.Agent, m.Setting));
        foreach (var agent in data.Agents)
        {
            if (!data.Metrics.Any(m => m.Agent == agent.Name)) continue;
            bool isOutlier = flagged.Contains(agent.Name);
            html.Append($"<tr{(isOutlier ? " class=\"outlier\"" : "")}><th>{(isOutlier ? "● " : "")}{H(agent.Name)}</th>");
            foreach (var s in settings)
            {
                if (!lookup.TryGetValue((agent.Name, s.Spec), out var m)) { html.Append("<td class=\"empty\"></td>"); continue; }
                string colour = double.IsNaN(m.Preference) ? "#f3f4f6" : PreferenceColour(m.Preference);
                string ink = double.IsNaN(m.Preference) || Math.Abs(m.Preference - 0.5) < 0.3 ? "#111827" : "#ffffff";
                html.Append($"<td style=\"background:{colour};color:{ink}\" title=\"{H(Hover(m))}\">{F(m.Preference, 2)}<small>{F(m.Capability, 1)}</small></td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div></section>");
    }

    private static void AppendRegression(StringBuilder html, List<Setting> settings, IReadOnlyList<Metrics> metrics, ReportOptions options)
    {
        html.Append("<section id=\"ols\"><h2>How preferences relate across settings</h2>");
        var pair = options.Regression ?? PickRegressionPair(settings, metrics);
        if (pair is not var (x, y))
        {
            html.Append("<p class=\"note\">Needs two settings evaluated on the same agents.</p></section>");
            return;
        }
        var (svg, fit) = PreferenceRegression(x, y, metrics);
        html.Append("<div class=\"two\"><figure>").Append(svg).Append("</figure><div><table class=\"kv\">");
        Row(html, "x", $"<code>{H(x)}</code>");
        Row(html, "y", $"<code>{H(y)}</code>");
        Row(html, "agents", fit.Count.ToString(CultureInfo.InvariantCulture));
        Row(html, "R²", F(fit.RSquared, 3));
        Row(html, "slope", F(fit.Slope, 3));
        Row(html, "intercept", F(fit.Intercept, 3));
        html.Append("</table><p class=\"note\">Ordinary least squares of the y-setting preference on the x-setting preference across agents. ")
            .Append("A high R² means the two settings probe the same preference.</p></div></div></section>");
    }

    /// <summary>The study's example pair when both were evaluated, else the pair of settings shared by most agents with the most spread.</summary>
    public static (string X, string Y)? PickRegressionPair(IReadOnlyList<Setting> settings, IReadOnlyList<Metrics> metrics)
    {
        foreach (var (px, py) in StudyCatalogue.All.SelectMany(m => m.RegressionPairs))
            if (Shared(px, py) >= 3) return (px, py);
        (string, string)? best = null;
        double bestScore = -1;
        var candidates = settings.Take(24).ToList();
        for (int i = 0; i < candidates.Count; i++)
        for (int j = i + 1; j < candidates.Count; j++)
        {
            int shared = Shared(candidates[i].Spec, candidates[j].Spec);
            if (shared < 3) continue;
            double score = shared * (1e-3 + Spread(candidates[i].Spec) * Spread(candidates[j].Spec));
            if (score > bestScore) (bestScore, best) = (score, (candidates[i].Spec, candidates[j].Spec));
        }
        return best;

        int Shared(string a, string b)
        {
            var withA = metrics.Where(m => m.Setting == a && double.IsFinite(m.Preference)).Select(m => m.Agent).ToHashSet();
            return metrics.Count(m => m.Setting == b && double.IsFinite(m.Preference) && withA.Contains(m.Agent));
        }

        double Spread(string s)
        {
            var values = metrics.Where(m => m.Setting == s && double.IsFinite(m.Preference)).Select(m => m.Preference).ToList();
            if (values.Count < 2) return 0;
            double mean = values.Average();
            return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        }
    }

    private static void AppendOutliers(StringBuilder html, ReportData data, IReadOnlyList<AgentOutlier> outliers, List<AgentOutlier> flagged, ReportOptions options)
    {
        var o = options.Outliers;
        html.Append("<section id=\"outliers\"><h2>Outliers</h2>");
        if (outliers.Count == 0)
        {
            html.Append("<p class=\"note\">Outlier detection needs at least three agents.</p></section>");
            return;
        }
        html.Append($"<p class=\"note\">An agent is flagged when some feature has |robust z| ≥ {F(o.RobustThreshold, 1)} (median/MAD per feature) or its isolation-forest score is ≥ {F(o.IsolationThreshold, 2)} (about 0.5 is typical; {o.Trees} trees, seed {o.Seed}). ")
            .Append($"{flagged.Count} of {outliers.Count} agents flagged.</p>");
        var settingsBySpec = data.Settings.ToDictionary(s => s.Spec);
        var agentsByName = data.Agents.ToDictionary(a => a.Name);
        if (flagged.Count > 0) html.Append("<div class=\"cards\">");
        foreach (var agent in flagged.Take(options.MaxOutlierCards))
        {
            html.Append($"<article class=\"card\"><h3>{H(agent.Agent)}</h3><p class=\"scores\">robust z {F(agent.RobustScore, 1)} · isolation {F(agent.IsolationScore, 2)}</p>");
            var top = agent.Reasons.FirstOrDefault();
            if (top is not null && options.OutlierGif is not null && settingsBySpec.TryGetValue(top.Feature.Setting, out var setting)
                && agentsByName.TryGetValue(agent.Agent, out var record))
            {
                byte[]? gif = null;
                try { gif = options.OutlierGif(new OutlierVideoRequest(record, setting, top)); }
                catch (MisgenInputException) { gif = null; }
                if (gif is not null)
                    html.Append($"<figure class=\"video\"><img alt=\"{H(agent.Agent)} on {H(setting.Spec)}\" src=\"data:image/gif;base64,{Convert.ToBase64String(gif)}\"><figcaption><code>{H(setting.Spec)}</code></figcaption></figure>");
            }
            html.Append("<ul>");
            foreach (var r in agent.Reasons.Take(4))
            {
                var s = new Setting(r.Feature.Setting, null);
                string what = r.Feature.Metric == Feature.Preference
                    ? $"preference for {H(s.Obj1 ?? "obj1")} {F(r.Value, 2)} (median {F(r.Median, 2)})"
                    : $"mean steps {F(r.Value, 1)} (median {F(r.Median, 1)})";
                html.Append($"<li>{SettingIcons.Inline(s, s.Obj1, 14)}{(s.Obj2 is null ? "" : " vs " + SettingIcons.Inline(s, s.Obj2, 14))} {what}, z = {F(r.RobustZ, 1)}</li>");
            }
            html.Append("</ul></article>");
        }
        if (flagged.Count > 0) html.Append("</div>");
        html.Append("<details><summary>Scores of every agent</summary><table class=\"list\"><thead><tr><th>agent</th><th>max |robust z|</th><th>isolation score</th><th>flagged</th><th>most unusual feature</th></tr></thead><tbody>");
        foreach (var a in outliers.OrderByDescending(a => a.IsolationScore))
        {
            var r = a.Reasons.FirstOrDefault();
            html.Append($"<tr><td>{H(a.Agent)}</td><td class=\"num\">{F(a.RobustScore, 2)}</td><td class=\"num\">{F(a.IsolationScore, 3)}</td><td>{(a.Flagged ? "yes" : "")}</td><td>{(r is null ? "" : H(r.Feature.ToString()))}</td></tr>");
        }
        html.Append("</tbody></table></details></section>");
    }

    private static void AppendTraining(StringBuilder html, IReadOnlyList<TrainingCurve> curves)
    {
        html.Append("<section id=\"training\"><h2>Training curves</h2>");
        if (curves.Count == 0)
            html.Append("<p class=\"note\">No train.csv was found for these agents.</p>");
        else
            html.Append("<figure>").Append(TrainingCurves(curves, 900, 360)).Append("</figure>");
        html.Append("</section>");
    }

    /// <summary>Diverging scale: obj1 (1) deep blue, 0.5 near white, obj2 (0) deep orange.</summary>
    public static string PreferenceColour(double preference)
    {
        preference = Math.Clamp(preference, 0, 1);
        (double R, double G, double B) blue = (33, 102, 172), white = (247, 247, 247), orange = (214, 96, 40);
        var (from, to, t) = preference >= 0.5 ? (white, blue, (preference - 0.5) * 2) : (white, orange, (0.5 - preference) * 2);
        int r = (int)Math.Round(from.R + (to.R - from.R) * t), g = (int)Math.Round(from.G + (to.G - from.G) * t), b = (int)Math.Round(from.B + (to.B - from.B) * t);
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    private static void Stat(StringBuilder html, string value, string label) =>
        html.Append($"<div><b>{H(value)}</b><span>{H(label)}</span></div>");

    private static void Row(StringBuilder html, string key, string valueHtml) =>
        html.Append($"<tr><th>{H(key)}</th><td>{valueHtml}</td></tr>");

    private static string H(string text) => Svg.Escape(text);

    private const string Css = """
        :root{--ink:#1f2933;--muted:#6b7280;--line:#e5e7eb;--accent:#3b6ea5;--bg:#f6f7f9}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 'Helvetica Neue',Helvetica,Arial,'Liberation Sans','DejaVu Sans',sans-serif}
        main{max-width:1320px;margin:0 auto;padding:28px 32px 48px}
        header h1{margin:0 0 4px;font-size:26px;font-weight:650;letter-spacing:-.01em}
        .lead{margin:0 0 18px;color:var(--muted);max-width:820px}
        .stats{display:flex;gap:12px;flex-wrap:wrap}
        .stats div{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 18px;min-width:120px}
        .stats b{display:block;font-size:22px;font-weight:650}
        .stats span{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
        nav{position:sticky;top:0;z-index:2;display:flex;gap:18px;margin:22px 0 8px;padding:10px 0;background:var(--bg);border-bottom:1px solid var(--line)}
        nav a{color:var(--accent);text-decoration:none;font-weight:600;font-size:13px}
        section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:18px 0}
        h2{margin:0 0 10px;font-size:18px;font-weight:650}
        h3{margin:18px 0 8px;font-size:14px;font-weight:600;color:#374151}
        code{font:12px/1.4 'DejaVu Sans Mono',Menlo,Consolas,monospace;background:#f3f4f6;padding:1px 5px;border-radius:4px}
        .note{color:var(--muted);margin:0 0 12px;max-width:900px}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(370px,1fr));gap:14px}
        figure{margin:0}
        figure svg{max-width:100%;height:auto;display:block}
        .grid figure{border:1px solid var(--line);border-radius:8px;overflow:hidden}
        .grid figure svg{width:100%}
        .two{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:24px;align-items:start}
        table{border-collapse:collapse}
        .kv th{text-align:left;color:var(--muted);font-weight:500;padding:4px 16px 4px 0;vertical-align:top;white-space:nowrap}
        .kv td{padding:4px 0}
        .list{width:100%;font-size:13px}
        .list th{text-align:left;font-weight:600;border-bottom:1px solid var(--line);padding:5px 8px}
        .list td{border-bottom:1px solid #f1f2f4;padding:4px 8px;vertical-align:middle}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        .icon{vertical-align:middle}
        .scroll{overflow-x:auto;max-height:720px;overflow-y:auto;border:1px solid var(--line);border-radius:8px}
        .matrix{font-size:12px;font-variant-numeric:tabular-nums}
        .matrix thead th{position:sticky;top:0;background:#fff;z-index:1;padding:6px 4px;border-bottom:1px solid var(--line);line-height:1}
        .matrix tbody th{position:sticky;left:0;background:#fff;text-align:left;font-weight:500;padding:3px 10px;white-space:nowrap;border-right:1px solid var(--line)}
        .matrix td{text-align:center;padding:3px 6px;min-width:46px;border:1px solid #fff}
        .matrix td small{display:block;font-size:10px;opacity:.75}
        .matrix tr.outlier th{color:#b91c1c;font-weight:650}
        .chip{display:inline-block;width:10px;height:10px;border-radius:2px;vertical-align:middle}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:14px;margin-bottom:14px}
        .card{border:1px solid var(--line);border-left:4px solid #b91c1c;border-radius:8px;padding:12px 16px}
        .card h3{margin:0;font-size:15px}
        .card .scores{margin:2px 0 8px;color:var(--muted);font-size:12px}
        .card ul{margin:8px 0 0;padding-left:18px}
        .card li{margin:3px 0}
        .video img{width:192px;height:auto;image-rendering:pixelated;border-radius:4px;display:block}
        .video figcaption{font-size:11px;color:var(--muted);margin-top:4px}
        .card.median{border-left-color:#2563eb}
        .card figure{margin:8px 0}
        .field svg{width:100%;height:auto}
        .field figcaption{font-size:11px;color:var(--muted);margin-top:4px}
        .card .video img{width:100%;max-width:384px}
        details summary{cursor:pointer;color:var(--accent);font-weight:600;margin:6px 0}
        footer{color:var(--muted);font-size:12px;margin-top:24px;max-width:1000px}
        @media (max-width:900px){.two{grid-template-columns:1fr}}
        """;
}
