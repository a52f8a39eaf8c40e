using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Misgen.Envs.Maze;
using Misgen.Eval;
using Misgen.Studies;

namespace Misgen.Tests.Eval;

/// <summary>results.db schema 2: version-1 files open unchanged, migrate on the first write, and damage is named.</summary>
public sealed class ResultsSchemaTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-schema-");
    private string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    // The version-1 schema as the released misgen 0.1.0 wrote it (a fixture, not this code's DDL).
    private const string Version1 = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE agents (agent_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, directory TEXT, train_spec TEXT, preset TEXT, seed INTEGER, train_csv TEXT);
        CREATE TABLE settings (setting_id INTEGER PRIMARY KEY, spec TEXT NOT NULL UNIQUE, condition TEXT, obj1 TEXT NOT NULL, obj2 TEXT, timeout INTEGER NOT NULL DEFAULT 500);
        CREATE TABLE episodes (agent_id INTEGER NOT NULL REFERENCES agents(agent_id), setting_id INTEGER NOT NULL REFERENCES settings(setting_id),
            level_seed INTEGER NOT NULL, outcome INTEGER NOT NULL CHECK (outcome IN (1, 2, 3)), steps INTEGER NOT NULL, return REAL NOT NULL,
            PRIMARY KEY (agent_id, setting_id, level_seed)) WITHOUT ROWID;
        CREATE VIEW metrics AS SELECT a.name AS agent, s.spec AS setting, count(*) AS episodes, sum(e.outcome = 1) AS obj1, sum(e.outcome = 2) AS obj2,
            sum(e.outcome = 3) AS timeouts, avg(CASE WHEN e.outcome = 3 THEN s.timeout ELSE e.steps END) AS mean_steps
            FROM episodes e JOIN agents a ON a.agent_id = e.agent_id JOIN settings s ON s.setting_id = e.setting_id GROUP BY e.agent_id, e.setting_id;
        PRAGMA user_version = 1;
        INSERT INTO agents VALUES (1, 'a', '/runs/a', 'maze:yellow-line@textured', 'fast', 1, NULL), (2, 'b', NULL, NULL, NULL, NULL, NULL);
        INSERT INTO settings VALUES (1, 'maze:red-line+yellow-gem@textured', 'maze:yellow-line@textured', 'red-line', 'yellow-gem', 500),
                                    (2, 'maze:green-line+yellow-gem@black;timeout=300', NULL, 'green-line', 'yellow-gem', 300);
        """;

    private string MakeVersion1(int episodesPerPair = 40)
    {
        string path = Path.Combine(dir, "v1.db");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var command = c.CreateCommand();
            command.CommandText = Version1;
            command.ExecuteNonQuery();
            var rng = new Rng(3);
            using var tx = c.BeginTransaction();
            for (int agent = 1; agent <= 2; agent++)
            for (int setting = 1; setting <= 2; setting++)
            for (int level = 0; level < episodesPerPair; level++)
            {
                int outcome = 1 + rng.NextInt(3);
                int steps = outcome == 3 ? (setting == 1 ? 500 : 300) : 1 + rng.NextInt(60);
                using var insert = c.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = $"INSERT INTO episodes VALUES ({agent}, {setting}, {100000 + level}, {outcome}, {steps}, {(outcome == 1 ? 10 : outcome == 2 ? -10 : 0)});";
                insert.ExecuteNonQuery();
            }
            tx.Commit();
            using var checkpoint = c.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;";
            checkpoint.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        return path;
    }

    // The metrics the version-1 view computes, read with plain SQL: the independent reference.
    private static List<(string, string, long, long, long, long, double)> ViewMetrics(string path)
    {
        using var c = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = "SELECT agent, setting, episodes, obj1, obj2, timeouts, mean_steps FROM metrics ORDER BY agent, setting;";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, long, long, long, long, double)>();
        while (reader.Read())
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetDouble(6)));
        return rows;
    }

    private static List<(string, string, long, long, long, long, double)> StoreMetrics(ResultsStore store) =>
        store.Metrics().Select(m => (m.Agent, m.Setting, m.Episodes, m.Obj1, m.Obj2, m.Timeouts, m.MeanSteps))
            .OrderBy(m => m.Agent, StringComparer.Ordinal).ThenBy(m => m.Setting, StringComparer.Ordinal).ToList();

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void A_version_1_file_is_read_unchanged_with_the_same_metrics()
    {
        string path = MakeVersion1();
        var expected = ViewMetrics(path);
        string before = Hash(path);
        using (var store = ResultsStore.OpenRead(path))
        {
            Assert.Equal(1, store.Version);
            Assert.Equal(expected, StoreMetrics(store));
            Assert.Equal(160, store.Episodes().Count());
            Assert.Equal(["a", "b"], store.Agents().Select(a => a.Name));
            Assert.Equal("red-line", store.Settings()[0].Obj1);
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public void The_first_write_migrates_to_version_2_keeping_every_episode_and_metric()
    {
        string path = MakeVersion1();
        var expected = ViewMetrics(path);
        using (var store = ResultsStore.Open(path, mustExist: true))
        {
            Assert.Equal(2, store.Version);
            Assert.Equal(expected, StoreMetrics(store));
            // New episodes go in beside the migrated ones.
            int agent = store.AddAgent(new AgentRecord("c", ModelSha256: new string('0', 64)));
            int setting = store.AddSetting(StudyCatalogue.Resolve("room"));
            store.AddEpisodes(agent, setting, [new Episode(1, 1, 3, 10, new FactValues([3f]))]);
        }
        SqliteConnection.ClearAllPools();
        // Schema 2 as SQLite sees it: the version, the game column filled in, and the migrated rows.
        using var c = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = "PRAGMA user_version; SELECT group_concat(game) FROM settings; SELECT count(*), count(facts) FROM episodes;";
        using var reader = command.ExecuteReader();
        reader.Read();
        Assert.Equal(2, reader.GetInt64(0));
        reader.NextResult();
        reader.Read();
        Assert.Equal("maze,maze,room", reader.GetString(0));
        reader.NextResult();
        reader.Read();
        Assert.Equal((161L, 1L), (reader.GetInt64(0), reader.GetInt64(1)));
        c.Close();
        using var again = ResultsStore.OpenRead(path);
        Assert.Equal(expected, StoreMetrics(again).Where(m => m.Item1 != "c").ToList());
        Assert.Equal(3f, again.Episodes("room").Single().Facts[0]);
    }

    [Fact]
    public void An_outcome_the_game_does_not_define_is_refused_not_counted()
    {
        string path = MakeVersion1();
        using (var store = ResultsStore.Open(path, mustExist: true)) { }
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var command = c.CreateCommand();
            command.CommandText = "UPDATE episodes SET outcome = 9 WHERE level_seed = 100003 AND agent_id = 2 AND setting_id = 1;";
            Assert.Equal(1, command.ExecuteNonQuery());
        }
        SqliteConnection.ClearAllPools();
        using var store2 = ResultsStore.OpenRead(path);
        var e = Assert.Throws<MisgenInputException>(() => store2.Metrics());
        Assert.Contains("outcome code 9", e.Message);
        Assert.Contains("obj1", e.Message);
        Assert.Throws<MisgenInputException>(() => store2.Episodes().ToList());
    }

    [Fact]
    public void A_renamed_column_names_the_table_and_column()
    {
        string path = MakeVersion1();
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var command = c.CreateCommand();
            command.CommandText = "ALTER TABLE episodes RENAME COLUMN steps TO stepz;";
            command.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        string before = Hash(path);
        var e = Assert.Throws<MisgenInputException>(() => ResultsStore.Open(path, mustExist: true));
        Assert.Contains("episodes", e.Message);
        Assert.Contains("steps", e.Message);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public void An_empty_file_is_refused_and_stays_empty()
    {
        string path = Path.Combine(dir, "empty.db");
        File.WriteAllBytes(path, []);
        Assert.Contains("empty", Assert.Throws<MisgenInputException>(() => ResultsStore.OpenRead(path)).Message);
        Assert.Throws<MisgenInputException>(() => ResultsStore.Open(path, mustExist: true));
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void Two_different_agents_of_one_name_are_refused_and_a_trailing_slash_keeps_the_name()
    {
        using var store = ResultsStore.Open(Path.Combine(dir, "r.db"));
        store.AddAgent(new AgentRecord("s1", "/runs/a/s1", ModelSha256: new string('a', 64)));
        store.AddAgent(new AgentRecord("s1", "/runs/a/s1", ModelSha256: new string('a', 64))); // the same agent again
        var e = Assert.Throws<MisgenInputException>(() => store.AddAgent(new AgentRecord("s1", "/runs/b/s1", ModelSha256: new string('b', 64))));
        Assert.Contains("/runs/a/s1", e.Message);
        Assert.Contains("/runs/b/s1", e.Message);
        Assert.Equal("/runs/a/s1", Assert.Single(store.Agents()).Directory);
        Assert.Equal("agent", Path.GetFileName(AgentDirectory.FullPath(Path.Combine(dir, "agent") + Path.DirectorySeparatorChar)));
    }

    [Fact]
    public void The_maze_outcome_codes_are_the_ones_version_1_stored()
    {
        // Version-1 files hold 1 obj1, 2 obj2, 3 timeout; the maze must keep reading them that way.
        Assert.Equal((1, 2, 3), ((int)MazeOutcome.Obj1, (int)MazeOutcome.Obj2, (int)MazeOutcome.Timeout));
        var maze = MazeDefinition.Instance;
        Assert.Equal(["obj1", "obj2", "timeout"], maze.Outcomes.Select(o => o.Name));
    }
}
