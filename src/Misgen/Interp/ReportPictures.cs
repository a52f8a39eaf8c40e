using System.Globalization;
using Misgen.Analysis;
using Misgen.Envs;
using Misgen.Eval;
using Misgen.Media;
using Misgen.Nn;

namespace Misgen.Interp;

/// <summary>
/// The pictures of the report's "Inside the agents", drawn from the agent's weights when its directory is at hand:
/// the vector field over the test level (games with a grid the agent can be placed on) and integrated gradients of
/// the value at the level's first step.
/// </summary>
public static class ReportPictures
{
    public static Func<InsideRequest, InsidePictures?> From(int fieldScale = 4, int heatmapScale = 3) => request =>
    {
        string? directory = request.Agent.Directory;
        if (directory is null || !AgentDirectory.IsAgent(directory)) return null;
        if (AgentDirectory.Load(directory).Model is not ImpalaCnn model) return null;
        int size = model.Config.InputSize;
        var level = new LevelSource(request.Setting.Env, request.Level);
        var game = level.Create();

        string? fieldSvg = null;
        string fieldCaption = "";
        if (game is IGridAgentGame grid)
        {
            var field = VectorField.Compute(model, grid);
            var picture = new FieldPicture(field, FieldPicture.LevelPicture(game, size), size, fieldScale);
            fieldCaption = string.Create(CultureInfo.InvariantCulture, $"vector field on {level} ({field.Cells.Count} open cells)");
            picture.Caption = fieldCaption;
            fieldSvg = picture.ToSvg();
        }

        var observation = Observations.Of(level.Create(), size);
        var attribution = new Attribution(model).IntegratedGradients(observation, AttributionTarget.Value);
        var rgb = request.Setting.Env.Game.ToRgb(observation, new ObservationShape(size, model.Config.Channels));
        var map = attribution.PixelSums();
        var (panels, width, height) = Heatmap.Panels([rgb, Heatmap.Overlay(rgb, map, size, size, size)], size, heatmapScale);
        string attributionCaption = string.Create(CultureInfo.InvariantCulture,
            $"{level}: observation and integrated gradients of the value ({attribution.Output:F3}; black baseline {attribution.BaselineOutput:F3})");
        return new InsidePictures(fieldSvg, fieldCaption, Png.Encode(panels, width, height), attributionCaption);
    };
}
