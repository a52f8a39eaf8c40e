using Misgen.Envs.Maze;
using Misgen.Envs;

namespace Misgen.Eval;

/// <summary>One evaluation episode of one agent on one setting: a level seed and how it ended.</summary>
public readonly record struct Episode(int LevelSeed, Outcome Outcome, int Steps, float Return)
{
    public static Episode From(in EpisodeInfo info) => new(info.LevelSeed, info.Outcome, info.Steps, info.Return);
}

/// <summary>An episode with the names of its agent and setting, as read back from results.db.</summary>
public readonly record struct EpisodeRow(string Agent, string Setting, int LevelSeed, Outcome Outcome, int Steps, float Return);
