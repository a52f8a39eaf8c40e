using Misgen.Studies;
using Misgen.Eval;

namespace Misgen.Tests.Eval;

public sealed class SettingCatalogueTests
{
    [Theory]
    [InlineData("maze:yellow-line@textured", 16)]
    [InlineData("maze:yellow-line@black", 14)]
    [InlineData("maze:white-line@black", 11)]
    [InlineData("maze:yellow-line@grey", 11)]
    [InlineData("maze:red-line@grey", 11)]
    [InlineData("maze:red-line@black", 14)]
    public void Each_condition_has_the_published_number_of_settings(string condition, int count)
    {
        var settings = StudyCatalogue.Condition(condition).Settings;
        Assert.Equal(count, settings.Count);
        Assert.Equal(count, settings.Select(s => s.Spec).Distinct().Count());
        Assert.All(settings, s => Assert.Equal(condition, s.Condition));
    }

    [Fact]
    public void Settings_are_spelled_as_duel_specs_with_the_condition_background()
    {
        var textured = StudyCatalogue.Condition("maze:yellow-line@textured").Settings;
        Assert.Contains(textured, s => s.Spec == "maze:red-line+yellow-gem@textured");
        Assert.Contains(textured, s => s.Spec == "maze:yellow-line+yellow-line@textured");
        Assert.Contains(textured, s => s.Spec == "maze:black-line+white-line@textured");
        var red = StudyCatalogue.Resolve("maze:red-line+yellow-gem@textured");
        Assert.Equal(("red-line", "yellow-gem", "textured"), (red.Obj1, red.Obj2, red.Background));
        var white = StudyCatalogue.Condition("maze:white-line@black").Settings;
        Assert.Contains(white, s => s.Spec == "maze:red-line+white-gem@black");
        var mazes = StudyCatalogue.Settings.Where(s => s.Env.Game.Name == "maze").ToList(); // the gridworld study has its own
        Assert.All(mazes, s => Assert.EndsWith("@" + s.Condition!.Split('@')[1], s.Spec));
        Assert.Equal(77, mazes.Count);
    }

    [Fact]
    public void Unknown_condition_names_the_valid_ones()
    {
        var e = Assert.Throws<MisgenInputException>(() => StudyCatalogue.Condition("maze:mauve-line@black"));
        Assert.Contains("maze:mauve-line@black", e.Message);
        Assert.Contains("maze:yellow-line@textured", e.Message);
    }

    [Fact]
    public void Any_duel_spec_resolves_and_non_duels_are_rejected()
    {
        var adHoc = StudyCatalogue.Resolve("maze:cyan-gem+purple-gem@grey");
        Assert.Null(adHoc.Condition);
        Assert.Equal("purple-gem", adHoc.Obj2);
        Assert.Throws<MisgenInputException>(() => StudyCatalogue.Resolve("red-line"));
        Assert.Throws<MisgenInputException>(() => StudyCatalogue.Resolve("maze:mauve-line+yellow-gem@textured"));
        // Specs are kept in the canonical spelling, so "gray" and "grey" are one setting.
        Assert.Equal("maze:red-line+green-line@grey", StudyCatalogue.Resolve(" maze:red-line+green-line@gray ").Spec);
        Assert.Equal("maze:yellow-line@grey", StudyCatalogue.Resolve("maze:red-line+green-line@grey").Condition);
    }
}

public sealed class SettingsVerbTests
{
    [Fact]
    public void Lists_json_lines_for_a_condition_and_rejects_an_unknown_one()
    {
        int code = 0;
        string output = ConsoleCapture.Run(() => code = VerbRunner.Run("settings", "--condition", "maze:red-line@grey", "--json"));
        Assert.Equal(0, code);
        // Other test classes may print at the same time: keep only this verb's JSON lines.
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("{\"condition\":", StringComparison.Ordinal)).ToArray();
        Assert.Equal(11, lines.Length);
        var first = System.Text.Json.JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("maze:black-line+red-gem@grey", first.GetProperty("setting").GetString());
        Assert.Equal("maze:red-line@grey", first.GetProperty("condition").GetString());
        Assert.Equal(2, VerbRunner.Run("settings", "--condition", "maze:red-line@mauve"));
    }
}

/// <summary>Tests that redirect the console take this lock so their output does not mix.</summary>
