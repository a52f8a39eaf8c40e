using System.Collections.Concurrent;

namespace Misgen.Native;

/// <summary>
/// Objects handed to the caller as numbers, never as pointers: a freed, forged or wrong-kind handle is a clear
/// error instead of a crash. Numbers are never reused within a process.
/// </summary>
internal static class Handles
{
    private static readonly ConcurrentDictionary<long, object> objects = new();
    private static long next;

    public static long Add(object value)
    {
        long handle = Interlocked.Increment(ref next);
        objects[handle] = value;
        return handle;
    }

    /// <summary>The object of <paramref name="handle"/> when it is a live <typeparamref name="T"/>.</summary>
    public static T Get<T>(long handle, string kind) where T : class
    {
        if (objects.TryGetValue(handle, out var value) && value is T typed) return typed;
        throw new InvalidOperationException(handle == 0
            ? $"the {kind} handle is 0 (creation failed or it was never made)"
            : $"handle {handle} is not a live {kind} (freed already, or another kind of object)");
    }

    public static bool Remove(long handle, out object? value) => objects.TryRemove(handle, out value);
}
