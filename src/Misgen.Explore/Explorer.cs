using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Misgen.Envs;
using Misgen.Interp;
using Misgen.Media;
using Misgen.Nn;

namespace Misgen.Explore;

/// <summary>
/// What the explorer's endpoints compute, as plain objects the server turns into JSON. Every number comes from the
/// library (Misgen.Interp: vector fields, patches, activations, attribution; Misgen.Media: the views); this class
/// reads and checks the request and shapes the answer. Requests carry everything they need (agent name, spec, level,
/// patches), so tabs share nothing but the loaded networks.
/// </summary>
public sealed partial class Explorer(ExploreAgents agents)
{
    /// <summary>Largest grid side a request may send (the games check their own sizes after this).</summary>
    public const int MaxGridSide = 64;

    /// <summary>Patches per request.</summary>
    public const int MaxPatches = 16;

    public ExploreAgents Agents { get; } = agents;

    /// <summary>What the page needs first: the agents, the games and their examples, the layers.</summary>
    public object Info() => new
    {
        agents = Agents.Entries.Select(e => new { name = e.Name, trainSpec = e.TrainSpec }),
        unavailable = Agents.Unavailable,
        study = Agents.ResultsDb is not null,
        games = GameCatalogue.All.Select(g => new
        {
            name = g.Name,
            examples = g.Examples,
            legend = g.Legend.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
        }),
        layers = ImpalaCnn.HookPoints,
        patchLayer = "embedder.block2.res1.resadd",
    };

    /// <summary>A level: its grid and legend, the agent view (with and without the agent), the human view, where each cell is drawn.</summary>
    public object Level(RequestBody body)
    {
        var agent = body.Has("agent") ? Agents.Get(body.String("agent", 200)) : null;
        var spec = SpecOf(body, agent);
        var level = LevelOf(body, spec);
        return LevelInfo(level.CreateGrid(), spec, level, agent?.Model.Config.InputSize ?? spec.Game.DefaultObservationSize, views: true);
    }

    /// <summary>The level's layout (and with <paramref name="views"/> its agent and human views) as the page draws it.</summary>
    private static Dictionary<string, object?> LevelInfo(IGridAgentGame game, EnvSpec spec, LevelSource level, int size, bool views)
    {
        var description = game.Describe();
        var areas = new double[game.GridWidth * game.GridHeight][];
        for (int y = 0; y < game.GridHeight; y++)
            for (int x = 0; x < game.GridWidth; x++)
            {
                var a = game.CellArea(x, y);
                areas[y * game.GridWidth + x] = [a.Left, a.Top, a.Width, a.Height];
            }
        var info = new Dictionary<string, object?>
        {
            ["spec"] = spec.ToString(),
            ["seed"] = level.Grid is null ? level.Seed : null,
            ["editable"] = IsEditable(spec, description.Grid),
            ["width"] = game.GridWidth,
            ["height"] = game.GridHeight,
            ["grid"] = description.Grid,
            ["legend"] = description.Legend.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
            ["agent"] = new { x = game.AgentX, y = game.AgentY },
            ["start"] = new { x = game.StartCell.X, y = game.StartCell.Y },
            ["goals"] = game.Goals.Select(g => new { name = g.Name, x = g.X, y = g.Y }).ToList(),
            ["walls"] = Walls(game),
            ["areas"] = areas,
            ["size"] = size,
            ["levelView"] = Png64(FieldPicture.LevelPicture(game, size), size, size),
        };
        if (views)
        {
            var (agentRgb, aw, ah) = GameViews.Render(game, GameView.Agent, size, 1);
            info["agentView"] = Png64(agentRgb, aw, ah);
            // The page shows the human view at half its side: drawn at the full side and averaged 2x2 (the same
            // antialiasing as GameViews), a quarter of the pixels of the full view after every edit.
            int half = spec.Game.HumanViewSize / 2;
            var renderer = spec.Game.CreateHumanRenderer(spec, 2 * half);
            var layer = new byte[renderer.LayerBytes];
            var frame = new byte[renderer.FrameBytes];
            renderer.DrawLevel(game, layer);
            renderer.DrawFrame(game, layer, frame);
            info["humanView"] = Png64(Compose.HalveSize(frame, 2 * half), half, half);
        }
        return info;
    }

