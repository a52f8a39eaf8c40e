using System.Collections.Concurrent;
using Misgen.Eval;
using Misgen.Nn;

namespace Misgen.Explore;

/// <summary>An agent the explorer serves, loaded on first use; <see cref="Gate"/> serialises its forward passes across tabs.</summary>
public sealed class LoadedAgent(EvalAgent agent, ImpalaCnn model)
{
    public EvalAgent Agent { get; } = agent;

    public ImpalaCnn Model { get; } = model;

    /// <summary>The network's buffers are shared by its passes: one request at a time per agent.</summary>
    public object Gate { get; } = new();

    public string Name => Agent.Record.Name;
}

/// <summary>
/// The agents and the results.db the explorer was started with: the browser names agents by name only, so no path
/// from a request reaches the file system. Agents load on first use and stay loaded.
/// </summary>
public sealed class ExploreAgents
{
    /// <summary>An agent name the browser may ask for, its directory, and what it was trained on.</summary>
    public sealed record Entry(string Name, string Directory, string? TrainSpec);

    private readonly Dictionary<string, Entry> byName;
    private readonly ConcurrentDictionary<string, Lazy<LoadedAgent>> loaded = new(StringComparer.Ordinal);

    private ExploreAgents(IReadOnlyList<Entry> entries, string? resultsDb, IReadOnlyList<string> unavailable)
    {
        Entries = entries;
        byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        ResultsDb = resultsDb;
        Unavailable = unavailable;
    }

    /// <summary>The agents, in the order they were found.</summary>
    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>The results.db of study mode, or null.</summary>
    public string? ResultsDb { get; }

    /// <summary>Agents results.db names whose directory is gone (shown in the study's plots, not loadable).</summary>
    public IReadOnlyList<string> Unavailable { get; }

    /// <summary>
    /// From the command line: agent directories, folders of agents, or one results.db (its agents' directories as
    /// stored). Names are the directories' names; a repeated name gets a suffix (-2, -3...).
    /// </summary>
    public static ExploreAgents FromInputs(IReadOnlyList<string> inputs)
    {
        if (inputs.Count == 0) throw new MisgenInputException("explore needs agent directories (or a folder of agents) or a results.db");
        var databases = inputs.Where(i => i.EndsWith(".db", StringComparison.OrdinalIgnoreCase)).ToList();
        if (databases.Count > 1 || (databases.Count == 1 && inputs.Count > 1))
            throw new MisgenInputException($"explore takes agent directories or one results.db, not both; got {string.Join(", ", inputs)}");
        var entries = new List<Entry>();
        var unavailable = new List<string>();
        string? db = null;
        if (databases.Count == 1)
        {
            db = Path.GetFullPath(databases[0]);
            if (!File.Exists(db)) throw new MisgenInputException($"results database '{databases[0]}' does not exist");
            using var store = ResultsStore.OpenRead(db);
            foreach (var record in store.Agents())
            {
                if (record.Directory is { } dir && AgentDirectory.IsAgent(dir)) entries.Add(new Entry(record.Name, dir, record.TrainSpec));
                else unavailable.Add(record.Name);
            }
        }
        else
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (string dir in AgentDirectory.Find(inputs))
            {
                var record = AgentDirectory.Record(dir);
                string name = record.Name;
                for (int k = 2; !names.Add(name); k++) name = $"{record.Name}-{k}";
                entries.Add(new Entry(name, dir, record.TrainSpec));
            }
        }
        return new ExploreAgents(entries, db, unavailable);
    }

    /// <summary>The agent called <paramref name="name"/>, loaded; <see cref="UnknownAgentException"/> for any other name.</summary>
    public LoadedAgent Get(string name)
    {
        if (!byName.TryGetValue(name, out var entry))
            throw new UnknownAgentException(Unavailable.Contains(name)
                ? $"agent '{name}' is in the results database but its directory is gone; it cannot be loaded"
                : $"unknown agent '{Short(name)}'; valid: {string.Join(", ", Entries.Take(20).Select(e => e.Name))}{(Entries.Count > 20 ? ", ..." : "")}");
        return loaded.GetOrAdd(name, _ => new Lazy<LoadedAgent>(() => Load(entry))).Value;
    }

    private static LoadedAgent Load(Entry entry)
    {
        var agent = AgentDirectory.Load(entry.Directory);
        if (agent.Model is not ImpalaCnn model)
            throw new MisgenInputException($"agent '{entry.Name}' is not an IMPALA network; the explorer looks inside IMPALA networks only");
        return new LoadedAgent(agent with { Record = agent.Record with { Name = entry.Name } }, model);
    }

    /// <summary>A bad value echoed back, cut so a huge one does not fill the message.</summary>
    public static string Short(string text) => text.Length <= 80 ? text : text[..80] + "...";
}

/// <summary>A request names an agent the explorer does not serve (404).</summary>
public sealed class UnknownAgentException(string message) : Exception(message);
