namespace Misgen.Eval;

/// <summary>
/// An evaluated agent as results.db knows it: a unique name, where its directory was, what it was
/// trained on, and the SHA-256 of its model.safetensors (with the name, the agent's identity).
/// <see cref="TrainCsv"/> (the agent's train.csv) lets the report draw training curves.
/// </summary>
public sealed record AgentRecord(
    string Name,
    string? Directory = null,
    string? TrainSpec = null,
    string? Preset = null,
    long? Seed = null,
    string? TrainCsv = null,
    string? ModelSha256 = null);