    /// <summary>
    /// The vector field (every open cell's action-group probabilities); with patches also the unpatched one ("before",
    /// unless "before": false says the page has it). "withLevel": true adds the level's layout and picture (not its
    /// views), so one answer redraws an edit.
    /// </summary>
    public object Field(RequestBody body)
    {
        var (agent, spec, level) = Read(body);
        bool withBefore = body.Bool("before", true), withLevel = body.Bool("withLevel", false);
        var game = level.CreateGrid();
        var layout = withLevel ? LevelInfo(game, spec, level, agent.Model.Config.InputSize, views: false) : null;
        var clock = Stopwatch.StartNew();
        lock (agent.Gate)
        {
            var (policy, patches) = PolicyOf(agent, spec, level, body);
            var after = VectorField.Compute(policy, game);
            var before = patches.Count > 0 && withBefore ? VectorField.Compute(agent.Model, game) : null;
            return new
            {
                groups = after.GroupNames,
                cells = after.Cells.Select(c => new[] { c.X, c.Y }),
                probabilities = Round(after.Probabilities),
                before = before is null ? null : Round(before.Probabilities),
                patches,
                milliseconds = clock.Elapsed.TotalMilliseconds,
                decision = Decision(game, after, before),
                level = layout,
            };
        }
    }

    /// <summary>
    /// The level's decision square (docs/INTERP.md) and P(step toward the goal) / P(step toward the top-right corner)
    /// there, read from the fields (the square is one of their cells), or why there is none.
    /// </summary>
    private static object Decision(IGridAgentGame game, VectorField after, VectorField? before)
    {
        var (square, reason) = DecisionSquare.Find(game);
        if (square is null) return new { reason };
        int cell = after.Cells.ToList().IndexOf((square.X, square.Y));
        return new
        {
            x = square.X,
            y = square.Y,
            goal = square.Goal.Name,
            towardGoal = square.TowardGoal,
            towardCorner = square.TowardCorner,
            pGoal = after.Probability(cell, square.TowardGoal),
            pCorner = after.Probability(cell, square.TowardCorner),
            pGoalBefore = before?.Probability(cell, square.TowardGoal),
            pCornerBefore = before?.Probability(cell, square.TowardCorner),
        };
    }

    /// <summary>The action-group probabilities and the value with the agent on one cell (default: where the level puts it).</summary>
    public object Policy(RequestBody body)
    {
        var (agent, spec, level) = Read(body);
        var game = level.CreateGrid();
        PlaceAt(game, body);
        var observation = Observations.Of(game, agent.Model.Config.InputSize);
        lock (agent.Gate)
        {
            var (policy, patches) = PolicyOf(agent, spec, level, body);
            var groups = spec.Game.Actions.Groups;
            var (p, v) = Evaluate(policy, observation, groups);
            var before = patches.Count > 0 ? Evaluate(agent.Model, observation, groups) : ((float[], float)?)null;
            return new
            {
                at = new { x = game.AgentX, y = game.AgentY },
                groups = groups.Select(g => g.Name),
                probabilities = Round(p),
                value = v,
                before = before is { } b ? new { probabilities = Round(b.Item1), value = b.Item2 } : null,
                patches,
            };
        }
    }

    /// <summary>One layer's activations (C x H x W, the channels as maps) with the agent on one cell.</summary>
    public object Channels(RequestBody body)
    {
        var (agent, spec, level) = Read(body);
        string layer = LayerOf(body.String("layer", 100, "embedder.block2.res1.resadd"), "layer");
        var game = level.CreateGrid();
        PlaceAt(game, body);
        var observation = Observations.Of(game, agent.Model.Config.InputSize);
        CheckObservation(agent, observation, spec);
        lock (agent.Gate)
        {
            var (_, patches) = PolicyOf(agent, spec, level, body, out var edits);
            var tensor = ActivationCapture.Run(agent.Model, observation, 1, [layer], edits)[layer];
            var (c, h, w) = agent.Model.HookShape(layer);
            return new
            {
                layer,
                at = new { x = game.AgentX, y = game.AgentY },
                channels = c,
                height = h,
                width = w,
                values = Round(tensor.Data),
                labels = Labels(agent, spec, layer),
                patches,
            };
        }
    }

