using Misgen.Eval;

namespace Misgen.Analysis;

/// <summary>
/// GIFs for the report's outliers: replays the stored episode that shows the unusual behaviour (an
/// episode reaching the object the agent unusually prefers, or its longest or shortest episode when
/// its capability is unusual) from the agent's weights, when its directory is still at hand.
/// </summary>
public static class OutlierVideos
{
    public static Func<OutlierVideoRequest, byte[]?> From(ResultsStore store, int maxFrames = 100) => request =>
    {
        string? directory = request.Agent.Directory;
        if (directory is null || !AgentDirectory.IsAgent(directory)) return null;
        var reason = request.Reason;
        int? level;
        if (reason is null) level = store.FindLevel(request.Agent.Name, request.Setting.Spec, null, longest: false);
        else if (reason.Feature.Metric == Feature.Preference)
        {
            byte outcome = reason.Value >= reason.Median ? Metrics.Obj1Outcome : Metrics.Obj2Outcome;
            level = store.FindLevel(request.Agent.Name, request.Setting.Spec, outcome, longest: false);
        }
        else level = store.FindLevel(request.Agent.Name, request.Setting.Spec, null, longest: reason.Value > reason.Median);
        if (level is null) return null;
        var agent = AgentDirectory.Load(directory);
        var (frames, _) = EpisodeRecorder.Record(agent.Model, request.Agent.Name, request.Setting, level.Value, maxFrames);
        return EpisodeRecorder.Gif(frames, agent.Model.Config.InputSize);
    };
}
