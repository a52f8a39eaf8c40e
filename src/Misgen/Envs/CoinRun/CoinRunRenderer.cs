using System.Collections.Concurrent;

namespace Misgen.Envs.CoinRun;

/// <summary>
/// Draws CoinRun the procgen way, without antialiasing: a view 13 tiles wide centred on the agent, each pixel
/// sampling what its centre falls on (the background stretched over the 64-tile world and shifted by the
/// level's offset draw, tiles of the level's wall theme, everything outside the world drawn as ground), then
/// the entities in procgen's order (saws and crates, then the agent, then the walking enemies). The level layer
/// is the level's tile map (64 x 64 bytes); the view scrolls, so each frame samples it afresh. No allocation.
/// </summary>
public sealed class CoinRunRenderer : GameRenderer<CoinRunGame>
{
    public const float Visibility = 13;
    private const int WorldSize = CoinRunLevel.Size;
    private const float AgentImageScale = 1.7415f;   // the alien's image is 1.7415 times its box, bottom-aligned

    private static readonly ConcurrentDictionary<int, Lazy<CoinRunRenderer>> Cache = new();

    private CoinRunRenderer(int size)
    {
        Size = size;
        // procgen: unit = (64 / visibility) * (height / 64), in float.
        Unit = 64f / Visibility * (float)(size / 64.0);
    }

    public static CoinRunRenderer For(int size)
    {
        if (size < 13 || size > 4096)
            throw new MisgenInputException($"observation size {size} is invalid; valid: 13..4096 pixels (64 is procgen's)");
        return Cache.GetOrAdd(size, s => new Lazy<CoinRunRenderer>(() => new CoinRunRenderer(s))).Value;
    }

    public int Size { get; }

    /// <summary>Pixels per tile.</summary>
    public float Unit { get; }

    public override ObservationShape Shape => new(Size, 3);

    public override int LayerBytes => WorldSize * WorldSize;

    public override void DrawLevel(CoinRunGame game, Span<byte> layer)
    {
        var tiles = game.Level.Tiles;
        for (int i = 0; i < tiles.Length; i++) layer[i] = (byte)tiles[i];
    }

