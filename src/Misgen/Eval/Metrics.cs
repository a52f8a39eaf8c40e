namespace Misgen.Eval;

/// <summary>
/// The metrics of one agent on one setting, derived from its episodes (never stored). <see cref="Obj1"/> and
/// <see cref="Obj2"/> count the episodes that ended with outcome code 1 and 2 (the maze's obj1 and obj2; a
/// game's first two non-timeout outcomes), <see cref="Timeouts"/> those that ended with the game's timeout:
/// preference = n(obj1) / (n(obj1) + n(obj2)) with a 95% Wilson interval (timeouts excluded; NaN when
/// no episode reached an object); capability = mean steps with timeouts counted as the setting's
/// timeout (500); success rate = n(obj1) / n (the rewarded object); timeout rate = n(timeout) / n.
/// </summary>
public sealed record Metrics(string Agent, string Setting, long Episodes, long Obj1, long Obj2, long Timeouts, double MeanSteps)
{
    /// <summary>The outcome code counted as <see cref="Obj1"/>.</summary>
    public const byte Obj1Outcome = 1;

    /// <summary>The outcome code counted as <see cref="Obj2"/>.</summary>
    public const byte Obj2Outcome = 2;

    public double Preference => Obj1 + Obj2 == 0 ? double.NaN : (double)Obj1 / (Obj1 + Obj2);

    public (double Low, double High) PreferenceInterval => Wilson.Interval(Obj1, Obj1 + Obj2);

    /// <summary>Mean episode length, timeouts counted as the timeout: lower is more capable.</summary>
    public double Capability => MeanSteps;

    public double SuccessRate => Episodes == 0 ? double.NaN : (double)Obj1 / Episodes;

    public double TimeoutRate => Episodes == 0 ? double.NaN : (double)Timeouts / Episodes;
}
