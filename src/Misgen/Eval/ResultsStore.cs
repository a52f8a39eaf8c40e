using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Misgen.Envs;

namespace Misgen.Eval;

/// <summary>
/// results.db: the evaluated agents, the settings, and one row per episode keyed by (agent, setting,
/// level seed). Inserting an episode that is already there does nothing, so an interrupted evaluation is
/// resumed by asking <see cref="DoneLevelSeeds"/> and running the rest; reruns never duplicate. Metrics are
/// computed from the episodes, never stored. The schema is documented in docs/RESULTS-DB.md.
/// </summary>
/// <remarks>
/// Schema 2 (this version) stores any game's outcome codes and per-episode facts and identifies an agent by
/// its name and its model's SHA-256. A schema-1 file (colour-versus-shape mazes only) is read as it is when
/// opened for reading, and migrated to schema 2 in one transaction the first time it is opened for writing.
/// </remarks>
public sealed class ResultsStore : IDisposable
{
    public const int SchemaVersion = 2;

    private static int sqliteReady;
    private readonly SqliteConnection connection;
    private readonly Dictionary<int, GameDefinition> gameOfSetting = new();
    private readonly Dictionary<string, EnvSpec> specs = new(StringComparer.Ordinal);
    private long version;

    private ResultsStore(SqliteConnection connection, string path, string shownPath, bool readOnly)
    {
        this.connection = connection;
        Path = path;
        ShownPath = shownPath;
        ReadOnly = readOnly;
    }

    public string Path { get; }
    private string ShownPath { get; }
    public bool ReadOnly { get; }

    /// <summary>The schema of the open file (1 for a file that was opened read-only and never migrated).</summary>
    public long Version => version;

    /// <summary>Opens results.db for writing, creating it (and its folder) unless <paramref name="mustExist"/>.</summary>
    public static ResultsStore Open(string path, bool mustExist = false) => OpenCore(path, mustExist, readOnly: false);

    /// <summary>Opens an existing results.db for reading only: nothing in the file is ever changed.</summary>
    public static ResultsStore OpenRead(string path) => OpenCore(path, mustExist: true, readOnly: true);