    /// <summary>
    /// An episode from the level's start with the (patched) policy: each step's cell, action, group probabilities, value
    /// and reward, optionally each frame (PNG); with patches also the unpatched agent's path ("before").
    /// </summary>
    public object Rollout(RequestBody body)
    {
        var (agent, spec, level) = Read(body);
        bool frames = body.Bool("frames", true), withBefore = body.Bool("before", true);
        lock (agent.Gate)
        {
            var (policy, patches) = PolicyOf(agent, spec, level, body);
            var trace = Trace(policy, spec, level, body);
            var before = patches.Count > 0 && withBefore ? Trace(agent.Model, spec, level, body) : null;
            var groups = spec.Game.Actions.Groups;
            return new
            {
                groups = groups.Select(g => g.Name),
                steps = trace.Steps.Select(s => new
                {
                    x = s.X, y = s.Y, action = s.Action, group = GroupOf(groups, s.Action),
                    probabilities = Round(s.GroupProbabilities), value = s.Value, reward = s.Reward,
                }),
                final = new { x = trace.FinalX, y = trace.FinalY },
                outcome = OutcomeName(spec, trace.Outcome),
                @return = trace.Return,
                frames = frames ? trace.Steps.Select(s => Frame(spec, s.Observation, agent)).Append(Frame(spec, trace.FinalObservation, agent)).ToList() : null,
                before = before is null ? null : new
                {
                    path = before.Steps.Select(s => new[] { s.X, s.Y }).Append([before.FinalX, before.FinalY]),
                    outcome = OutcomeName(spec, before.Outcome),
                    @return = before.Return,
                },
                patches,
            };
        }
    }

    /// <summary>
    /// The attribution heatmap of one step of the rollout the request describes (replayed: same level, patches, mode and
    /// seed give the same episode), over that step's frame. The attribution is of the network the rollout runs: with
    /// patches, the patched one (Interp/Attribution goes back through each patch), so the overlay explains the path drawn.
    /// </summary>
    public object Attribute(RequestBody body)
    {
        var (agent, spec, level) = Read(body);
        string method = body.String("method", 20, "gradient");
        if (method is not ("gradient" or "integrated")) throw MisgenInputException.Unknown("attribution method", ExploreAgents.Short(method), ["gradient", "integrated"]);
        var groups = spec.Game.Actions.Groups;
        var target = AttributionTarget.Parse(body.String("target", 20, "value"), groups);
        int igSteps = body.Int("igSteps", 1, 64, 16);
        lock (agent.Gate)
        {
            var (policy, patches) = PolicyOf(agent, spec, level, body, out var edits);
            var trace = Trace(policy, spec, level, body);
            int step = body.Int("step", 0, trace.Steps.Count);
            var observation = step < trace.Steps.Count ? trace.Steps[step].Observation : trace.FinalObservation;
            var attribution = new Attribution(agent.Model, edits);
            var result = method == "gradient" ? attribution.Gradient(observation, target) : attribution.IntegratedGradients(observation, target, igSteps);
            int size = agent.Model.Config.InputSize;
            var rgb = spec.Game.ToRgb(observation, new ObservationShape(size, agent.Model.Config.Channels));
            var overlay = Heatmap.Overlay(rgb, result.PixelSums(), size, size, size);
            return new
            {
                step,
                steps = trace.Steps.Count,
                target = target.Name,
                method,
                output = result.Output,
                total = result.Total,
                overlay = Png64(overlay, size, size),
                patches,
            };
        }
    }

