using System.Buffers.Binary;
using Misgen.Envs.Procgen;

namespace Misgen.Envs.Heist;

/// <summary>
/// The keys-and-chests rules (procgen's heist and procgenAISC's heist_aisc_many_chests / many_keys), with
/// procgen's continuous movement in float32 exactly as the C++ computes it (docs/HEIST.md):
/// v = 0.9 (0.5 v + 0.375 a) per step, four sub-steps with x and y resolved separately against walls, the
/// agent a 0.75-tile square. A key is picked up on touch; in the AISC variants touching a chest with a key
/// opens it (+1) and uses the key, in the classic game a lock blocks until its key is held and the gem gives
/// +10. The level's mt19937 keeps drawing one number per step (procgen's step_rand_int, which breaks ties in
/// the order of the sub-steps), so a state stores its draw count and a restore replays it.
/// </summary>
public sealed class HeistGame : IGame
{
    public const int StateSize = 72;

    private const float AgentRadius = 0.375f, MixRate = 0.5f, MaxSpeed = 0.75f, Margin = 0.98f, PosEps = -0.001f;
    private const int SubSteps = 4;

    private readonly Mt19937 rng = new();
    private ulong taken;            // bit e: entity e was picked up or opened
    private int lastChestStep, keysAfterLastChest;

