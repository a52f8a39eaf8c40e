using System.Runtime.InteropServices;
using System.Text;

namespace Misgen.Native;

/// <summary>Strings across the boundary: NUL-terminated UTF-8 in, native UTF-8 out (freed by <c>misgen_free</c>).</summary>
internal static unsafe class Utf8
{
    /// <summary>The text of a C string argument; a bad-input error naming the argument when it is null.</summary>
    public static string Read(byte* text, string argument)
    {
        if (text == null) throw new MisgenInputException($"{argument} is NULL; pass a UTF-8 string");
        return Marshal.PtrToStringUTF8((nint)text)!;
    }

    /// <summary>A NUL-terminated copy in native memory; <paramref name="length"/> excludes the terminator.</summary>
    public static byte* Allocate(string text, out long length)
    {
        int bytes = Encoding.UTF8.GetByteCount(text);
        byte* copy = (byte*)NativeMemory.Alloc((nuint)bytes + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>(copy, bytes));
        copy[bytes] = 0;
        length = bytes;
        return copy;
    }

    /// <summary>A native copy of bytes (for state blobs).</summary>
    public static byte* Allocate(ReadOnlySpan<byte> data)
    {
        byte* copy = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, data.Length));
        data.CopyTo(new Span<byte>(copy, data.Length));
        return copy;
    }
}
