using System.Collections.Concurrent;
using Misgen.Envs.Procgen;

namespace Misgen.Envs.Heist;

/// <summary>
/// Draws keys-and-chests observations the procgen way, without antialiasing: the whole world in view
/// (13 tiles in 64 px for hard), the background texture stretched over it, wall tiles 0.02 tile larger on
/// each side (procgen's RENDER_EPS), entities as sprites in their boxes, the agent rotated to its last move
/// direction and the held keys as small upright keys along the top right. A pixel takes a sprite's colour
/// when its centre falls inside the (rotated) box. The level layer holds background, walls, keys and chests;
/// it changes when something is picked up or opened.
/// </summary>
public sealed class HeistRenderer : GameRenderer<HeistGame>
{
    private const float RenderEps = 0.02f, RingKeyRadius = 0.03f;
    private static readonly ConcurrentDictionary<(int, int), Lazy<HeistRenderer>> Cache = new();

    private readonly int[] pixelStart;   // first pixel column (or row from the top) of screen tile k; [W] = Size
    private readonly byte[] wallLayer;   // every tile drawn as wall
    private readonly Lazy<byte[][]> textureLayers;

    private HeistRenderer(int worldSize, int size)
    {
        WorldSize = worldSize;
        Size = size;
        Unit = (float)size / worldSize;
        pixelStart = new int[worldSize + 1];
        for (int k = 0, p = 0; k <= worldSize; k++)
        {
            while (p < size && (int)((p + 0.5) / Unit) < k) p++;
            pixelStart[k] = p;
        }
        wallLayer = new byte[size * size * 3];
        for (int py = 0; py < size; py++)
            for (int px = 0; px < size; px++)
            {
                double wx = (px + 0.5) / Unit, wy = (py + 0.5) / Unit; // wy counted from the top
                int sx = SpriteIndex((wx - Math.Floor(wx) + RenderEps) / (1 + 2 * RenderEps));
                int sy = SpriteIndex((wy - Math.Floor(wy) + RenderEps) / (1 + 2 * RenderEps));
                HeistSprites.Wall.AsSpan((sy * HeistSprites.Size + sx) * 4, 3).CopyTo(wallLayer.AsSpan((py * size + px) * 3));
            }
        textureLayers = new Lazy<byte[][]>(() => Enumerable.Range(0, Textures.Count).Select(StretchTexture).ToArray());
    }

    /// <summary>The renderer for a world side and an observation side (built once, then shared).</summary>
    public static HeistRenderer For(int worldSize, int size)
    {
        if (size < worldSize || size > 4096)
            throw new MisgenInputException($"observation size {size} is invalid; valid: {worldSize}..4096 pixels (64 is procgen's)");
        return Cache.GetOrAdd((worldSize, size), k => new Lazy<HeistRenderer>(() => new HeistRenderer(k.Item1, k.Item2))).Value;
    }

    public int WorldSize { get; }
    public int Size { get; }

    /// <summary>Pixels per tile.</summary>
    public float Unit { get; }

    public override ObservationShape Shape => new(Size, 3);

    private static int SpriteIndex(double fraction) => Math.Clamp((int)(fraction * HeistSprites.Size), 0, HeistSprites.Size - 1);

    private byte[] StretchTexture(int index)
    {
        var source = Textures.Get(index);
        var layer = new byte[Size * Size * 3];
        for (int py = 0; py < Size; py++)
            for (int px = 0; px < Size; px++)
            {
                int sx = (int)((px + 0.5) * Textures.Size / Size), sy = (int)((py + 0.5) * Textures.Size / Size);
                source.Slice((sy * Textures.Size + sx) * 3, 3).CopyTo(layer.AsSpan((py * Size + px) * 3));
            }
        return layer;
    }

