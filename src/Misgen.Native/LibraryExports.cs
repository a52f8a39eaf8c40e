using System.Runtime.InteropServices;

namespace Misgen.Native;

/// <summary>The library-wide part of the C ABI (docs/C-ABI.md): version, errors, threads, the catalogue, freeing.</summary>
internal static unsafe class LibraryExports
{
    /// <summary>Raised when a function's signature or meaning changes; the Python package checks it.</summary>
    public const int AbiVersion = 1;

    [UnmanagedCallersOnly(EntryPoint = "misgen_abi_version")]
    public static int Version() => AbiVersion;

    [UnmanagedCallersOnly(EntryPoint = "misgen_last_error")]
    public static byte* LastError() => Status.LastError();

    [UnmanagedCallersOnly(EntryPoint = "misgen_free")]
    public static void Free(void* memory) => NativeMemory.Free(memory);

    [UnmanagedCallersOnly(EntryPoint = "misgen_set_threads")]
    public static int SetThreads(int threads)
    {
        try
        {
            WorkerPool.CheckThreads(threads, "threads");
            WorkerPool.ConfigureShared(threads);
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_games")]
    public static int Games(byte** json, long* length)
    {
        try
        {
            if (json == null || length == null) throw new MisgenInputException("json and length pointers must not be NULL");
            *json = Utf8.Allocate(Json.Write(Json.WriteGames), out long bytes);
            *length = bytes;
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }

    [UnmanagedCallersOnly(EntryPoint = "misgen_spec_canonical")]
    public static int Canonical(byte* spec, byte** text, long* length)
    {
        try
        {
            if (text == null || length == null) throw new MisgenInputException("text and length pointers must not be NULL");
            *text = Utf8.Allocate(Envs.EnvSpec.Parse(Utf8.Read(spec, "spec")).ToString(), out long bytes);
            *length = bytes;
            return Status.Ok;
        }
        catch (Exception error) { return Status.Fail(error); }
    }
}
