using Misgen.Eval;
using Misgen.Studies;
using Misgen.Studies.KeysChests;

namespace Misgen.Tests.Studies;

public sealed class KeysChestsStudyTests
{
    [Fact]
    public void The_study_covers_heist_trains_on_many_chests_and_tests_on_many_keys()
    {
        Assert.Same(KeysChestsStudy.Instance, StudyCatalogue.For("heist:many-keys;mode=easy"));
        var condition = StudyCatalogue.Condition("heist:many-chests");
        Assert.Equal(["heist:many-keys", "heist:many-chests"], condition.Settings.Select(s => s.Spec));
        Assert.Equal("heist:many-chests;mode=easy;timeout=300", StudyCatalogue.Resolve("heist:many-keys;timeout=300;mode=easy").Condition);
    }

    [Fact]
    public void Summarise_counts_keys_beyond_the_chests_and_steps_after_the_last_chest()
    {
        // facts: keys_collected, chests_opened, keys_held, keys_total, chests_total, steps_after_last_chest, keys_after_last_chest
        EpisodeRow Row(byte outcome, int steps, params float[] facts) => new("a", "heist:many-keys", 0, outcome, steps, facts[1], new FactValues(facts));
        var rows = new[]
        {
            Row(1, 100, 5, 3, 2, 6, 3, 0, 0),     // complete: 3 chests, 5 keys picked up (2 beyond what 3 chests need)
            Row(2, 1000, 4, 1, 3, 4, 2, 900, 3),  // timeout: one chest of 2, then 900 steps and 3 more keys
        };
        var m = Assert.Single(KeysChestsStudy.Summarise(rows));
        Assert.Equal(2, m.Episodes);
        Assert.Equal(0.5, m.Complete);
        Assert.Equal((1.0 + 0.5) / 2, m.ChestsOpened);
        Assert.Equal((2.0 + 2.0) / 2, m.KeysBeyondNeeded);
        Assert.Equal(2.5, m.KeysUnused);
        Assert.Equal(900.0 / 1100, m.AfterLastChest, 12);
        Assert.Equal(1.5, m.KeysAfterLastChest);
        Assert.Equal(550, m.MeanSteps);
    }
}