    public override void DrawLevel(HeistGame game, Span<byte> layer)
    {
        var level = game.Level;
        if (level.WorldSize != WorldSize) throw new ArgumentException("level and renderer world sizes differ", nameof(game));
        layer = layer[..(Size * Size * 3)];
        textureLayers.Value[level.BackgroundIndex].CopyTo(layer);
        int rowBytes = Size * 3;
        for (int y = 0; y < WorldSize; y++)
            for (int x = 0; x < WorldSize; x++)
            {
                if (!level.IsWall(x, y)) continue;
                int row = WorldSize - 1 - y;
                int start = pixelStart[x] * 3, length = (pixelStart[x + 1] - pixelStart[x]) * 3;
                for (int py = pixelStart[row]; py < pixelStart[row + 1]; py++)
                    wallLayer.AsSpan(py * rowBytes + start, length).CopyTo(layer.Slice(py * rowBytes + start, length));
            }
        bool aisc = game.Config.IsAisc;
        for (int e = 0; e < level.EntityCount; e++)
        {
            if (game.IsTaken(e)) continue;
            var sprite = level.Kinds[e] switch
            {
                HeistEntityKind.Key => HeistSprites.Keys[aisc ? 1 : level.Themes[e]],
                HeistEntityKind.Chest => HeistSprites.Locks[0],
                HeistEntityKind.Lock => HeistSprites.Locks[level.Themes[e]],
                _ => HeistSprites.Gem,
            };
            DrawSprite(layer, sprite, (level.X[e] - level.Rx[e]) * Unit, (WorldSize - level.Y[e] - level.Ry[e]) * Unit,
                2 * level.Rx[e] * Unit, 2 * level.Ry[e] * Unit, 0);
        }
    }

    public override void DrawFrame(HeistGame game, ReadOnlySpan<byte> layer, Span<byte> frame)
    {
        layer[..(Size * Size * 3)].CopyTo(frame);
        const float r = 0.375f;
        DrawSprite(frame, HeistSprites.Astronaut, (game.AgentX - r) * Unit, (WorldSize - game.AgentY - r) * Unit, 2 * r * Unit, 2 * r * Unit, game.Rotation);
        // Held keys: procgen's KEY_ON_RING entities in screen fractions, rotated a quarter turn.
        float ry = RingKeyRadius / (float)(84.0 / 52.0);
        var ringSprite = HeistSprites.Keys[1];
        for (int i = 0; i < HeistLevel.MaxEntities; i++)
        {
            if (!game.ShowsRingKey(i))
            {
                if (game.Config.IsAisc) break;
                continue;
            }
            float x = 1 - RingKeyRadius * (2 * i + 1.25f), y = RingKeyRadius * 0.75f;
            var sprite = game.Config.IsAisc ? ringSprite : HeistSprites.Keys[i];
            DrawSprite(frame, sprite, Size * (x - RingKeyRadius), Size * (y + ry), 2 * Size * RingKeyRadius, 2 * Size * ry, MathF.PI / 2);
        }
    }

    /// <summary>
    /// Draws an RGBA sprite into the box (left, top, width, height) in pixels, rotated by
    /// <paramref name="rotation"/> radians clockwise about the box centre; nearest sampling, alpha 0 skipped.
    /// </summary>
    private void DrawSprite(Span<byte> frame, byte[] sprite, float left, float top, float width, float height, float rotation)
    {
        if (width <= 0 || height <= 0) return;
        float cx = left + width / 2, cy = top + height / 2;
        float cos = MathF.Cos(rotation), sin = MathF.Sin(rotation);
        float extent = rotation == 0 ? 0 : MathF.Max(width, height) / 2;
        float halfW = rotation == 0 ? width / 2 : extent * 1.5f, halfH = rotation == 0 ? height / 2 : extent * 1.5f;
        int x0 = Math.Max(0, (int)MathF.Floor(cx - halfW)), x1 = Math.Min(Size - 1, (int)MathF.Ceiling(cx + halfW));
        int y0 = Math.Max(0, (int)MathF.Floor(cy - halfH)), y1 = Math.Min(Size - 1, (int)MathF.Ceiling(cy + halfH));
        for (int py = y0; py <= y1; py++)
            for (int px = x0; px <= x1; px++)
            {
                float sx = px + 0.5f - cx, sy = py + 0.5f - cy;
                float lx = cos * sx + sin * sy, ly = -sin * sx + cos * sy;
                float u = lx / width + 0.5f, v = ly / height + 0.5f;
                if (u < 0 || u >= 1 || v < 0 || v >= 1) continue;
                int i = ((int)(v * HeistSprites.Size) * HeistSprites.Size + (int)(u * HeistSprites.Size)) * 4;
                if (sprite[i + 3] == 0) continue;
                int o = (py * Size + px) * 3;
                frame[o] = sprite[i];
                frame[o + 1] = sprite[i + 1];
                frame[o + 2] = sprite[i + 2];
            }
    }
}
