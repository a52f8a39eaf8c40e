using Misgen.Envs;

namespace Misgen.Rl;

/// <summary>
/// How a recipe is built, in one place for the train verb, sweep tasks and the demo: a preset (standard, or
/// one a game adds), the game's adjustments of it for the spec, the training levels, then the user's
/// <c>key=value</c> overrides, validated before anything is written.
/// </summary>
public static class Recipe
{
    /// <summary>Preset names valid for a spec: the standard ones and its game's own.</summary>
    public static IReadOnlyList<string> PresetNames(EnvSpec spec) =>
        [.. PpoConfig.PresetNames, .. spec.Game.Presets.Select(p => p.Name)];

    /// <summary>The preset's config for <paramref name="spec"/>, with the game's adjustments.</summary>
    public static PpoConfig Config(string preset, EnvSpec spec)
    {
        var own = spec.Game.Presets.FirstOrDefault(p => p.Name == preset);
        if (own is null && !PpoConfig.PresetNames.Contains(preset))
            throw MisgenInputException.Unknown($"preset for {spec.Game.Name}", preset, PresetNames(spec));
        string basePreset = own?.BasePreset ?? preset;
        var config = PpoConfig.Preset(basePreset);
        foreach (string assignment in spec.Game.PresetOverrides(basePreset, spec)) config.Set(assignment);
        foreach (string assignment in own?.Overrides ?? []) config.Set(assignment);
        return config;
    }

    /// <summary>A validated agent manifest: preset, game adjustments, training levels (when given), then overrides.</summary>
    public static AgentManifest Manifest(EnvSpec spec, string preset, ulong seed, IEnumerable<string> overrides,
                                         (int Start, int Count)? trainLevels = null)
    {
        var config = Config(preset, spec);
        if (trainLevels is var (start, count))
        {
            config.StartLevel = start;
            config.NumLevels = count;
        }
        foreach (string assignment in overrides) config.Set(assignment);
        config.Validate();
        return new AgentManifest { Spec = spec.ToString(), Preset = preset, Seed = seed, Config = config };
    }
}
