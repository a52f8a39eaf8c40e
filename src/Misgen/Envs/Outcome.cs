using Misgen.Envs.Maze;
namespace Misgen.Envs;

/// <summary>How an episode ended. The training game's goal counts as <see cref="Obj1"/>.</summary>
public enum Outcome : byte { None = 0, Obj1 = 1, Obj2 = 2, Timeout = 3 }

/// <summary>One finished episode: how it ended, its length, its level and its undiscounted return.</summary>
public readonly record struct EpisodeInfo(Outcome Outcome, int Steps, int LevelSeed, float Return);

/// <summary>What one step of a single game returns (Gymnasium's reward, terminated, truncated, info).</summary>
/// <param name="Terminated">An object was reached.</param>
/// <param name="Truncated">The timeout was reached without an object.</param>
/// <param name="Reached">The object reached this step (<see cref="Outcome.None"/> if none).</param>
/// <param name="Steps">Steps taken in this episode so far, this one included.</param>
public readonly record struct StepResult(float Reward, bool Terminated, bool Truncated, Outcome Reached, int Steps)
{
    public bool Done => Terminated || Truncated;
}
