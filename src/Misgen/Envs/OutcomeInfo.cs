namespace Misgen.Envs;

/// <summary>
/// One way an episode of a game can end: its code (1..255, what results.db stores), its name (what exports
/// and reports print), whether it is the rewarded success a training run counts, and whether it is the timeout.
/// </summary>
public sealed record OutcomeInfo(byte Code, string Name, bool IsSuccess = false, bool IsTimeout = false);
