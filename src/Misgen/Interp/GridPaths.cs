using Misgen.Envs;

namespace Misgen.Interp;

/// <summary>
/// Shortest paths between cells of a grid game, by breadth-first search over open cells (4-neighbourhood).
/// Ties between equally short paths are broken the same way every time: neighbours are explored left, down,
/// up, right (procgen's order), so the path found is the first in that order.
/// </summary>
public sealed class GridPaths
{
    private static readonly (int Dx, int Dy)[] Moves = [(-1, 0), (0, -1), (0, 1), (1, 0)];

    private readonly int width, height;
    private readonly int[] parent;   // cell index of the previous cell on the path from the source; -1 unreached
    private readonly int[] distance;

    /// <summary>Every shortest path from (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public GridPaths(IGridAgentGame game, int x, int y)
    {
        width = game.GridWidth;
        height = game.GridHeight;
        SourceX = x;
        SourceY = y;
        parent = new int[width * height];
        distance = new int[width * height];
        Array.Fill(parent, -1);
        Array.Fill(distance, -1);
        if (game.IsWall(x, y)) return;
        var queue = new Queue<int>();
        int source = y * width + x;
        distance[source] = 0;
        parent[source] = source;
        queue.Enqueue(source);
        while (queue.Count > 0)
        {
            int cell = queue.Dequeue(), cx = cell % width, cy = cell / width;
            foreach (var (dx, dy) in Moves)
            {
                int nx = cx + dx, ny = cy + dy;
                if (game.IsWall(nx, ny)) continue;
                int next = ny * width + nx;
                if (distance[next] >= 0) continue;
                distance[next] = distance[cell] + 1;
                parent[next] = cell;
                queue.Enqueue(next);
            }
        }
    }

    public int SourceX { get; }
    public int SourceY { get; }

    /// <summary>Steps from the source to the cell; -1 when it cannot be reached.</summary>
    public int Distance(int x, int y) => x < 0 || y < 0 || x >= width || y >= height ? -1 : distance[y * width + x];

    /// <summary>The cells from the source to (<paramref name="x"/>, <paramref name="y"/>), both included; empty when unreachable.</summary>
    public IReadOnlyList<(int X, int Y)> PathTo(int x, int y)
    {
        if (Distance(x, y) < 0) return [];
        var path = new List<(int, int)>();
        int cell = y * width + x;
        while (true)
        {
            path.Add((cell % width, cell / width));
            if (parent[cell] == cell) break;
            cell = parent[cell];
        }
        path.Reverse();
        return path;
    }

    /// <summary>The action group (left, down, up, right) of a one-cell move.</summary>
    public static string Direction((int X, int Y) from, (int X, int Y) to) => (to.X - from.X, to.Y - from.Y) switch
    {
        (-1, 0) => "left",
        (0, -1) => "down",
        (0, 1) => "up",
        (1, 0) => "right",
        _ => throw new ArgumentException($"{from} -> {to} is not a one-cell move"),
    };

    /// <summary>The first move of the shortest path to the cell (null when unreachable or at the source).</summary>
    public string? FirstStep(int x, int y)
    {
        var path = PathTo(x, y);
        return path.Count < 2 ? null : Direction(path[0], path[1]);
    }
}
