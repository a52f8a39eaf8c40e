using System.Text;
using System.Text.Json;
using Misgen.Envs;
using Misgen.Eval;
using Misgen.Nn;

namespace Misgen.Native;

/// <summary>The JSON descriptions the C ABI returns (games, a VecEnv, an agent), written without reflection.</summary>
internal static class Json
{
    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            body(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void WriteGames(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var game in GameCatalogue.All) WriteGame(writer, game);
        writer.WriteEndArray();
    }

    private static void WriteGame(Utf8JsonWriter writer, GameDefinition game)
    {
        writer.WriteStartObject();
        writer.WriteString("name", game.Name);
        writer.WriteString("summary", game.Summary);
        writer.WriteString("body_grammar", game.BodyGrammar);
        Strings(writer, "examples", game.Examples);
        writer.WriteStartArray("options");
        foreach (var option in game.Options)
        {
            writer.WriteStartObject();
            writer.WriteString("key", option.Key);
            writer.WriteString("default", option.Default);
            writer.WriteString("valid", option.Valid);
            writer.WriteString("help", option.Help);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        WriteRules(writer, game);
        writer.WriteNumber("default_observation_size", game.DefaultObservationSize);
        writer.WriteEndObject();
    }

    /// <summary>What a game's episodes and actions are: shared by a game's and a VecEnv's description.</summary>
    private static void WriteRules(Utf8JsonWriter writer, GameDefinition game)
    {
        writer.WriteNumber("actions", game.Actions.Count);
        writer.WriteStartObject("action_groups");
        foreach (var (name, actions) in game.Actions.Groups)
        {
            writer.WriteStartArray(name);
            foreach (int action in actions) writer.WriteNumberValue(action);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.WriteNumber("channels", game.ObservationChannels);
        Strings(writer, "channel_names", game.ChannelNames);
        writer.WriteStartArray("outcomes");
        foreach (var outcome in game.Outcomes)
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", outcome.Code);
            writer.WriteString("name", outcome.Name);
            writer.WriteBoolean("success", outcome.IsSuccess);
            writer.WriteBoolean("timeout", outcome.IsTimeout);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        Strings(writer, "facts", game.Facts);
    }

    public static void WriteEnv(Utf8JsonWriter writer, VecEnv env)
    {
        writer.WriteStartObject();
        writer.WriteString("spec", env.Spec.ToString());
        writer.WriteString("game", env.Spec.Game.Name);
        writer.WriteNumber("num_envs", env.Count);
        writer.WriteNumber("observation_size", env.ObservationSize);
        writer.WriteNumber("timeout", env.Spec.Timeout);
        WriteRules(writer, env.Spec.Game);
        writer.WriteEndObject();
    }

    public static void WriteAgent(Utf8JsonWriter writer, AgentRecord record, ImpalaCnn model, IReadOnlyList<Interp.PatchSpec>? patches)
    {
        writer.WriteStartObject();
        writer.WriteString("name", record.Name);
        writer.WriteString("directory", record.Directory);
        writer.WriteString("train_spec", record.TrainSpec);
        writer.WriteString("preset", record.Preset);
        if (record.Seed is long seed) writer.WriteNumber("seed", seed);
        else writer.WriteNull("seed");
        writer.WriteString("model_sha256", record.ModelSha256);
        var config = model.Config;
        writer.WriteNumber("input_size", config.InputSize);
        writer.WriteNumber("channels", config.Channels);
        writer.WriteNumber("actions", config.Actions);
        writer.WriteNumber("hidden", config.Hidden);
        writer.WriteStartArray("widths");
        writer.WriteNumberValue(config.Width1);
        writer.WriteNumberValue(config.Width2);
        writer.WriteNumberValue(config.Width3);
        writer.WriteEndArray();
        Strings(writer, "patches", (patches ?? []).Select(p => p.Text));
        writer.WriteStartObject("hook_points");
        foreach (string point in ImpalaCnn.HookPoints)
        {
            var (c, h, w) = model.HookShape(point);
            writer.WriteStartArray(point);
            writer.WriteNumberValue(c);
            writer.WriteNumberValue(h);
            writer.WriteNumberValue(w);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteField(Utf8JsonWriter writer, string level, Interp.VectorField field)
    {
        writer.WriteStartObject();
        writer.WriteString("spec", field.Spec.ToString());
        writer.WriteString("level", level);
        writer.WriteNumber("grid_width", field.GridWidth);
        writer.WriteNumber("grid_height", field.GridHeight);
        Strings(writer, "groups", field.GroupNames);
        writer.WriteStartArray("cells");
        foreach (var (x, y) in field.Cells)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(x);
            writer.WriteNumberValue(y);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("probabilities");
        foreach (float p in field.Probabilities) writer.WriteNumberValue(p);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }
}