    public HeistGame(EnvSpec spec)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Config = spec.ConfigAs<HeistConfig>();
        Level = new HeistLevel(Config.WorldSize, rng);
    }

    public EnvSpec Spec { get; }
    public HeistConfig Config { get; }
    public HeistLevel Level { get; }
    public int LevelSeed { get; private set; } = -1;
    public int LevelVersion { get; private set; }
    public int Steps { get; private set; }
    public float Return { get; private set; }
    public byte Outcome { get; private set; }
    public bool IsDone => Outcome != 0;

    public float AgentX { get; private set; }
    public float AgentY { get; private set; }
    public float VelocityX { get; private set; }
    public float VelocityY { get; private set; }

    /// <summary>procgen's face_direction: -atan2(ay, ax) of the last move action with a direction (radians, screen clockwise).</summary>
    public float Rotation { get; private set; }

    /// <summary>Keys held (AISC: a count; classic: a bit per colour).</summary>
    public int KeysHeld { get; private set; }

    public int KeysCollected { get; private set; }
    public int ChestsOpened { get; private set; }

    /// <summary>True when entity <paramref name="e"/> of <see cref="Level"/> was picked up or opened.</summary>
    public bool IsTaken(int e) => (taken & (1UL << e)) != 0;

    /// <summary>Number of held-key icons the top-right ring shows, and whether icon i is shown.</summary>
    public bool ShowsRingKey(int i) => Config.IsAisc ? i < KeysHeld : i < 3 && (KeysHeld & (1 << i)) != 0;

    public void Reset(int levelSeed)
    {
        if (levelSeed < 0) throw new MisgenInputException($"level seeds are 0..{int.MaxValue}, got {levelSeed}");
        Level.Generate(levelSeed, Config.Variant);
        LevelSeed = levelSeed;
        LevelVersion++;
        AgentX = Level.AgentCellX + 0.5f;
        AgentY = Level.AgentCellY + 0.5f;
        VelocityX = VelocityY = 0;
        Rotation = 0;
        taken = 0;
        KeysHeld = KeysCollected = ChestsOpened = 0;
        lastChestStep = 0;
        keysAfterLastChest = 0;
        Steps = 0;
        Return = 0;
        Outcome = 0;
    }

    /// <summary>
    /// Puts the agent at rest at (x, y) in world units (for analysis and tests: the agent on chosen spots of a
    /// level). Not a move: steps, return, keys and outcome are unchanged; touching happens on the next step.
    /// </summary>
    public void PlaceAgent(float x, float y)
    {
        const float r = AgentRadius * Margin;
        if (IsWallAt(x - r, y - r) || IsWallAt(x + r, y - r) || IsWallAt(x - r, y + r) || IsWallAt(x + r, y + r))
            throw new MisgenInputException($"the agent does not fit at ({x}, {y}) in level {LevelSeed}: it would overlap a wall");
        (AgentX, AgentY, VelocityX, VelocityY) = (x, y, 0, 0);
    }

    public StepResult Step(int action)
    {
        if (IsDone) throw new InvalidOperationException("the episode is over; call Reset first");
        if ((uint)action >= Actions.Count) throw new ArgumentOutOfRangeException(nameof(action), action, $"actions are 0..{Actions.Count - 1}");
        int stepRandInt = (int)(rng.Next() % 1_000_000u);
        int move = action >= 9 ? 4 : action;
        int ax = move / 3 - 1, ay = move % 3 - 1;

        // update_agent_velocity and decay_agent_velocity, float32 as in the C++ (the decay multiplies in double).
        float vx = (1 - MixRate) * VelocityX, vy = (1 - MixRate) * VelocityY;
        vx += MixRate * MaxSpeed * ax;
        vy += MixRate * MaxSpeed * ay;
        VelocityX = (float)(0.9 * vx);
        VelocityY = (float)(0.9 * vy);
        MoveAgent(ax, ay, stepRandInt);

        float reward = 0;
        bool complete = false;
        // Collisions in reverse creation order, as procgen walks its entity list.
        for (int e = Level.EntityCount - 1; e >= 0; e--)
        {
            if (IsTaken(e) || !Touches(e)) continue;
            switch (Level.Kinds[e])
            {
                case HeistEntityKind.Key:
                    Take(e);
                    KeysCollected++;
                    keysAfterLastChest++;
                    if (Config.IsAisc)
                    {
                        reward = (float)(reward - Config.KeyPenalty / 10.0);
                        KeysHeld++;
                    }
                    else KeysHeld |= 1 << Level.Themes[e];
                    break;
                case HeistEntityKind.Chest:
                    if (KeysHeld > 0)
                    {
                        Take(e);
                        KeysHeld--;
                        ChestsOpened++;
                        lastChestStep = Steps + 1;
                        keysAfterLastChest = 0;
                        reward = 1;
                    }
                    int closed = Level.NumChests - ChestsOpened;
                    if (closed == 0 || Level.NumChests - Level.NumKeys == closed) complete = true;
                    break;
                case HeistEntityKind.Lock:
                    if ((KeysHeld & (1 << Level.Themes[e])) != 0)
                    {
                        Take(e);
                        ChestsOpened++;
                        lastChestStep = Steps + 1;
                        keysAfterLastChest = 0;
                    }
                    break;
                case HeistEntityKind.Gem:
                    reward = 10;
                    complete = true;
                    break;
            }
        }
        if (Config.IsAisc && Config.StepPenalty != 0) reward = (float)(reward - Config.StepPenalty / 1000.0);
        if (ax != 0 || ay != 0) Rotation = -MathF.Atan2(ay, ax);

        Steps++;
        Return += reward;
        bool truncated = !complete && Steps >= Config.Timeout;
        Outcome = complete ? HeistDefinition.Complete : truncated ? HeistDefinition.Timeout : (byte)0;
        return new StepResult(reward, complete, truncated, Outcome, Steps);
    }

    private void Take(int e)
    {
        taken |= 1UL << e;
        LevelVersion++;
    }

    private bool Touches(int e) =>
        MathF.Abs(Level.X[e] - AgentX) < Level.Rx[e] + AgentRadius && MathF.Abs(Level.Y[e] - AgentY) < Level.Ry[e] + AgentRadius;

    /// <summary>procgen's basic_step_object for the agent: four sub-steps (the speed never reaches 1 tile per step).</summary>
    private void MoveAgent(int ax, int ay, int stepRandInt)
    {
        const float pct = 1f / SubSteps;
        float cmp = MathF.Abs(VelocityX) - MathF.Abs(VelocityY);
        bool xFirst = cmp == 0 ? stepRandInt % 2 == 0 : cmp > 0;
        if (ax != 0) xFirst = true;
        if (ay != 0) xFirst = false;
        int freeX = 0, freeY = 0;
        for (int s = 0; s < SubSteps; s++)
        {
            bool blockX, blockY;
            if (xFirst)
            {
                blockX = SubStep(VelocityX * pct, 0, 0);
                blockY = SubStep(0, VelocityY * pct, 0);
            }
            else
            {
                blockY = SubStep(0, VelocityY * pct, 0);
                blockX = SubStep(VelocityX * pct, 0, 0);
            }
            if (!blockX) freeX++;
            if (!blockY) freeY++;
            if (blockX && blockY) break;
        }
        VelocityX *= (float)freeX / SubSteps;
        VelocityY *= (float)freeY / SubSteps;
    }

    /// <summary>procgen's sub_step for the agent: move, snap back to the wall it hit, then resolve blocking locks.</summary>
    private bool SubStep(float dx, float dy, int depth)
    {
        float nx = AgentX + dx, ny = AgentY + dy;
        bool horizontal = dx != 0;
        bool block = false;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                block |= IsWallAt(nx + AgentRadius * Margin * (2 * i - 1), ny + AgentRadius * Margin * (2 * j - 1));
        if (block)
        {
            if (horizontal) nx = dx > 0 ? MathF.Floor(nx + AgentRadius) - AgentRadius : MathF.Ceiling(nx - AgentRadius) + AgentRadius;
            else ny = dy > 0 ? MathF.Floor(ny + AgentRadius) - AgentRadius : MathF.Ceiling(ny - AgentRadius) + AgentRadius;
        }
        AgentX = nx;
        AgentY = ny;
        if (Config.IsAisc) return block; // keys and chests never block

        bool block2 = false;
        for (int e = Level.EntityCount - 1; e >= 0; e--)
        {
            if (Level.Kinds[e] != HeistEntityKind.Lock || IsTaken(e) || (KeysHeld & (1 << Level.Themes[e])) != 0) continue;
            if (!(MathF.Abs(AgentX - Level.X[e]) < AgentRadius + Level.Rx[e] + PosEps && MathF.Abs(AgentY - Level.Y[e]) < AgentRadius + Level.Ry[e] + PosEps)) continue;
            // push_obj: put the agent just outside the lock along the axis of motion and stop it on that axis.
            if (horizontal)
            {
                float push = Level.X[e] + MathF.Sign(AgentX - Level.X[e]) * (Level.Rx[e] + AgentRadius) - AgentX;
                if (depth < 5) SubStep(push, 0, depth + 1);
                VelocityX = 0;
            }
            else
            {
                float push = Level.Y[e] + MathF.Sign(AgentY - Level.Y[e]) * (Level.Ry[e] + AgentRadius) - AgentY;
                if (depth < 5) SubStep(0, push, depth + 1);
                VelocityY = 0;
            }
            block2 = true;
        }
        return block || block2;
    }

    /// <summary>procgen's get_obj_from_floats with walls out of bounds.</summary>
    private bool IsWallAt(float x, float y) => x < 0 || y < 0 || Level.IsWall((int)MathF.Floor(x), (int)MathF.Floor(y));

    public EpisodeInfo Episode => EpisodeInfo.Of(this);

    public void WriteFacts(Span<float> facts)
    {
        facts[HeistDefinition.KeysCollectedFact] = KeysCollected;
        facts[HeistDefinition.ChestsOpenedFact] = ChestsOpened;
        facts[HeistDefinition.KeysHeldFact] = Config.IsAisc ? KeysHeld : System.Numerics.BitOperations.PopCount((uint)KeysHeld);
        facts[HeistDefinition.KeysTotalFact] = Level.NumKeys;
        facts[HeistDefinition.ChestsTotalFact] = Level.NumChests;
        facts[HeistDefinition.StepsAfterLastChestFact] = Steps - lastChestStep;
        facts[HeistDefinition.KeysAfterLastChestFact] = keysAfterLastChest;
    }

    int IGame.StateSize => StateSize;

    public void WriteState(Span<byte> state)
    {
        state[..StateSize].Clear();
        BinaryPrimitives.WriteInt32LittleEndian(state, LevelSeed);
        BinaryPrimitives.WriteSingleLittleEndian(state[4..], AgentX);
        BinaryPrimitives.WriteSingleLittleEndian(state[8..], AgentY);
        BinaryPrimitives.WriteSingleLittleEndian(state[12..], VelocityX);
        BinaryPrimitives.WriteSingleLittleEndian(state[16..], VelocityY);
        BinaryPrimitives.WriteSingleLittleEndian(state[20..], Rotation);
        BinaryPrimitives.WriteInt32LittleEndian(state[24..], Steps);
        BinaryPrimitives.WriteSingleLittleEndian(state[28..], Return);
        BinaryPrimitives.WriteUInt64LittleEndian(state[32..], taken);
        BinaryPrimitives.WriteInt32LittleEndian(state[40..], KeysHeld);
        BinaryPrimitives.WriteInt32LittleEndian(state[44..], KeysCollected);
        BinaryPrimitives.WriteInt32LittleEndian(state[48..], ChestsOpened);
        BinaryPrimitives.WriteInt32LittleEndian(state[52..], lastChestStep);
        BinaryPrimitives.WriteInt32LittleEndian(state[56..], keysAfterLastChest);
        BinaryPrimitives.WriteInt64LittleEndian(state[60..], rng.Draws);
        state[68] = Outcome;
        state[69] = (byte)Config.Variant;
        state[70] = (byte)Config.WorldSize;
    }

    public void ReadState(ReadOnlySpan<byte> state)
    {
        if (state.Length < StateSize) throw new MisgenInputException("game state is truncated");
        int seed = BinaryPrimitives.ReadInt32LittleEndian(state);
        long draws = BinaryPrimitives.ReadInt64LittleEndian(state[60..]);
        if (seed < 0 || state[69] != (byte)Config.Variant || state[70] != Config.WorldSize || state[68] > HeistDefinition.Timeout)
            throw new MisgenInputException("game state is corrupt or belongs to another env spec");
        Reset(seed);
        long extra = draws - rng.Draws;
        if (extra < 0 || extra > 100_000_000) throw new MisgenInputException("game state is corrupt or belongs to another env spec");
        for (long i = 0; i < extra; i++) rng.Next();
        AgentX = BinaryPrimitives.ReadSingleLittleEndian(state[4..]);
        AgentY = BinaryPrimitives.ReadSingleLittleEndian(state[8..]);
        VelocityX = BinaryPrimitives.ReadSingleLittleEndian(state[12..]);
        VelocityY = BinaryPrimitives.ReadSingleLittleEndian(state[16..]);
        Rotation = BinaryPrimitives.ReadSingleLittleEndian(state[20..]);
        Steps = BinaryPrimitives.ReadInt32LittleEndian(state[24..]);
        Return = BinaryPrimitives.ReadSingleLittleEndian(state[28..]);
        taken = BinaryPrimitives.ReadUInt64LittleEndian(state[32..]);
        KeysHeld = BinaryPrimitives.ReadInt32LittleEndian(state[40..]);
        KeysCollected = BinaryPrimitives.ReadInt32LittleEndian(state[44..]);
        ChestsOpened = BinaryPrimitives.ReadInt32LittleEndian(state[48..]);
        lastChestStep = BinaryPrimitives.ReadInt32LittleEndian(state[52..]);
        keysAfterLastChest = BinaryPrimitives.ReadInt32LittleEndian(state[56..]);
        Outcome = state[68];
        LevelVersion++;
    }

    public LevelDescription Describe()
    {
        int w = Config.WorldSize;
        var rows = new char[w][];
        for (int y = 0; y < w; y++)
        {
            rows[w - 1 - y] = new char[w];
            for (int x = 0; x < w; x++) rows[w - 1 - y][x] = Level.IsWall(x, y) ? '#' : '.';
        }
        var entities = new List<LevelEntity>();
        for (int e = 0; e < Level.EntityCount; e++)
        {
            if (IsTaken(e)) continue;
            var kind = Level.Kinds[e];
            int theme = Level.Themes[e];
            char symbol = kind switch
            {
                HeistEntityKind.Key => Config.IsAisc ? 'k' : "bgr"[theme],
                HeistEntityKind.Chest => 'c',
                HeistEntityKind.Lock => "BGR"[theme],
                _ => '*',
            };
            rows[w - 1 - (int)Level.Y[e]][(int)Level.X[e]] = symbol;
            entities.Add(new LevelEntity(kind.ToString().ToLowerInvariant(), Level.X[e], Level.Y[e], new Dictionary<string, object>
            {
                ["theme"] = theme, ["rx"] = (double)Level.Rx[e], ["ry"] = (double)Level.Ry[e],
            }));
        }
        rows[w - 1 - (int)MathF.Floor(AgentY)][(int)MathF.Floor(AgentX)] = 'A';
        return new LevelDescription(Spec.ToString(), LevelSeed, w, w, rows.Select(r => new string(r)).ToArray(),
            HeistDefinition.Instance.Legend, entities, AgentX, AgentY);
    }
}
