using System.Buffers.Binary;

namespace Misgen.Envs.CoinRun;

/// <summary>
/// CoinRun's rules: procgen's platformer physics, step for step as the original (docs/COINRUN.md). Each step
/// draws one number from the level's generator, mixes the agent's horizontal speed towards the action (fast on
/// the ground, slowly in the air), jumps from support, applies gravity, then moves the walking enemies and the
/// agent in sub-steps, x and y resolved separately against walls, enemy barriers and crates (which carry the
/// agent from above only). The coin gives +10 and ends the episode; lava, saws and enemies end it with 0; after
/// <see cref="CoinRunConfig.Timeout"/> steps it is truncated. Floats are float32 where the original's are, and
/// double where its C++ promotes to double, so trajectories match bit for bit.
/// </summary>
public sealed class CoinRunGame : IGame
{
    public const int MaxEntities = CoinRunLevel.MaxEntities;
    private const int HeaderBytes = 64;
    public const int StateBytes = HeaderBytes + MaxEntities * 16;

    // procgen's constants (basic-abstract-game.cpp, coinrun.cpp).
    private const float Gravity = 0.2f;
    private const float MaxJump = 1.5f;
    private const float MaxSpeed = 0.5f;
    private const float MixRate = 0.2f;
    private const float AirControl = 0.15f;
    private const float PosEps = -0.001f;      // collisions ignore a 0.001 overlap
    private const float SubStepMargin = 0.98f; // wall probes sit just inside the box
    private const float EntityR = 0.5f;
    private const float Rx = CoinRunLevel.AgentRx;
    private const float Ry = CoinRunLevel.AgentRy;
    private const int Agent = -1;

    private readonly float[] ex = new float[MaxEntities], ey = new float[MaxEntities];
    private readonly float[] evx = new float[MaxEntities], evy = new float[MaxEntities];
    private readonly int[] crates = new int[MaxEntities];
    private int crateCount;
    private float ax, ay, avx, avy;

