using Misgen.Envs.Maze;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Misgen.Envs;

namespace Misgen.Eval;

/// <summary>
/// results.db: the evaluated agents, the settings, and one row per episode keyed by
/// (agent, setting, level seed). Inserting an episode that is already there does nothing, so an
/// interrupted evaluation is resumed by asking <see cref="DoneLevelSeeds"/> and running the rest;
/// reruns never duplicate. Metrics are computed by queries from the episodes, never stored.
/// The schema is documented in the README ("results.db").
/// </summary>
public sealed class ResultsStore : IDisposable
{
    public const int SchemaVersion = 1;

    private static int sqliteReady;
    private readonly SqliteConnection connection;

    private ResultsStore(SqliteConnection connection, string path)
    {
        this.connection = connection;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens results.db, creating it (and its folder) unless <paramref name="mustExist"/>.</summary>
    public static ResultsStore Open(string path, bool mustExist = false)
    {
        if (Interlocked.Exchange(ref sqliteReady, 1) == 0) SQLitePCL.Batteries_V2.Init();
        string full = System.IO.Path.GetFullPath(path);
        if (mustExist && !File.Exists(full)) throw new MisgenInputException($"no results database at '{path}'");
        if (!mustExist) Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full) ?? ".");
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = mustExist ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 60,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            var store = new ResultsStore(connection, full);
            store.Initialise(mustExist, path);
            return store;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new MisgenInputException($"'{path}' is not a readable results database: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Initialise(bool mustExist, string shownPath)
    {
        // Several evaluation processes (a sweep on one machine) may share a file: WAL lets readers
        // run beside one writer, and the busy timeout makes writers queue instead of failing.
        Execute("PRAGMA busy_timeout = 60000;");
        Execute("PRAGMA journal_mode = WAL;");
        Execute("PRAGMA synchronous = NORMAL;");
        Execute("PRAGMA foreign_keys = ON;");
        long version = Scalar<long>("PRAGMA user_version;");
        if (version > SchemaVersion)
            throw new MisgenInputException($"'{shownPath}' has results schema {version}; this misgen reads up to {SchemaVersion}");
        bool hasEpisodes = Scalar<long>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'episodes';") == 1;
        if (mustExist && !hasEpisodes) throw new MisgenInputException($"'{shownPath}' is not a misgen results database (no episodes table)");
        if (hasEpisodes) return;
        using var transaction = connection.BeginTransaction();
        Execute("""
            CREATE TABLE IF NOT EXISTS agents (
                agent_id   INTEGER PRIMARY KEY,
                name       TEXT NOT NULL UNIQUE,
                directory  TEXT,
                train_spec TEXT,
                preset     TEXT,
                seed       INTEGER,
                train_csv  TEXT
            );
            CREATE TABLE IF NOT EXISTS settings (
                setting_id INTEGER PRIMARY KEY,
                spec       TEXT NOT NULL UNIQUE,
                condition  TEXT,
                obj1       TEXT NOT NULL,
                obj2       TEXT,
                timeout    INTEGER NOT NULL DEFAULT 500
            );
            CREATE TABLE IF NOT EXISTS episodes (
                agent_id   INTEGER NOT NULL REFERENCES agents(agent_id),
                setting_id INTEGER NOT NULL REFERENCES settings(setting_id),
                level_seed INTEGER NOT NULL,
                outcome    INTEGER NOT NULL CHECK (outcome IN (1, 2, 3)),
                steps      INTEGER NOT NULL,
                return     REAL NOT NULL,
                PRIMARY KEY (agent_id, setting_id, level_seed)
            ) WITHOUT ROWID;
            CREATE VIEW IF NOT EXISTS metrics AS
                SELECT a.name AS agent, s.spec AS setting,
                       count(*) AS episodes,
                       sum(e.outcome = 1) AS obj1,
                       sum(e.outcome = 2) AS obj2,
                       sum(e.outcome = 3) AS timeouts,
                       avg(CASE WHEN e.outcome = 3 THEN s.timeout ELSE e.steps END) AS mean_steps
                FROM episodes e
                JOIN agents a ON a.agent_id = e.agent_id
                JOIN settings s ON s.setting_id = e.setting_id
                GROUP BY e.agent_id, e.setting_id;
            """, transaction);
        Execute($"PRAGMA user_version = {SchemaVersion};", transaction);
        transaction.Commit();
    }

    /// <summary>Adds the agent, or fills in fields it did not have yet; returns its id.</summary>
    public int AddAgent(AgentRecord agent)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO agents (name, directory, train_spec, preset, seed, train_csv)
            VALUES ($name, $directory, $train_spec, $preset, $seed, $train_csv)
            ON CONFLICT(name) DO UPDATE SET
                directory  = coalesce(excluded.directory, directory),
                train_spec = coalesce(excluded.train_spec, train_spec),
                preset     = coalesce(excluded.preset, preset),
                seed       = coalesce(excluded.seed, seed),
                train_csv  = coalesce(excluded.train_csv, train_csv);
            SELECT agent_id FROM agents WHERE name = $name;
            """;
        command.Parameters.AddWithValue("$name", agent.Name);
        command.Parameters.AddWithValue("$directory", (object?)agent.Directory ?? DBNull.Value);
        command.Parameters.AddWithValue("$train_spec", (object?)agent.TrainSpec ?? DBNull.Value);
        command.Parameters.AddWithValue("$preset", (object?)agent.Preset ?? DBNull.Value);
        command.Parameters.AddWithValue("$seed", (object?)agent.Seed ?? DBNull.Value);
        command.Parameters.AddWithValue("$train_csv", (object?)agent.TrainCsv ?? DBNull.Value);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Adds the setting (a catalogued setting keeps its training condition); returns its id.</summary>
    public int AddSetting(Setting setting)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO settings (spec, condition, obj1, obj2, timeout) VALUES ($spec, $condition, $obj1, $obj2, $timeout)
            ON CONFLICT(spec) DO UPDATE SET condition = coalesce(condition, excluded.condition);
            SELECT setting_id FROM settings WHERE spec = $spec;
            """;
        command.Parameters.AddWithValue("$spec", setting.Spec);
        command.Parameters.AddWithValue("$condition", (object?)setting.Condition ?? DBNull.Value);
        command.Parameters.AddWithValue("$obj1", setting.Obj1);
        command.Parameters.AddWithValue("$obj2", (object?)setting.Obj2 ?? DBNull.Value);
        command.Parameters.AddWithValue("$timeout", setting.Timeout);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Stores episodes of one agent on one setting in one transaction; episodes whose level seed is
    /// already stored are ignored (the first result wins). Returns how many were new.
    /// </summary>
    public int AddEpisodes(int agentId, int settingId, ReadOnlySpan<Episode> episodes)
    {
        if (episodes.IsEmpty) return 0;
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR IGNORE INTO episodes (agent_id, setting_id, level_seed, outcome, steps, return)
            VALUES ($agent, $setting, $seed, $outcome, $steps, $return);
            """;
        var agent = command.Parameters.Add("$agent", SqliteType.Integer);
        var setting = command.Parameters.Add("$setting", SqliteType.Integer);
        var seed = command.Parameters.Add("$seed", SqliteType.Integer);
        var outcome = command.Parameters.Add("$outcome", SqliteType.Integer);
        var steps = command.Parameters.Add("$steps", SqliteType.Integer);
        var reward = command.Parameters.Add("$return", SqliteType.Real);
        command.Prepare();
        agent.Value = agentId;
        setting.Value = settingId;
        int inserted = 0;
        foreach (var episode in episodes)
        {
            if (episode.Outcome is not (Outcome.Obj1 or Outcome.Obj2 or Outcome.Timeout))
                throw new ArgumentException($"episode on level {episode.LevelSeed} has no outcome ({episode.Outcome})", nameof(episodes));
            seed.Value = episode.LevelSeed;
            outcome.Value = (int)episode.Outcome;
            steps.Value = episode.Steps;
            reward.Value = (double)episode.Return;
            inserted += command.ExecuteNonQuery();
        }
        transaction.Commit();
        return inserted;
    }

    /// <summary>The level seeds already evaluated for this agent and setting (to resume).</summary>
    public HashSet<int> DoneLevelSeeds(int agentId, int settingId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT level_seed FROM episodes WHERE agent_id = $agent AND setting_id = $setting;";
        command.Parameters.AddWithValue("$agent", agentId);
        command.Parameters.AddWithValue("$setting", settingId);
        var done = new HashSet<int>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) done.Add(reader.GetInt32(0));
        return done;
    }

    public IReadOnlyList<AgentRecord> Agents()
    {
        var agents = new List<AgentRecord>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, directory, train_spec, preset, seed, train_csv FROM agents ORDER BY agent_id;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            agents.Add(new AgentRecord(reader.GetString(0), NullableString(reader, 1), NullableString(reader, 2),
                NullableString(reader, 3), reader.IsDBNull(4) ? null : reader.GetInt64(4), NullableString(reader, 5)));
        return agents;
    }

    public IReadOnlyList<Setting> Settings()
    {
        var settings = new List<Setting>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT spec, condition FROM settings ORDER BY setting_id;";
        using var reader = command.ExecuteReader();
        while (reader.Read()) settings.Add(new Setting(reader.GetString(0), NullableString(reader, 1)));
        return settings;
    }

    /// <summary>Metrics of every (agent, setting) pair that has episodes, in agent then setting order.</summary>
    public IReadOnlyList<Metrics> Metrics()
    {
        var metrics = new List<Metrics>();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT m.agent, m.setting, m.episodes, m.obj1, m.obj2, m.timeouts, m.mean_steps
            FROM metrics m
            JOIN agents a ON a.name = m.agent
            JOIN settings s ON s.spec = m.setting
            ORDER BY a.agent_id, s.setting_id;
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
            metrics.Add(new Metrics(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetDouble(6)));
        return metrics;
    }

    /// <summary>Every stored episode in (agent, setting, level seed) order, streamed.</summary>
    public IEnumerable<EpisodeRow> Episodes()
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.name, s.spec, e.level_seed, e.outcome, e.steps, e.return
            FROM episodes e
            JOIN agents a ON a.agent_id = e.agent_id
            JOIN settings s ON s.setting_id = e.setting_id
            ORDER BY e.agent_id, e.setting_id, e.level_seed;
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
            yield return new EpisodeRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                (Outcome)reader.GetInt32(3), reader.GetInt32(4), (float)reader.GetDouble(5));
    }

    /// <summary>Level seed range, episodes per (agent, setting) and agents per setting.</summary>
    public StudyProtocol Protocol()
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*), coalesce(min(level_seed), 0), coalesce(max(level_seed), 0) FROM episodes;
            SELECT coalesce(min(n), 0), coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM episodes GROUP BY agent_id, setting_id);
            SELECT s.spec, count(DISTINCT e.agent_id) FROM episodes e JOIN settings s ON s.setting_id = e.setting_id GROUP BY e.setting_id;
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        long episodes = reader.GetInt64(0), minSeed = reader.GetInt64(1), maxSeed = reader.GetInt64(2);
        reader.NextResult();
        reader.Read();
        long minPerPair = reader.GetInt64(0), maxPerPair = reader.GetInt64(1);
        reader.NextResult();
        var perSetting = new Dictionary<string, int>();
        while (reader.Read()) perSetting[reader.GetString(0)] = reader.GetInt32(1);
        return new StudyProtocol(episodes, minSeed, maxSeed, minPerPair, maxPerPair, perSetting);
    }

    /// <summary>
    /// A level on which the agent's episode on the setting ended with <paramref name="outcome"/> (any
    /// outcome when null), the one with the most steps when <paramref name="longest"/>, else the fewest;
    /// null when there is none. Used to pick which episode a video shows.
    /// </summary>
    public int? FindLevel(string agent, string setting, Outcome? outcome, bool longest)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT e.level_seed FROM episodes e
            JOIN agents a ON a.agent_id = e.agent_id JOIN settings s ON s.setting_id = e.setting_id
            WHERE a.name = $agent AND s.spec = $setting AND ($outcome IS NULL OR e.outcome = $outcome)
            ORDER BY e.steps {(longest ? "DESC" : "ASC")}, e.level_seed LIMIT 1;
            """;
        command.Parameters.AddWithValue("$agent", agent);
        command.Parameters.AddWithValue("$setting", setting);
        command.Parameters.AddWithValue("$outcome", outcome is null ? DBNull.Value : (int)outcome.Value);
        object? value = command.ExecuteScalar();
        return value is null or DBNull ? null : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    public long EpisodeCount() => Scalar<long>("SELECT count(*) FROM episodes;");

    public void Dispose() => connection.Dispose();

    private static string? NullableString(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private void Execute(string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private T Scalar<T>(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }
}