    /// <summary>Study mode: the report's per-setting scatter plots (one dot per agent; the dot's tooltip names it).</summary>
    public object Study()
    {
        if (Agents.ResultsDb is not { } db) throw new MisgenInputException("the explorer was started with agent directories, not a results.db; there is no study to show");
        lock (studyGate)
        {
            if (study is not null) return study;
            using var store = Misgen.Eval.ResultsStore.OpenRead(db);
            var metrics = store.Metrics();
            study = new
            {
                database = Path.GetFileName(db),
                settings = store.Settings().Select(s => new { spec = s.Spec, svg = Misgen.Analysis.StudyPlots.SettingScatter(s, metrics) }).ToList(),
                agents = Agents.Entries.Select(e => e.Name),
                unavailable = Agents.Unavailable,
            };
            return study;
        }
    }

    private readonly object studyGate = new();
    private object? study;

    private static EpisodeTrace Trace(IPolicy policy, EnvSpec spec, LevelSource level, RequestBody body)
    {
        string mode = body.String("mode", 20, "greedy");
        if (mode is not ("greedy" or "sample")) throw MisgenInputException.Unknown("rollout mode", ExploreAgents.Short(mode), ["greedy", "sample"]);
        int seed = body.Int("sampleSeed", 0, int.MaxValue, 0);
        int maxSteps = body.Int("maxSteps", 1, EpisodeTrace.MaxSteps, Math.Min(EpisodeTrace.MaxSteps, spec.Timeout));
        var game = level.CreateGrid();
        return EpisodeTrace.Play(policy, game, mode == "sample" ? Rng.ForStream((ulong)seed, "explore-rollout") : null, maxSteps);
    }

    private static string GroupOf(IReadOnlyList<(string Name, int[] Actions)> groups, int action) =>
        groups.FirstOrDefault(g => g.Actions.Contains(action)).Name ?? action.ToString(CultureInfo.InvariantCulture);

    private static string OutcomeName(EnvSpec spec, byte outcome) => outcome == 0 ? "running" : spec.Game.OutcomeName(outcome);

    private static string Frame(EnvSpec spec, byte[] observation, LoadedAgent agent)
    {
        int size = agent.Model.Config.InputSize;
        return Png64(spec.Game.ToRgb(observation, new ObservationShape(size, agent.Model.Config.Channels)), size, size);
    }

    // ---- reading requests ----

    private (LoadedAgent Agent, EnvSpec Spec, LevelSource Level) Read(RequestBody body)
    {
        var agent = Agents.Get(body.String("agent", 200));
        var spec = SpecOf(body, agent);
        return (agent, spec, LevelOf(body, spec));
    }

    private static EnvSpec SpecOf(RequestBody body, LoadedAgent? agent) =>
        EnvSpec.Parse(body.String("spec", 300, agent?.Agent.Record.TrainSpec ?? GameCatalogue.All[0].Examples[0]));

    /// <summary>"level": {"seed": N} or {"grid": [rows, top first]}; no level is seed 0.</summary>
    private static LevelSource LevelOf(RequestBody body, EnvSpec spec) => LevelFrom(body.Object("level"), spec);

    private static LevelSource LevelFrom(RequestBody? level, EnvSpec spec)
    {
        if (level is not { } l) return new LevelSource(spec, 0);
        if (l.Has("grid"))
        {
            var rows = l.Strings("grid", MaxGridSide, MaxGridSide);
            var source = new LevelSource(spec, -1, rows);
            source.Create(); // the game checks the grid here, so a bad one is a 400 before any work
            return source;
        }
        return new LevelSource(spec, l.Int("seed", 0, int.MaxValue, 0));
    }

    private static void PlaceAt(IGridAgentGame game, RequestBody body)
    {
        if (body.Object("at") is not { } at) return;
        int x = at.Int("x", 0, game.GridWidth - 1), y = at.Int("y", 0, game.GridHeight - 1);
        game.PlaceAgent(x, y);
    }

    private static string LayerOf(string text, string field)
    {
        string name = text.Trim();
        if (name.EndsWith("_out", StringComparison.Ordinal)) name = name[..^4];
        if (!ImpalaCnn.HookPoints.Contains(name)) throw MisgenInputException.Unknown($"layer in '{field}'", ExploreAgents.Short(text), ImpalaCnn.HookPoints);
        return name;
    }