    public CoinRunGame(EnvSpec spec)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Config = spec.ConfigAs<CoinRunConfig>();
        Level = new CoinRunLevel(Config.Variant, Config.RandomPercent, Config.Easy);
    }

    public EnvSpec Spec { get; }
    public CoinRunConfig Config { get; }
    public CoinRunLevel Level { get; }
    public int LevelSeed => Level.LevelSeed;
    public int LevelVersion { get; private set; }
    public int Steps { get; private set; }
    public float Return { get; private set; }
    public byte Outcome { get; private set; }
    public bool IsDone => Outcome != 0;

    public float AgentX => ax;
    public float AgentY => ay;
    public float AgentVx => avx;
    public float AgentVy => avy;

    /// <summary>The agent stood on ground or a crate at the start of the last step (procgen's has_support).</summary>
    public bool HasSupport { get; private set; }

    /// <summary>The last step's horizontal action: -1, 0 or 1.</summary>
    public int ActionVx { get; private set; }

    /// <summary>The agent's picture is mirrored: its last horizontal action was to the left.</summary>
    public bool FacingLeft { get; private set; }

    public bool ReachedEnd { get; private set; }
    public int EndStep { get; private set; } = -1;
    public bool TouchedMarker { get; private set; }
    public bool Died { get; private set; }
    public float MaxAgentX { get; private set; }

    private bool isOnCrate;
    private float lastAgentY;
    private int actionVy;
    private uint stepRandInt;

    public int EntityCount => Level.EntityCount;
    public float EntityX(int i) => ex[i];
    public float EntityY(int i) => ey[i];
    public float EntityVx(int i) => evx[i];

    public void Reset(int levelSeed)
    {
        if (levelSeed < 0) throw new MisgenInputException($"level seeds are 0..{int.MaxValue}, got {levelSeed}");
        Level.Generate(levelSeed);
        LevelVersion++;
        crateCount = 0;
        for (int i = 0; i < Level.EntityCount; i++)
        {
            ex[i] = Level.X[i];
            ey[i] = Level.Y[i];
            evx[i] = Level.Vx[i];
            evy[i] = 0;
            if (Level.Kinds[i] == EntityKind.Crate) crates[crateCount++] = i;
        }
        ax = 1 + Rx;
        ay = 1 + Ry;
        avx = avy = 0;
        lastAgentY = ay;
        isOnCrate = false;
        HasSupport = false;
        ActionVx = 0;
        actionVy = 0;
        FacingLeft = false;
        stepRandInt = 0;
        Steps = 0;
        Return = 0;
        Outcome = 0;
        ReachedEnd = false;
        EndStep = -1;
        TouchedMarker = false;
        Died = false;
        MaxAgentX = ax;
    }

    /// <summary>
    /// Puts the agent at rest at world position (x, y) (its box centre; for analysis and tests). Not a move:
    /// steps, return and outcome are unchanged.
    /// </summary>
    public void PlaceAgent(float x, float y)
    {
        if (!(x - Rx >= 0 && y - Ry >= 0 && x + Rx <= CoinRunLevel.Size && y + Ry <= CoinRunLevel.Size))
            throw new MisgenInputException($"agent position ({x}, {y}) is outside the {CoinRunLevel.Size}x{CoinRunLevel.Size} world");
        ax = x;
        ay = y;
        avx = avy = 0;
        lastAgentY = y;
        isOnCrate = false;
    }

    public StepResult Step(int action)
    {
        if (IsDone) throw new InvalidOperationException("the episode is over; call Reset first");
        if ((uint)action >= Actions.Count) throw new ArgumentOutOfRangeException(nameof(action), action, $"actions are 0..{Actions.Count - 1}");
        Steps++;
        stepRandInt = Level.Rng.Next() % 1_000_000;
        SetAction(action >= 9 ? 4 : action);
        UpdateAgentVelocity();

        // procgen steps its entities from the last created to the first; the agent was created first.
        for (int i = Level.EntityCount - 1; i >= 0; i--)
            if (Level.Kinds[i] == EntityKind.Enemy) StepObject(i);
        StepObject(Agent);

        bool coin = false, hazard = false;
        for (int i = Level.EntityCount - 1; i >= 0; i--)
        {
            if (Level.Kinds[i] == EntityKind.Crate) continue;
            if (MathF.Abs(ex[i] - ax) < EntityR + Rx && MathF.Abs(ey[i] - ay) < EntityR + Ry) hazard = true;
        }
        CheckTiles(ref coin, ref hazard);
        if (ax + Rx < 0 || ay + Ry < 0 || ax - Rx > CoinRunLevel.Size || ay - Ry > CoinRunLevel.Size) hazard = true;
        if (ActionVx > 0) FacingLeft = false;
        if (ActionVx < 0) FacingLeft = true;
        lastAgentY = ay;
        if (ax > MaxAgentX) MaxAgentX = ax;

        float reward = coin ? 10f : 0f;
        Return += reward;
        bool stopped = !coin && ReachedEnd && Config.StopAtEnd;
        bool terminated = coin || hazard || stopped;
        bool truncated = !terminated && Steps >= Config.Timeout;
        Died = hazard && !coin;
        if (coin) Outcome = CoinRunOutcome.Coin;
        else if (terminated || truncated) Outcome = ReachedEnd ? CoinRunOutcome.End : hazard ? CoinRunOutcome.Died : CoinRunOutcome.Timeout;
        return new StepResult(reward, terminated, truncated, Outcome, Steps);
    }

    /// <summary>procgen's set_action_xy: the move's direction, support under the agent's feet, no jump without support.</summary>
    private void SetAction(int move)
    {
        ActionVx = move / 3 - 1;
        actionVy = move % 3 - 1;
        // The probes below the feet are computed in double (the C++ literals are double), then read as float.
        float below = (float)(ay - (Ry + 0.01));
        var left = TileAt((float)(ax - (Rx - 0.01)), below);
        var right = TileAt((float)(ax + (Rx - 0.01)), below);
        HasSupport = (isOnCrate || CoinRunLevel.IsGround(left) || CoinRunLevel.IsGround(right)) && avy == 0;
        isOnCrate = false;
        if (actionVy == 1 && !HasSupport) actionVy = 0;
    }

    private void UpdateAgentVelocity()
    {
        float mix = HasSupport ? MixRate : MixRate * AirControl;
        avx = (1 - mix) * avx + mix * MaxSpeed * ActionVx;
        if (MathF.Abs(avx) < mix * MaxSpeed) avx = 0;
        if (actionVy > 0) avy = MaxJump;
        else if (HasSupport) avy = (float)(avy + 0.2 * actionVy);
        if (!(HasSupport && actionVy > 0))
        {
            avy -= Gravity;
            avy = Math.Clamp(avy, -MaxJump, MaxJump);
        }
    }

    /// <summary>procgen's basic_step_object: at least four sub-steps, x and y each tried, blocked axes lose their share of speed.</summary>
    private void StepObject(int obj)
    {
        ref float vx = ref obj == Agent ? ref avx : ref evx[obj];
        ref float vy = ref obj == Agent ? ref avy : ref evy[obj];
        int n = (int)(4 * Math.Sqrt(vx * vx + vy * vy));
        if (n < 4) n = 4;
        float pct = (float)(1.0 / n);
        float cmp = MathF.Abs(vx) - MathF.Abs(vy);
        bool xFirst = cmp == 0 ? stepRandInt % 2 == 0 : cmp > 0;
        if (obj == Agent)
        {
            if (ActionVx != 0) xFirst = true;
            if (actionVy != 0) xFirst = false;
        }
        float xShare = 0, yShare = 0;
        for (int s = 0; s < n; s++)
        {
            bool blockX, blockY;
            if (xFirst)
            {
                blockX = SubStep(obj, vx * pct, 0, 0);
                blockY = SubStep(obj, 0, vy * pct, 0);
            }
            else
            {
                blockY = SubStep(obj, 0, vy * pct, 0);
                blockX = SubStep(obj, vx * pct, 0, 0);
            }
            if (!blockX) xShare += 1;
            if (!blockY) yShare += 1;
            if (blockX && blockY) break;
        }
        xShare /= n;
        yShare /= n;
        vx *= xShare;
        vy *= yShare;
    }

    /// <summary>procgen's sub_step: move, then snap back to the tile edge on a wall (or bounce, for enemies), then crates.</summary>
    private bool SubStep(int obj, float dvx, float dvy, int depth)
    {
        bool agent = obj == Agent;
        ref float x = ref agent ? ref ax : ref ex[obj];
        ref float y = ref agent ? ref ay : ref ey[obj];
        float rx = agent ? Rx : EntityR, ry = agent ? Ry : EntityR;
        float nx = x + dvx, ny = y + dvy;
        bool horizontal = dvx != 0;
        bool block = false, reflect = false;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
            {
                var t = TileAt(nx + rx * SubStepMargin * (2 * i - 1), ny + ry * SubStepMargin * (2 * j - 1));
                block = block || t == Tile.WallMid || (agent && t == Tile.WallTop);
                reflect = reflect || (!agent && (CoinRunLevel.IsGround(t) || t == Tile.Barrier));
            }
        if (reflect)
        {
            if (horizontal)
            {
                float delta = dvx < 0 ? MathF.Ceiling(nx - rx) - (nx - rx) : MathF.Floor(nx + rx) - (nx + rx);
                evx[obj] = -evx[obj];
                nx = nx + 2 * delta;
            }
            else
            {
                float delta = dvy < 0 ? MathF.Ceiling(ny - ry) - (ny - ry) : MathF.Floor(ny + ry) - (ny + ry);
                evy[obj] = -evy[obj];
                ny = ny + 2 * delta;
            }
        }
        else if (block)
        {
            if (horizontal) nx = dvx > 0 ? MathF.Floor(nx + rx) - rx : MathF.Ceiling(nx - rx) + rx;
            else ny = dvy > 0 ? MathF.Floor(ny + ry) - ry : MathF.Ceiling(ny - ry) + ry;
        }
        x = nx;
        y = ny;

        // Of the other entities only crates act on a mover, and only vertically (saws and enemies are passed through).
        bool blockedByCrate = false;
        if (!horizontal)
            for (int k = crateCount - 1; k >= 0; k--)
            {
                int c = crates[k];
                if (MathF.Abs(x - ex[c]) < rx + EntityR + PosEps && MathF.Abs(y - ey[c]) < ry + EntityR + PosEps && CrateCarries(c))
                {
                    PushOut(c, obj, depth);
                    blockedByCrate = true;
                }
            }
        return block || blockedByCrate;
    }

    /// <summary>
    /// coinrun's crate rule: a crate blocks only while the agent falls onto it from above without pressing down.
    /// The original asks this about the agent even when the mover is an enemy; so does this.
    /// </summary>
    private bool CrateCarries(int crate)
    {
        if (avy >= 0) return false;
        if (actionVy < 0) return false;
        if (lastAgentY < ey[crate] + EntityR + Ry) return false;
        isOnCrate = true;
        return true;
    }

    /// <summary>procgen's push_obj (vertical): move the mover to touch the crate, then stop its vertical speed.</summary>
    private void PushOut(int crate, int obj, int depth)
    {
        bool agent = obj == Agent;
        float y = agent ? ay : ey[obj];
        float rsum = EntityR + (agent ? Ry : EntityR);
        float dely = y - ey[crate];
        double sign = dely > 0 ? 1 : dely == 0 ? 0 : -1;
        float tvy = (float)(ey[crate] + sign * rsum - y);
        if (depth < 5) SubStep(obj, 0, tvy, depth + 1);
        if (agent) avy = 0;
        else evy[obj] = 0;
    }

    /// <summary>The tiles the agent overlaps: the coin, lava, the marker and the level's end.</summary>
    private void CheckTiles(ref bool coin, ref bool hazard)
    {
        int minX = (int)(ax - (Rx + PosEps)), maxX = (int)(ax + (Rx + PosEps));
        int minY = (int)(ay - (Ry + PosEps)), maxY = (int)(ay + (Ry + PosEps));
        var end = Level.EndCell;
        for (int x = minX; x <= maxX; x++)
            for (int y = minY; y <= maxY; y++)
            {
                var t = Level.At(x, y);
                if (t == Tile.Coin) coin = true;
                else if (CoinRunLevel.IsLava(t)) hazard = true;
                else if (t == Tile.Marker) TouchedMarker = true;
                if (x == end.X && y == end.Y && !ReachedEnd)
                {
                    ReachedEnd = true;
                    EndStep = Steps;
                }
            }
    }

    /// <summary>procgen's get_obj_from_floats: negative coordinates and everything outside the world are ground.</summary>
    private Tile TileAt(float x, float y) =>
        x < 0 || y < 0 ? Tile.WallMid : Level.At((int)MathF.Floor(x), (int)MathF.Floor(y));

    public void WriteFacts(Span<float> facts)
    {
        facts[0] = ReachedEnd ? 1 : 0;
        facts[1] = EndStep;
        facts[2] = TouchedMarker ? 1 : 0;
        facts[3] = Level.RandomizedCoin ? 1 : 0;
        facts[4] = Level.CoinCell.X;
        facts[5] = Level.EndCell.X;
        facts[6] = MaxAgentX;
        facts[7] = Died ? 1 : 0;
    }

    int IGame.StateSize => StateBytes;

    public void WriteState(Span<byte> state)
    {
        state[..StateBytes].Clear();
        BinaryPrimitives.WriteInt32LittleEndian(state, LevelSeed);
        BinaryPrimitives.WriteInt32LittleEndian(state[4..], Steps);
        BinaryPrimitives.WriteSingleLittleEndian(state[8..], Return);
        BinaryPrimitives.WriteSingleLittleEndian(state[12..], ax);
        BinaryPrimitives.WriteSingleLittleEndian(state[16..], ay);
        BinaryPrimitives.WriteSingleLittleEndian(state[20..], avx);
        BinaryPrimitives.WriteSingleLittleEndian(state[24..], avy);
        BinaryPrimitives.WriteSingleLittleEndian(state[28..], lastAgentY);
        BinaryPrimitives.WriteSingleLittleEndian(state[32..], MaxAgentX);
        BinaryPrimitives.WriteInt32LittleEndian(state[36..], EndStep);
        BinaryPrimitives.WriteUInt32LittleEndian(state[40..], stepRandInt);
        state[44] = Outcome;
        state[45] = (byte)(ActionVx + 1);
        state[46] = (byte)(actionVy + 1);
        state[47] = (byte)((HasSupport ? 1 : 0) | (isOnCrate ? 2 : 0) | (FacingLeft ? 4 : 0) | (ReachedEnd ? 8 : 0) | (TouchedMarker ? 16 : 0) | (Died ? 32 : 0));
        for (int i = 0; i < Level.EntityCount; i++)
        {
            var e = state[(HeaderBytes + i * 16)..];
            BinaryPrimitives.WriteSingleLittleEndian(e, ex[i]);
            BinaryPrimitives.WriteSingleLittleEndian(e[4..], ey[i]);
            BinaryPrimitives.WriteSingleLittleEndian(e[8..], evx[i]);
            BinaryPrimitives.WriteSingleLittleEndian(e[12..], evy[i]);
        }
    }

    public void ReadState(ReadOnlySpan<byte> state)
    {
        if (state.Length < StateBytes) throw new MisgenInputException("game state is truncated");
        int seed = BinaryPrimitives.ReadInt32LittleEndian(state);
        int steps = BinaryPrimitives.ReadInt32LittleEndian(state[4..]);
        if (seed < 0 || steps < 0 || steps > Config.Timeout || state[44] > CoinRunOutcome.Timeout || state[45] > 2 || state[46] > 2 || state[47] > 63)
            throw new MisgenInputException("game state is corrupt or belongs to another env spec");
        Reset(seed);
        // The level's generator draws once per step; replaying the draws puts it where the episode left it.
        for (int s = 0; s < steps; s++) Level.Rng.Next();
        Steps = steps;
        Return = ReadFinite(state, 8);
        ax = ReadFinite(state, 12);
        ay = ReadFinite(state, 16);
        avx = ReadFinite(state, 20);
        avy = ReadFinite(state, 24);
        lastAgentY = ReadFinite(state, 28);
        MaxAgentX = ReadFinite(state, 32);
        EndStep = BinaryPrimitives.ReadInt32LittleEndian(state[36..]);
        stepRandInt = BinaryPrimitives.ReadUInt32LittleEndian(state[40..]);
        Outcome = state[44];
        ActionVx = state[45] - 1;
        actionVy = state[46] - 1;
        byte flags = state[47];
        HasSupport = (flags & 1) != 0;
        isOnCrate = (flags & 2) != 0;
        FacingLeft = (flags & 4) != 0;
        ReachedEnd = (flags & 8) != 0;
        TouchedMarker = (flags & 16) != 0;
        Died = (flags & 32) != 0;
        for (int i = 0; i < Level.EntityCount; i++)
        {
            int o = HeaderBytes + i * 16;
            ex[i] = ReadFinite(state, o);
            ey[i] = ReadFinite(state, o + 4);
            evx[i] = ReadFinite(state, o + 8);
            evy[i] = ReadFinite(state, o + 12);
        }
    }

    private static float ReadFinite(ReadOnlySpan<byte> state, int offset)
    {
        float v = BinaryPrimitives.ReadSingleLittleEndian(state[offset..]);
        return float.IsFinite(v) ? v : throw new MisgenInputException("game state is corrupt or belongs to another env spec");
    }

    public LevelDescription Describe()
    {
        var entities = new List<LevelEntity>(Level.EntityCount);
        for (int i = 0; i < Level.EntityCount; i++)
        {
            var kind = Level.Kinds[i];
            var extra = kind == EntityKind.Saw ? null : new Dictionary<string, object>
            {
                ["theme"] = kind == EntityKind.Enemy ? CoinRunSprites.EnemyNames[Level.Themes[i]] : CoinRunSprites.CrateNames[Level.Themes[i]],
            };
            if (kind == EntityKind.Enemy) extra!["vx"] = evx[i];
            entities.Add(new LevelEntity(kind.ToString().ToLowerInvariant(), ex[i], ey[i], extra));
        }
        if (Level.MarkerCell.X >= 0) entities.Add(new LevelEntity("marker", Level.MarkerCell.X + 0.5, Level.MarkerCell.Y + 0.5));
        return new LevelDescription(Spec.ToString(), LevelSeed, CoinRunLevel.Size, CoinRunLevel.Size, Level.Picture(),
            CoinRunDefinition.Instance.Legend, entities, ax, ay);
    }
}
