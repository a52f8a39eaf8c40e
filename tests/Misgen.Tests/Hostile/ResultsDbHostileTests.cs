using Microsoft.Data.Sqlite;
using Misgen.Eval;
using Misgen.Nn;

namespace Misgen.Tests.Hostile;

/// <summary>
/// results.db as a hostile user hands it over (issue items 2, 10 and 12): empty, with a renamed column, with rows
/// changed by hand, and two different agents under one name. Every case is refused with exit code 2, a message
/// naming the problem, and the file as it was.
/// </summary>
public sealed class ResultsDbHostileTests : HostileKit
{
    private string AgentAt(string folder, ulong seed)
    {
        string dir = PathOf(folder);
        Directory.CreateDirectory(dir);
        Safetensors.Save(Path.Combine(dir, "model.safetensors"),
            new ImpalaCnn(new ImpalaConfig(InputSize: 16, Width1: 2, Width2: 2, Width3: 2, Hidden: 8), seed));
        return dir;
    }

    private string EvaluatedDb()
    {
        string agent = AgentAt("agents/s1", 1);
        var o = Misgen("eval", agent, "--setting", "maze:red-line+yellow-gem@black;timeout=20", "--levels", "6", "--out", PathOf("results.db"));
        Assert.True(o.ExitCode == 0, o.ToString());
        SqliteConnection.ClearAllPools();
        return PathOf("results.db");
    }

    private static void Sql(string db, string sql)
    {
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            using var command = c.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void Export_and_report_of_an_empty_file_are_refused_and_it_stays_empty()
    {
        File.WriteAllBytes(PathOf("empty.db"), []);
        RefusedWithoutChanges(["export", "empty.db", "--out", "csv"], "empty.db", "empty");
        RefusedWithoutChanges(["report", "empty.db", "--out", "r.html"], "empty.db");
        Assert.Equal(0, new FileInfo(PathOf("empty.db")).Length);
    }

    [Fact]
    public void A_renamed_column_is_named_by_report_export_and_eval()
    {
        string db = EvaluatedDb();
        Sql(db, "ALTER TABLE episodes RENAME COLUMN steps TO stepz;");
        RefusedWithoutChanges(["report", "results.db", "--out", "r.html"], "episodes", "steps");
        RefusedWithoutChanges(["export", "results.db", "--out", "csv"], "episodes", "steps");
        RefusedWithoutChanges(["eval", "agents/s1", "--setting", "maze:red-line+yellow-gem@black;timeout=20", "--levels", "6", "--out", "results.db"], "steps");
    }

    [Fact]
    public void Rows_changed_by_hand_are_refused_not_counted()
    {
        string db = EvaluatedDb();
        Sql(db, "UPDATE episodes SET outcome = 7 WHERE level_seed = 100002;");
        RefusedWithoutChanges(["report", "results.db", "--out", "r.html"], "outcome code 7", "s1");
        RefusedWithoutChanges(["export", "results.db", "--out", "csv"], "outcome code 7");
        string db2 = EvaluatedDbAt("second.db");
        Sql(db2, "UPDATE episodes SET steps = 'many' WHERE level_seed = 100001;");
        RefusedWithoutChanges(["export", "second.db", "--out", "csv"], "second.db", "damaged");
    }

    private string EvaluatedDbAt(string name)
    {
        var o = Misgen("eval", AgentAt("agents/t1", 3), "--setting", "maze:red-line+yellow-gem@black;timeout=20", "--levels", "4", "--out", PathOf(name));
        Assert.True(o.ExitCode == 0, o.ToString());
        SqliteConnection.ClearAllPools();
        return PathOf(name);
    }

    [Fact]
    public void Two_different_agents_of_one_folder_name_are_not_merged()
    {
        string a = AgentAt("runs/a/s1", 1), b = AgentAt("runs/b/s1", 2);
        string[] setting = ["--setting", "maze:red-line+yellow-gem@black;timeout=20", "--levels", "5", "--out", PathOf("results.db")];
        Assert.Equal(0, Misgen(["eval", a, .. setting]).ExitCode);
        SqliteConnection.ClearAllPools();
        var o = Misgen(["eval", b, .. setting]);
        AssertRefused(o, "s1", a, b);
        SqliteConnection.ClearAllPools();
        using var store = ResultsStore.OpenRead(PathOf("results.db"));
        var agent = Assert.Single(store.Agents());
        Assert.Equal(a, agent.Directory);
        Assert.Equal(5, store.EpisodeCount());
    }

    [Fact]
    public void A_trailing_slash_keeps_the_agent_s_name()
    {
        string a = AgentAt("agents/s7", 7);
        var o = Misgen("eval", a + Path.DirectorySeparatorChar, "--setting", "maze:red-line+yellow-gem@black;timeout=20", "--levels", "3", "--out", PathOf("results.db"));
        Assert.True(o.ExitCode == 0, o.ToString());
        SqliteConnection.ClearAllPools();
        using var store = ResultsStore.OpenRead(PathOf("results.db"));
        Assert.Equal("s7", Assert.Single(store.Agents()).Name);
    }
}