    [GeneratedRegex(@"^\s*(all|\d{1,4}(\s*-\s*\d{1,4})?(\s*,\s*\d{1,4}(\s*-\s*\d{1,4})?)*)\s*$")]
    private static partial Regex ChannelListPattern();

    /// <summary>The policy with the request's patches (the agent itself when none) and the patches' text forms.</summary>
    private (IPolicy Policy, IReadOnlyList<string> Texts) PolicyOf(LoadedAgent agent, EnvSpec spec, LevelSource level, RequestBody body) =>
        PolicyOf(agent, spec, level, body, out _);

    private (IPolicy Policy, IReadOnlyList<string> Texts) PolicyOf(LoadedAgent agent, EnvSpec spec, LevelSource level, RequestBody body,
                                                                  out IReadOnlyList<ActivationEdit> edits)
    {
        var list = new List<ActivationEdit>();
        var texts = new List<string>();
        var context = new PatchContext(agent.Model, spec);
        foreach (var patch in body.Objects("patches", MaxPatches))
        {
            string kind = patch.String("kind", 20);
            string layer = LayerOf(patch.String("layer", 100), "patches");
            switch (kind)
            {
                case "zero":
                case "scale":
                {
                    string channels = patch.String("channels", 200);
                    if (!ChannelListPattern().IsMatch(channels))
                        throw new MisgenInputException($"channels '{ExploreAgents.Short(channels)}' are invalid; write numbers and ranges such as 7,8,40-44, or all");
                    string text = kind == "zero" ? $"zero:{layer}:{channels.Replace(" ", "")}"
                        : $"scale:{layer}:{channels.Replace(" ", "")}:{F(patch.Number("factor", -100, 100))}";
                    var parsed = PatchSpec.Parse(text);
                    list.Add(parsed.Bind(context));
                    texts.Add(parsed.Text);
                    break;
                }
                case "set":
                {
                    var parsed = PatchSpec.Parse(string.Create(CultureInfo.InvariantCulture,
                        $"set:{layer}:{patch.Int("channel", 0, 4095)}:{patch.Int("row", 0, 4095)},{patch.Int("col", 0, 4095)}:{F(patch.Number("value", -1000, 1000))}"));
                    list.Add(parsed.Bind(context));
                    texts.Add(parsed.Text);
                    break;
                }
                case "add":
                {
                    double coefficient = patch.Number("coefficient", -100, 100);
                    var a = patch.Has("a") ? LevelFrom(patch.Object("a"), spec) : level;
                    var b = LevelFrom(patch.Object("b") ?? throw new MisgenInputException("an add patch needs level 'b' (the level whose activations are subtracted)"), spec);
                    list.Add(new AddActivation(layer, LevelPairVector(agent, spec, layer, a, b), (float)coefficient));
                    texts.Add($"add:{layer}:{F(coefficient)}:{Describe(a)},{Describe(b)}");
                    break;
                }
                default:
                    throw MisgenInputException.Unknown("patch kind", ExploreAgents.Short(kind), ["zero", "scale", "set", "add"]);
            }
        }
        edits = list;
        return (list.Count == 0 ? agent.Model : new PatchedPolicy(agent.Model, list), texts);
    }

    /// <summary>act(A) - act(B) at the layer for the two levels' first frames (the cheese vector's recipe, docs/INTERP.md).</summary>
    private static float[] LevelPairVector(LoadedAgent agent, EnvSpec spec, string layer, LevelSource a, LevelSource b)
    {
        int size = agent.Model.Config.InputSize, bytes = agent.Model.InputFloats;
        var observations = new byte[2 * bytes];
        var first = a.Observation(size);
        var second = b.Observation(size);
        if (first.Length != bytes || second.Length != bytes)
            throw new MisgenInputException($"'{spec}' renders {first.Length} bytes per observation; the agent sees {size}x{size}x{agent.Model.Config.Channels}");
        first.CopyTo(observations, 0);
        second.CopyTo(observations, bytes);
        var tensor = ActivationCapture.Run(agent.Model, observations, 2, [layer])[layer];
        int per = tensor.Count / 2;
        var vector = new float[per];
        for (int i = 0; i < per; i++) vector[i] = tensor.Data[i] - tensor.Data[per + i];
        return vector;
    }

