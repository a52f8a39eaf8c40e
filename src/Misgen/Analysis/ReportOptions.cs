using Misgen.Eval;

namespace Misgen.Analysis;

/// <summary>What the report shows an outlier doing: the agent on the setting that makes it unusual.</summary>
public sealed record OutlierVideoRequest(AgentRecord Agent, Setting Setting, OutlierReason? Reason);

/// <summary>
/// Options of <see cref="StudyReport"/>. Everything beyond results.db is optional: without
/// <see cref="OutlierGif"/> (the evaluator supplies it when the agents' weights are at hand) the
/// outliers have no animation; training curves come from each agent's train.csv when it exists.
/// </summary>
public sealed record ReportOptions
{
    public string Title { get; init; } = "Misgen study report";

    /// <summary>Returns a GIF of the agent playing the setting, or null when it cannot (no weights).</summary>
    public Func<OutlierVideoRequest, byte[]?>? OutlierGif { get; init; }

    /// <summary>Draws an agent's vector field and attribution for "Inside the agents", or returns null when it cannot (no weights).</summary>
    public Func<InsideRequest, InsidePictures?>? Inside { get; init; }

    /// <summary>The settings of the OLS figure (x, y); null picks the study's pair when present, else the two best-covered settings.</summary>
    public (string X, string Y)? Regression { get; init; }

    public OutlierOptions Outliers { get; init; } = new();

    /// <summary>At most this many outliers get a detailed card (and a GIF).</summary>
    public int MaxOutlierCards { get; init; } = 8;

    /// <summary>Resolves relative train.csv paths stored in results.db (default: the results.db folder).</summary>
    public string? BaseDirectory { get; init; }
}
