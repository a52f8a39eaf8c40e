using System.Runtime.InteropServices;

namespace Misgen.Native;

/// <summary>
/// What every exported function returns (docs/C-ABI.md): 0 for success, otherwise a code saying whose fault
/// the failure is. The message is kept per calling thread for <c>misgen_last_error</c>.
/// </summary>
internal static unsafe class Status
{
    public const int Ok = 0;

    /// <summary>The caller's input is wrong (unknown spec, wrong buffer size, missing agent): fix the call.</summary>
    public const int BadInput = 1;

    /// <summary>The call is out of order (stepping before reset, a freed handle).</summary>
    public const int BadState = 2;

    /// <summary>Reading or writing a file failed.</summary>
    public const int IoError = 3;

    /// <summary>Anything else: a bug in Misgen, or memory ran out.</summary>
    public const int Internal = 4;

    [ThreadStatic] private static byte* lastError;

    /// <summary>Keeps the exception's message for this thread and returns its code; nothing escapes to the caller.</summary>
    public static int Fail(Exception error)
    {
        int code = error switch
        {
            MisgenInputException or ArgumentException or FormatException or OverflowException => BadInput,
            InvalidOperationException or ObjectDisposedException => BadState,
            IOException or UnauthorizedAccessException => IoError,
            _ => Internal,
        };
        string message = code == Internal
            ? $"{error.GetType().Name}: {error.Message}" + (error.GetBaseException() is { } root && root != error ? $" ({root.GetType().Name}: {root.Message})" : "")
            : error.Message;
        SetError(message);
        return code;
    }

    public static int Fail(int code, string message)
    {
        SetError(message);
        return code;
    }

    /// <summary>The last failure's message on this thread (an empty string when there was none).</summary>
    public static byte* LastError()
    {
        if (lastError == null) SetError("");
        return lastError;
    }

    private static void SetError(string message)
    {
        if (lastError != null) NativeMemory.Free(lastError);
        lastError = Utf8.Allocate(message, out _);
    }
}
