namespace Misgen.Envs;

/// <summary>
/// A training recipe a game adds to the standard presets: a base preset (<c>fast</c>, <c>paper</c>,
/// <c>smoke</c>) and <c>key=value</c> changes to it, with a line saying what it is for. Games keep their
/// recipes in their own folder; the trainer reads them through the catalogue.
/// </summary>
public sealed record GamePreset(string Name, string BasePreset, IReadOnlyList<string> Overrides, string Description);