    private static ResultsStore OpenCore(string path, bool mustExist, bool readOnly)
    {
        if (Interlocked.Exchange(ref sqliteReady, 1) == 0) SQLitePCL.Batteries_V2.Init();
        string full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new MisgenInputException($"'{path}' is a folder, not a results database");
        if (mustExist && !File.Exists(full)) throw new MisgenInputException($"no results database at '{path}'");
        if (mustExist && new FileInfo(full).Length == 0)
            throw new MisgenInputException($"'{path}' is empty: not a misgen results database");
        if (!mustExist) Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full) ?? ".");
        // A read opens a cleanly closed file as immutable: SQLite then creates no -wal or -shm beside it, so reading
        // never writes. A -wal file means a writer is (or was) at work: read it the ordinary way to see its rows.
        bool immutable = readOnly && !File.Exists(full + "-wal");
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = immutable ? "file:" + Uri.EscapeDataString(full).Replace("%2F", "/") + "?immutable=1" : full,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : mustExist ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 60,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            var store = new ResultsStore(connection, full, path, readOnly);
            store.Initialise(mustExist);
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

    private void Initialise(bool mustExist)
    {
        Execute("PRAGMA busy_timeout = 60000;");
        version = Scalar<long>("PRAGMA user_version;");
        if (version > SchemaVersion)
            throw new MisgenInputException($"'{ShownPath}' has results schema {version}; this misgen reads up to {SchemaVersion}");
        bool hasEpisodes = Scalar<long>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'episodes';") == 1;
        if (mustExist && !hasEpisodes) throw new MisgenInputException($"'{ShownPath}' is not a misgen results database (no episodes table)");
        if (hasEpisodes) CheckColumns();
        if (ReadOnly) return;

        // Several evaluation processes (a sweep on one machine) may share a file: WAL lets readers run beside
        // one writer, and the busy timeout makes writers queue instead of failing.
        Execute("PRAGMA journal_mode = WAL;");
        Execute("PRAGMA synchronous = NORMAL;");
        if (!hasEpisodes) Create();
        else if (version < SchemaVersion) MigrateFromVersion1();
        Execute("PRAGMA foreign_keys = ON;");
    }

    private static readonly Dictionary<string, string[]> Version1Columns = new()
    {
        ["agents"] = ["agent_id", "name", "directory", "train_spec", "preset", "seed", "train_csv"],
        ["settings"] = ["setting_id", "spec", "condition", "obj1", "obj2", "timeout"],
        ["episodes"] = ["agent_id", "setting_id", "level_seed", "outcome", "steps", "return"],
    };

    private static readonly Dictionary<string, string[]> Version2Extra = new()
    {
        ["agents"] = ["model_sha256"],
        ["settings"] = ["game"],
        ["episodes"] = ["facts"],
    };

    // A file whose tables lack a column this code reads was damaged or made by something else: say which.
    private void CheckColumns()
    {
        foreach (var (table, columns) in Version1Columns)
        {
            var present = new HashSet<string>(StringComparer.Ordinal);
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA table_info({table});";
            using (var reader = command.ExecuteReader())
                while (reader.Read()) present.Add(reader.GetString(1));
            var needed = version >= 2 ? columns.Concat(Version2Extra[table]) : columns;
            var missing = needed.Where(c => !present.Contains(c)).ToList();
            if (missing.Count > 0)
                throw new MisgenInputException(
                    $"'{ShownPath}' is damaged: table {table} has no column {string.Join(", ", missing)} (results schema {version}); " +
                    "evaluate into a new results database");
        }
    }

    private const string CreateAgents = """
        CREATE TABLE agents (
            agent_id     INTEGER PRIMARY KEY,
            name         TEXT NOT NULL UNIQUE,
            directory    TEXT,
            train_spec   TEXT,
            preset       TEXT,
            seed         INTEGER,
            train_csv    TEXT,
            model_sha256 TEXT
        );
        """;

    private const string CreateSettings = """
        CREATE TABLE settings (
            setting_id INTEGER PRIMARY KEY,
            spec       TEXT NOT NULL UNIQUE,
            condition  TEXT,
            game       TEXT NOT NULL DEFAULT 'maze',
            obj1       TEXT,
            obj2       TEXT,
            timeout    INTEGER NOT NULL DEFAULT 500
        );
        """;

    private const string CreateEpisodes = """
        CREATE TABLE episodes (
            agent_id   INTEGER NOT NULL REFERENCES agents(agent_id),
            setting_id INTEGER NOT NULL REFERENCES settings(setting_id),
            level_seed INTEGER NOT NULL,
            outcome    INTEGER NOT NULL CHECK (outcome BETWEEN 1 AND 255),
            steps      INTEGER NOT NULL,
            return     REAL NOT NULL,
            facts      TEXT,
            PRIMARY KEY (agent_id, setting_id, level_seed)
        ) WITHOUT ROWID;
        """;

    // The colour-versus-shape study's view (outcome 1 obj1, 2 obj2, 3 timeout), kept as schema 1 had it for SQL users.
    private const string CreateMetricsView = """
        CREATE VIEW metrics AS
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
        """;

    private void Create()
    {
        using var transaction = connection.BeginTransaction();
        Execute(CreateAgents + CreateSettings + CreateEpisodes + CreateMetricsView, transaction);
        Execute($"PRAGMA user_version = {SchemaVersion};", transaction);
        transaction.Commit();
        version = SchemaVersion;
    }

    // Schema 1 -> 2: agents gain the model hash; settings gain the game and lose NOT NULL on obj1; episodes
    // accept any game's outcome code and gain facts. SQLite cannot change constraints in place, so the two
    // tables are rebuilt and copied, all in one transaction (a crash leaves schema 1 intact).
    private void MigrateFromVersion1()
    {
        Execute("PRAGMA foreign_keys = OFF;");
        using var transaction = connection.BeginTransaction();
        Execute("""
            DROP VIEW IF EXISTS metrics;
            ALTER TABLE agents ADD COLUMN model_sha256 TEXT;
            ALTER TABLE settings RENAME TO settings_v1;
            ALTER TABLE episodes RENAME TO episodes_v1;
            """ + CreateSettings + CreateEpisodes + """
            INSERT INTO settings (setting_id, spec, condition, game, obj1, obj2, timeout)
                SELECT setting_id, spec, condition, 'maze', obj1, obj2, timeout FROM settings_v1;
            INSERT INTO episodes (agent_id, setting_id, level_seed, outcome, steps, return, facts)
                SELECT agent_id, setting_id, level_seed, outcome, steps, return, NULL FROM episodes_v1;
            DROP TABLE episodes_v1;
            DROP TABLE settings_v1;
            """ + CreateMetricsView, transaction);
        Execute($"PRAGMA user_version = {SchemaVersion};", transaction);
        transaction.Commit();
        version = SchemaVersion;
    }

    private void RequireWritable()
    {
        if (ReadOnly) throw new InvalidOperationException("results.db was opened for reading");
    }

    /// <summary>
    /// Adds the agent, or fills in fields it did not have yet; returns its id. An agent is its name plus its
    /// model: a different model under a stored name is refused, so two agents never merge into one.
    /// </summary>
    public int AddAgent(AgentRecord agent)
    {
        RequireWritable();
        if (agent.Name.Length == 0) throw new MisgenInputException("an agent needs a non-empty name (its directory's name)");
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "SELECT model_sha256, directory FROM agents WHERE name = $name;";
            check.Parameters.AddWithValue("$name", agent.Name);
            using var reader = check.ExecuteReader();
            if (reader.Read() && !reader.IsDBNull(0) && agent.ModelSha256 is { } hash && reader.GetString(0) != hash)
                throw new MisgenInputException(
                    $"results.db '{ShownPath}' already holds a different agent named '{agent.Name}' (from '{NullableString(reader, 1) ?? "unknown"}', " +
                    $"model {reader.GetString(0)[..12]}…; this one is {agent.Directory ?? "unknown"}, model {hash[..12]}…); " +
                    "rename one of the agent folders, or evaluate into another results database (--out)");
        }
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO agents (name, directory, train_spec, preset, seed, train_csv, model_sha256)
            VALUES ($name, $directory, $train_spec, $preset, $seed, $train_csv, $hash)
            ON CONFLICT(name) DO UPDATE SET
                directory    = coalesce(excluded.directory, directory),
                train_spec   = coalesce(excluded.train_spec, train_spec),
                preset       = coalesce(excluded.preset, preset),
                seed         = coalesce(excluded.seed, seed),
                train_csv    = coalesce(excluded.train_csv, train_csv),
                model_sha256 = coalesce(model_sha256, excluded.model_sha256);
            SELECT agent_id FROM agents WHERE name = $name;
            """;
        command.Parameters.AddWithValue("$name", agent.Name);
        command.Parameters.AddWithValue("$directory", (object?)agent.Directory ?? DBNull.Value);
        command.Parameters.AddWithValue("$train_spec", (object?)agent.TrainSpec ?? DBNull.Value);
        command.Parameters.AddWithValue("$preset", (object?)agent.Preset ?? DBNull.Value);
        command.Parameters.AddWithValue("$seed", (object?)agent.Seed ?? DBNull.Value);
        command.Parameters.AddWithValue("$train_csv", (object?)agent.TrainCsv ?? DBNull.Value);
        command.Parameters.AddWithValue("$hash", (object?)agent.ModelSha256 ?? DBNull.Value);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Adds the setting (a catalogued setting keeps its training condition); returns its id.</summary>
    public int AddSetting(Setting setting)
    {
        RequireWritable();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO settings (spec, condition, game, obj1, obj2, timeout) VALUES ($spec, $condition, $game, $obj1, $obj2, $timeout)
            ON CONFLICT(spec) DO UPDATE SET condition = coalesce(condition, excluded.condition);
            SELECT setting_id FROM settings WHERE spec = $spec;
            """;
        command.Parameters.AddWithValue("$spec", setting.Spec);
        command.Parameters.AddWithValue("$condition", (object?)setting.Condition ?? DBNull.Value);
        command.Parameters.AddWithValue("$game", setting.Env.Game.Name);
        command.Parameters.AddWithValue("$obj1", (object?)setting.Obj1 ?? DBNull.Value);
        command.Parameters.AddWithValue("$obj2", (object?)setting.Obj2 ?? DBNull.Value);
        command.Parameters.AddWithValue("$timeout", setting.Timeout);
        int id = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        gameOfSetting[id] = setting.Env.Game;
        return id;
    }

    /// <summary>
    /// Stores episodes of one agent on one setting in one transaction; episodes whose level seed is already
    /// stored are ignored (the first result wins). Returns how many were new.
    /// </summary>
    public int AddEpisodes(int agentId, int settingId, ReadOnlySpan<Episode> episodes)
    {
        RequireWritable();
        if (episodes.IsEmpty) return 0;
        var game = GameOfSetting(settingId);
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR IGNORE INTO episodes (agent_id, setting_id, level_seed, outcome, steps, return, facts)
            VALUES ($agent, $setting, $seed, $outcome, $steps, $return, $facts);
            """;
        var agent = command.Parameters.Add("$agent", SqliteType.Integer);
        var setting = command.Parameters.Add("$setting", SqliteType.Integer);
        var seed = command.Parameters.Add("$seed", SqliteType.Integer);
        var outcome = command.Parameters.Add("$outcome", SqliteType.Integer);
        var steps = command.Parameters.Add("$steps", SqliteType.Integer);
        var reward = command.Parameters.Add("$return", SqliteType.Real);
        var facts = command.Parameters.Add("$facts", SqliteType.Text);
        command.Prepare();
        agent.Value = agentId;
        setting.Value = settingId;
        int inserted = 0;
        foreach (var episode in episodes)
        {
            if (game.Outcome(episode.Outcome) is null)
                throw new ArgumentException($"episode on level {episode.LevelSeed} has outcome {episode.Outcome}, which the {game.Name} game does not define", nameof(episodes));
            seed.Value = episode.LevelSeed;
            outcome.Value = (int)episode.Outcome;
            steps.Value = episode.Steps;
            reward.Value = (double)episode.Return;
            facts.Value = FactsJson(game, episode.Facts) ?? (object)DBNull.Value;
            inserted += command.ExecuteNonQuery();
        }
        transaction.Commit();
        return inserted;
    }

    private static string? FactsJson(GameDefinition game, FactValues facts)
    {
        if (facts.Count == 0) return null;
        if (facts.Count != game.Facts.Count) throw new ArgumentException($"the {game.Name} game reports {game.Facts.Count} facts, got {facts.Count}");
        var json = new StringBuilder("{");
        for (int i = 0; i < facts.Count; i++)
        {
            if (i > 0) json.Append(',');
            float v = facts[i];
            json.Append('"').Append(game.Facts[i]).Append("\":")
                .Append(float.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null");
        }
        return json.Append('}').ToString();
    }

    private FactValues ParseFacts(GameDefinition game, string? json, string agent, string setting, int level)
    {
        if (json is null || game.Facts.Count == 0) return default;
        var values = new float[game.Facts.Count];
        Array.Fill(values, float.NaN);
        try
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                int index = IndexOf(game.Facts, property.Name);
                if (index >= 0 && property.Value.ValueKind == JsonValueKind.Number) values[index] = property.Value.GetSingle();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new MisgenInputException($"'{ShownPath}' is damaged: the facts of agent {agent} on {setting}, level {level} are not valid JSON ('{json}')");
        }
        return new FactValues(values);

        static int IndexOf(IReadOnlyList<string> names, string name)
        {
            for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
            return -1;
        }
    }

    private GameDefinition GameOfSetting(int settingId)
    {
        if (gameOfSetting.TryGetValue(settingId, out var game)) return game;
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT spec FROM settings WHERE setting_id = $id;";
        command.Parameters.AddWithValue("$id", settingId);
        string spec = command.ExecuteScalar() as string ?? throw new ArgumentException($"no setting {settingId}", nameof(settingId));
        return gameOfSetting[settingId] = SpecOf(spec).Game;
    }

    private EnvSpec SpecOf(string spec)
    {
        if (specs.TryGetValue(spec, out var parsed)) return parsed;
        try { return specs[spec] = EnvSpec.Parse(spec); }
        catch (MisgenInputException e) { throw new MisgenInputException($"'{ShownPath}' holds a setting this misgen cannot read: {e.Message}"); }
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

    public IReadOnlyList<AgentRecord> Agents() => Read(() =>
    {
        var agents = new List<AgentRecord>();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name, directory, train_spec, preset, seed, train_csv, {(version >= 2 ? "model_sha256" : "NULL")} FROM agents ORDER BY agent_id;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            agents.Add(new AgentRecord(reader.GetString(0), NullableString(reader, 1), NullableString(reader, 2),
                NullableString(reader, 3), reader.IsDBNull(4) ? null : reader.GetInt64(4), NullableString(reader, 5), NullableString(reader, 6)));
        return agents;
    });

    public IReadOnlyList<Setting> Settings() => Read(() =>
    {
        var rows = new List<(string Spec, string? Condition)>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT spec, condition FROM settings ORDER BY setting_id;";
        using (var reader = command.ExecuteReader())
            while (reader.Read()) rows.Add((reader.GetString(0), NullableString(reader, 1)));
        foreach (var (spec, _) in rows) SpecOf(spec);
        return (IReadOnlyList<Setting>)rows.Select(r => new Setting(r.Spec, r.Condition)).ToList();
    });

    /// <summary>
    /// Metrics of every (agent, setting) pair that has episodes, in agent then setting order. An outcome
    /// code the setting's game does not define means the file was tampered with: refused, never counted.
    /// </summary>
    public IReadOnlyList<Metrics> Metrics() => Read(() =>
    {
        CheckEpisodeValues();
        var groups = new List<(string Agent, string Setting, int Timeout, byte Outcome, long Count, double Steps)>();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.name, s.spec, s.timeout, e.outcome, count(*), sum(e.steps)
            FROM episodes e
            JOIN agents a ON a.agent_id = e.agent_id
            JOIN settings s ON s.setting_id = e.setting_id
            GROUP BY e.agent_id, e.setting_id, e.outcome
            ORDER BY e.agent_id, e.setting_id, e.outcome;
            """;
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                long code = reader.GetInt64(3);
                groups.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                    code is >= 1 and <= 255 ? (byte)code : (byte)0, reader.GetInt64(4), reader.GetDouble(5)));
            }
        var metrics = new List<Metrics>();
        foreach (var pair in groups.GroupBy(g => (g.Agent, g.Setting)))
        {
            var game = SpecOf(pair.Key.Setting).Game;
            long episodes = 0, obj1 = 0, obj2 = 0, timeouts = 0;
            double steps = 0;
            foreach (var g in pair)
            {
                var outcome = game.Outcome(g.Outcome)
                    ?? throw new MisgenInputException($"'{ShownPath}' is damaged: agent {g.Agent} on {g.Setting} has {g.Count} episode(s) with outcome code {g.Outcome}, " +
                                                      $"which the {game.Name} game does not define (valid: {string.Join(", ", game.Outcomes.Select(o => $"{o.Code} {o.Name}"))})");
                episodes += g.Count;
                if (outcome.IsTimeout) { timeouts += g.Count; steps += (double)g.Timeout * g.Count; continue; }
                steps += g.Steps;
                if (g.Outcome == Eval.Metrics.Obj1Outcome) obj1 += g.Count;
                else if (g.Outcome == Eval.Metrics.Obj2Outcome) obj2 += g.Count;
            }
            metrics.Add(new Metrics(pair.Key.Agent, pair.Key.Setting, episodes, obj1, obj2, timeouts, steps / episodes));
        }
        return (IReadOnlyList<Metrics>)metrics;
    });

    /// <summary>Every stored episode in (agent, setting, level seed) order, streamed.</summary>
    public IEnumerable<EpisodeRow> Episodes(string? setting = null)
    {
        CheckEpisodeValues();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT a.name, s.spec, e.level_seed, e.outcome, e.steps, e.return, {(version >= 2 ? "e.facts" : "NULL")}
            FROM episodes e
            JOIN agents a ON a.agent_id = e.agent_id
            JOIN settings s ON s.setting_id = e.setting_id
            WHERE $setting IS NULL OR s.spec = $setting
            ORDER BY e.agent_id, e.setting_id, e.level_seed;
            """;
        command.Parameters.AddWithValue("$setting", (object?)setting ?? DBNull.Value);
        using var reader = Read(command.ExecuteReader);
        while (Read(reader.Read))
        {
            var row = Read(() =>
            {
                string agent = reader.GetString(0), spec = reader.GetString(1);
                int level = reader.GetInt32(2);
                long code = reader.GetInt64(3);
                var game = SpecOf(spec).Game;
                if (code is < 1 or > 255 || game.Outcome((byte)code) is null)
                    throw new MisgenInputException($"'{ShownPath}' is damaged: agent {agent} on {spec}, level {level} has outcome code {code}, which the {game.Name} game does not define");
                return new EpisodeRow(agent, spec, level, (byte)code, reader.GetInt32(4), (float)reader.GetDouble(5),
                    ParseFacts(game, NullableString(reader, 6), agent, spec, level));
            });
            yield return row;
        }
    }

    /// <summary>Level seed range, episodes per (agent, setting) and agents per setting.</summary>
    public StudyProtocol Protocol() => Read(() =>
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
    });

    /// <summary>
    /// A level on which the agent's episode on the setting ended with <paramref name="outcome"/> (any
    /// outcome when null), the one with the most steps when <paramref name="longest"/>, else the fewest;
    /// null when there is none. Used to pick which episode a video shows.
    /// </summary>
    public int? FindLevel(string agent, string setting, byte? outcome, bool longest) => Read(() =>
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
        return value is null or DBNull ? (int?)null : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    });

    public long EpisodeCount() => Scalar<long>("SELECT count(*) FROM episodes;");

    private bool valuesChecked;

    // SQLite keeps whatever is stored (text in a number column reads as 0): rows changed by hand are found
    // here, once per open store, before anything is counted.
    private void CheckEpisodeValues()
    {
        if (valuesChecked) return;
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.name, s.spec, e.level_seed FROM episodes e
            LEFT JOIN agents a ON a.agent_id = e.agent_id LEFT JOIN settings s ON s.setting_id = e.setting_id
            WHERE typeof(e.level_seed) <> 'integer' OR typeof(e.outcome) <> 'integer' OR typeof(e.steps) <> 'integer'
               OR typeof(e.return) NOT IN ('real', 'integer') OR e.steps < 0 OR a.name IS NULL OR s.spec IS NULL
            LIMIT 1;
            """;
        using var reader = Read(command.ExecuteReader);
        if (Read(reader.Read))
            throw new MisgenInputException(
                $"'{ShownPath}' is damaged: an episode of agent {(reader.IsDBNull(0) ? "(none)" : reader.GetValue(0))} on {(reader.IsDBNull(1) ? "(no setting)" : reader.GetValue(1))}, " +
                $"level {reader.GetValue(2)}, holds a value of the wrong type or an unknown agent or setting");
        valuesChecked = true;
    }

    public void Dispose() => connection.Dispose();

    // Reading a row that was tampered with (a NULL where a number belongs, text in a number column) is bad
    // input from the user's file, not a crash.
    private T Read<T>(Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException or SqliteException)
        {
            throw new MisgenInputException($"'{ShownPath}' is damaged: {e.Message}", e);
        }
    }

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