    public override void DrawFrame(CoinRunGame game, ReadOnlySpan<byte> layer, Span<byte> frame)
    {
        var level = game.Level;
        float cx = game.AgentX, cy = game.AgentY;
        int size = Size;
        frame = frame[..(size * size * 3)];
        var background = CoinRunSprites.Background(level.BackgroundIndex);
        var groundMid = CoinRunSprites.GroundMid[level.WallTheme];
        var groundTop = CoinRunSprites.GroundTop[level.WallTheme];
        const int T = CoinRunSprites.Tile, BW = CoinRunSprites.BackgroundWidth, BH = CoinRunSprites.BackgroundHeight;
        // The background keeps its aspect ratio (BW / BH) over the world's height and is shifted by the offset draw.
        double bgAspect = (double)BW / BH, bgShift = level.BackgroundOffset * (bgAspect - 1) * WorldSize;

        Span<int> tileX = size <= 1024 ? stackalloc int[size] : new int[size];
        Span<int> texX = size <= 1024 ? stackalloc int[size] : new int[size];
        Span<int> bgX = size <= 1024 ? stackalloc int[size] : new int[size];
        double left = cx - Visibility / 2, top = cy + Visibility / 2;
        for (int p = 0; p < size; p++)
        {
            double wx = left + (p + 0.5) / Unit;
            double fx = Math.Floor(wx);
            tileX[p] = (int)fx;
            texX[p] = Math.Min(T - 1, (int)((wx - fx) * T)) * 4;
            bgX[p] = Math.Clamp((int)((wx + bgShift) / (bgAspect * WorldSize) * BW), 0, BW - 1) * 3;
        }
        DrawTiles(layer, frame, background, groundMid, groundTop, tileX, texX, bgX, top);

        // Entities: render level 0 (saws, crates) in creation order, then level 1: the agent, then the enemies.
        for (int i = 0; i < game.EntityCount; i++)
        {
            var kind = level.Kinds[i];
            if (kind == EntityKind.Enemy) continue;
            var sprite = kind == EntityKind.Saw ? CoinRunSprites.Saw[game.Steps % 2] : CoinRunSprites.Crates[level.Themes[i]];
            DrawSprite(frame, sprite, T, T, game.EntityX(i) - 0.5f, game.EntityY(i) + 0.5f, 1, 1, cx, cy, mirrored: false);
        }
        int pose = Math.Abs(game.AgentVx) < .01 && game.ActionVx == 0 && game.HasSupport ? 0
            : game.Steps / 5 % 2 == 0 || !game.HasSupport ? 1 : 2;
        float boxHeight = 2 * CoinRunLevel.AgentRy, imageHeight = boxHeight * AgentImageScale;
        DrawSprite(frame, CoinRunSprites.Agents[level.AgentSkin * 3 + pose], CoinRunSprites.AgentWidth, CoinRunSprites.AgentHeight,
            cx - CoinRunLevel.AgentRx, cy - CoinRunLevel.AgentRy + imageHeight, 2 * CoinRunLevel.AgentRx, imageHeight, cx, cy, game.FacingLeft);
        for (int i = 0; i < game.EntityCount; i++)
        {
            if (level.Kinds[i] != EntityKind.Enemy) continue;
            var sprite = CoinRunSprites.Enemies[level.Themes[i] * 2 + game.Steps / 5 % 2];
            DrawSprite(frame, sprite, T, T, game.EntityX(i) - 0.5f, game.EntityY(i) + 0.5f, 1, 1, cx, cy, mirrored: game.EntityVx(i) > 0);
        }
    }

    /// <summary>
    /// The tile layer: one nearest sample per pixel (the ground opaque, the background under everything else,
    /// the coin and the lava surface blended over it). Pointers: this loop is most of a step's cost.
    /// </summary>
    private unsafe void DrawTiles(ReadOnlySpan<byte> layer, Span<byte> frame, byte[] background, byte[] groundMid, byte[] groundTop,
        ReadOnlySpan<int> tileX, ReadOnlySpan<int> texX, ReadOnlySpan<int> bgX, double top)
    {
        const int T = CoinRunSprites.Tile, BH = CoinRunSprites.BackgroundHeight, BW = CoinRunSprites.BackgroundWidth;
        int size = Size;
        // Runs of columns over the same tile (the same for every row).
        Span<int> runStart = stackalloc int[WorldSize + 2];
        int runCount = 0;
        for (int px = 0; px < size; px++)
            if (px == 0 || tileX[px] != tileX[px - 1]) runStart[runCount++] = px;
        runStart[runCount] = size;
        fixed (byte* layerP = layer, frameP = frame, bgP = background, midP = groundMid, topP = groundTop,
               lavaP = CoinRunSprites.LavaMid, lavaTopP = CoinRunSprites.LavaTop, coinP = CoinRunSprites.Coin)
        fixed (int* tileXP = tileX, texXP = texX, bgXP = bgX, runStartP = runStart)
        {
            for (int py = 0; py < size; py++)
            {
                double wy = top - (py + 0.5) / Unit;
                double fy = Math.Floor(wy);
                int ty = (int)fy;
                bool rowInside = (uint)ty < WorldSize;
                byte* layerRow = layerP + (rowInside ? ty * WorldSize : 0);
                int texRow = Math.Min(T - 1, (int)((fy + 1 - wy) * T)) * T * 4;
                byte* bgRow = bgP + Math.Clamp((int)((WorldSize - wy) / WorldSize * BH), 0, BH - 1) * BW * 3;
                byte* rowStart = frameP + py * size * 3;
                // Pixels are copied 4 bytes at a time (RGB plus a byte the next pixel overwrites), except the frame's last.
                int wide = py == size - 1 ? size - 1 : size;
                // The columns fall into runs of one tile each: one lookup and one branch per run.
                for (int run = 0; run < runCount; run++)
                {
                    int px0 = runStartP[run], px1 = runStartP[run + 1], tx = tileXP[px0];
                    var tile = rowInside && (uint)tx < WorldSize ? (Tile)layerRow[tx] : Tile.WallMid;
                    byte* sprite = tile switch
                    {
                        Tile.WallMid => midP + texRow,
                        Tile.WallTop => topP + texRow,
                        Tile.LavaMid => lavaP + texRow,
                        _ => null,
                    };
                    byte* dst = rowStart + px0 * 3;
                    int* offsets = sprite != null ? texXP : bgXP;
                    byte* source = sprite != null ? sprite : bgRow;
                    int end = Math.Min(px1, wide);
                    int px = px0;
                    for (; px < end; px++, dst += 3) *(uint*)dst = *(uint*)(source + offsets[px]);
                    for (; px < px1; px++, dst += 3)
                    {
                        byte* src = source + offsets[px];
                        dst[0] = src[0];
                        dst[1] = src[1];
                        dst[2] = src[2];
                    }
                    if (tile is not (Tile.Coin or Tile.LavaTop)) continue;
                    byte* over = (tile == Tile.Coin ? coinP : lavaTopP) + texRow;
                    dst = rowStart + px0 * 3;
                    for (px = px0; px < px1; px++, dst += 3)
                    {
                        byte* o = over + texXP[px];
                        int a = o[3];
                        if (a == 0) continue;
                        for (int c = 0; c < 3; c++) dst[c] = (byte)((o[c] * a + dst[c] * (255 - a) + 127) / 255);
                    }
                }
            }
        }
    }

