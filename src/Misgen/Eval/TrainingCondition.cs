namespace Misgen.Eval;

/// <summary>A training condition of the published study (its training env spec) and the settings it was tested on.</summary>
public sealed record TrainingCondition(string Spec, string Description, IReadOnlyList<Setting> Settings);