    private static string Describe(LevelSource level) => level.Grid is null ? $"#{level.Seed}" : "#edited";

    private static void CheckObservation(LoadedAgent agent, byte[] observation, EnvSpec spec)
    {
        if (observation.Length != agent.Model.InputFloats)
            throw new MisgenInputException($"'{spec}' renders {observation.Length} bytes per observation; agent '{agent.Name}' sees " +
                                           $"{agent.Model.Config.InputSize}x{agent.Model.Config.InputSize}x{agent.Model.Config.Channels}");
    }

    // ---- computing ----

    private static (float[] Probabilities, float Value) Evaluate(IPolicy policy, byte[] observation, IReadOnlyList<(string Name, int[] Actions)> groups)
    {
        int expected = policy.Config.InputSize * policy.Config.InputSize * policy.Config.Channels;
        if (observation.Length != expected)
            throw new MisgenInputException($"the level renders {observation.Length} bytes per observation; the agent sees {policy.Config.InputSize}x{policy.Config.InputSize}x{policy.Config.Channels}");
        var logits = new float[policy.Config.Actions];
        var value = new float[1];
        if (policy.MaxBatch < 1) policy.MaxBatch = 1;
        policy.Forward(observation, 1, logits, value);
        return (GroupProbabilities.Of(logits, groups), value[0]);
    }

    private static bool IsEditable(EnvSpec spec, IReadOnlyList<string> grid)
    {
        try
        {
            spec.Game.FromGrid(spec, grid);
            return true;
        }
        catch (MisgenInputException)
        {
            return false;
        }
    }

    private static int[][] Walls(IGridAgentGame game)
    {
        var walls = new List<int[]>();
        for (int y = 0; y < game.GridHeight; y++)
            for (int x = 0; x < game.GridWidth; x++)
                if (game.IsWall(x, y)) walls.Add([x, y]);
        return walls.ToArray();
    }

    // Channel-search results by (agent, spec, layer), computed when the page asks (/api/labels).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string, string), IReadOnlyList<RankedChannel>> labels = new();

    /// <summary>The channel search's direction labels of the layer (channel -> direction), when they were computed.</summary>
    private Dictionary<string, string>? Labels(LoadedAgent agent, EnvSpec spec, string layer) =>
        labels.TryGetValue((agent.Name, spec.ToString(), layer), out var ranked)
            ? ranked.Where(r => r.Direction is not null).ToDictionary(r => r.Channel.ToString(CultureInfo.InvariantCulture), r => r.Direction!)
            : null;

    /// <summary>
    /// Runs the channel search (docs/INTERP.md, johny-b's pairs of levels one wall apart) on the layer and keeps its
    /// direction labels for <see cref="Channels"/>; "pairs" level pairs (default 40: seconds, not minutes).
    /// </summary>
    public object SearchLabels(RequestBody body)
    {
        var agent = Agents.Get(body.String("agent", 200));
        var spec = SpecOf(body, agent);
        string layer = LayerOf(body.String("layer", 100, "embedder.relu3"), "layer");
        int pairs = body.Int("pairs", 4, 400, 40);
        var (channels, _, _) = agent.Model.HookShape(layer);
        ChannelSearchResult result;
        lock (agent.Gate)
            result = ChannelSearch.Run(agent.Model, spec, new ChannelSearchOptions(layer, pairs, Top: channels, AblateTop: 0));
        labels[(agent.Name, spec.ToString(), layer)] = result.Channels;
        return new
        {
            layer,
            pairs = result.Pairs.Count,
            labels = Labels(agent, spec, layer),
            ranked = result.Channels.Take(16).Select(r => new { channel = r.Channel, score = r.MeanAbsDifference, direction = r.Direction }),
        };
    }

    public static string Png64(byte[] rgb, int width, int height) => Convert.ToBase64String(Png.Encode(rgb, width, height));

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Six significant decimals are plenty for drawing and keep the JSON small.</summary>
    private static double[] Round(float[] values)
    {
        var r = new double[values.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Math.Round(values[i], 5);
        return r;
    }
}
