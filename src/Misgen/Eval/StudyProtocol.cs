namespace Misgen.Eval;

/// <summary>What results.db says about how the study was run: level seeds, episodes per pair, coverage.</summary>
public sealed record StudyProtocol(
    long Episodes,
    long MinLevelSeed,
    long MaxLevelSeed,
    long MinEpisodesPerPair,
    long MaxEpisodesPerPair,
    IReadOnlyDictionary<string, int> AgentsPerSetting);
