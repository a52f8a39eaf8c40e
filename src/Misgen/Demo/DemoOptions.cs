namespace Misgen.Demo;

/// <summary>What `misgen demo` runs: a small replication of the colour-versus-shape study.</summary>
public sealed record DemoOptions
{
    /// <summary>Folder for agents, results.db and report.html.</summary>
    public string OutDir { get; init; } = "demo";

    /// <summary>The training condition: agents learn to reach a yellow line on textured backgrounds.</summary>
    public string Condition { get; init; } = "maze:yellow-line@textured";

    /// <summary>Agents trained, with seeds 1..Agents.</summary>
    public int Agents { get; init; } = 4;

    /// <summary>PPO preset the agents are trained with.</summary>
    public string Preset { get; init; } = "fast";

    /// <summary>Config overrides (key=value) on top of the preset.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Levels per setting (seeds from 100000), one episode each.</summary>
    public int Levels { get; init; } = 1000;

    /// <summary>Settings beyond the three headline ones are evaluated only while the run is within this budget.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Threads in all; training runs this many agents side by side, one thread each.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