    /// <summary>An RGBA sprite over the world box with top-left (x0, y0) and size (w, h) in tiles; pixels whose centre falls inside.</summary>
    private void DrawSprite(Span<byte> frame, byte[] sprite, int sw, int sh, double x0, double y0, double w, double h, float cx, float cy, bool mirrored)
    {
        int size = Size;
        double sx0 = (x0 - cx + Visibility / 2) * Unit, sy0 = (cy + Visibility / 2 - y0) * Unit;
        double sx1 = sx0 + w * Unit, sy1 = sy0 + h * Unit;
        int pxStart = Math.Max(0, (int)Math.Ceiling(sx0 - 0.5)), pxEnd = Math.Min(size, (int)Math.Ceiling(sx1 - 0.5));
        int pyStart = Math.Max(0, (int)Math.Ceiling(sy0 - 0.5)), pyEnd = Math.Min(size, (int)Math.Ceiling(sy1 - 0.5));
        for (int py = pyStart; py < pyEnd; py++)
        {
            int v = Math.Min(sh - 1, (int)((py + 0.5 - sy0) / (sy1 - sy0) * sh));
            for (int px = pxStart; px < pxEnd; px++)
            {
                int u = Math.Min(sw - 1, (int)((px + 0.5 - sx0) / (sx1 - sx0) * sw));
                if (mirrored) u = sw - 1 - u;
                Blend(sprite, (v * sw + u) * 4, frame, (py * size + px) * 3);
            }
        }
    }

    private static void Copy(byte[] sprite, int s, Span<byte> frame, int o)
    {
        frame[o] = sprite[s];
        frame[o + 1] = sprite[s + 1];
        frame[o + 2] = sprite[s + 2];
    }

    private static void Blend(byte[] sprite, int s, Span<byte> frame, int o)
    {
        int a = sprite[s + 3];
        if (a == 0) return;
        if (a == 255)
        {
            Copy(sprite, s, frame, o);
            return;
        }
        for (int c = 0; c < 3; c++) frame[o + c] = (byte)((sprite[s + c] * a + frame[o + c] * (255 - a) + 127) / 255);
    }
}
