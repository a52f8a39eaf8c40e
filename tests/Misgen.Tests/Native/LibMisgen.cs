using System.Runtime.InteropServices;

namespace Misgen.Tests.Native;

/// <summary>The C ABI of libmisgen.so as the tests call it: the exported functions, looked up by name (include/misgen.h).</summary>
internal sealed unsafe class LibMisgen
{
    private static readonly Lazy<LibMisgen> loaded = new(() => new LibMisgen(NativeLibrary.Load(NativeBuild.Library)));

    public static LibMisgen Instance => loaded.Value;

    private readonly nint library;

    private LibMisgen(nint library)
    {
        this.library = library;
        AbiVersion = (delegate* unmanaged<int>)Export("misgen_abi_version");
        LastErrorPointer = (delegate* unmanaged<byte*>)Export("misgen_last_error");
        Free = (delegate* unmanaged<void*, void>)Export("misgen_free");
        Games = (delegate* unmanaged<byte**, long*, int>)Export("misgen_games");
        VecEnvCreate = (delegate* unmanaged<byte*, int, int, int, ulong, int, int, long*, int>)Export("misgen_vecenv_create");
        VecEnvCreateLevels = (delegate* unmanaged<byte*, int, int*, int, int, long*, int>)Export("misgen_vecenv_create_levels");
        VecEnvFree = (delegate* unmanaged<long, int>)Export("misgen_vecenv_free");
        VecEnvShape = (delegate* unmanaged<long, int*, int*, int*, int*, int>)Export("misgen_vecenv_shape");
        VecEnvReset = (delegate* unmanaged<long, byte*, long, int>)Export("misgen_vecenv_reset");
        VecEnvStep = (delegate* unmanaged<long, int*, int, byte*, long, float*, byte*, byte*, byte*, int>)Export("misgen_vecenv_step");
        VecEnvObserve = (delegate* unmanaged<long, byte*, long, byte*, int>)Export("misgen_vecenv_observe");
        VecEnvGetState = (delegate* unmanaged<long, byte**, long*, int>)Export("misgen_vecenv_get_state");
        VecEnvSetState = (delegate* unmanaged<long, byte*, long, int>)Export("misgen_vecenv_set_state");
        VecEnvDescribe = (delegate* unmanaged<long, byte**, long*, int>)Export("misgen_vecenv_describe");
        AgentLoad = (delegate* unmanaged<byte*, long*, int>)Export("misgen_agent_load");
        AgentFree = (delegate* unmanaged<long, int>)Export("misgen_agent_free");
        AgentDescribe = (delegate* unmanaged<long, byte**, long*, int>)Export("misgen_agent_describe");
        AgentForward = (delegate* unmanaged<long, byte*, long, int, float*, float*, int>)Export("misgen_agent_forward");
        AgentRunWithCache = (delegate* unmanaged<long, byte*, long, int, byte**, int, float**, long*, float*, float*, int>)Export("misgen_agent_run_with_cache");
    }

    private nint Export(string name) => NativeLibrary.GetExport(library, name);

    public readonly delegate* unmanaged<int> AbiVersion;
    public readonly delegate* unmanaged<byte*> LastErrorPointer;
    public readonly delegate* unmanaged<void*, void> Free;
    public readonly delegate* unmanaged<byte**, long*, int> Games;
    public readonly delegate* unmanaged<byte*, int, int, int, ulong, int, int, long*, int> VecEnvCreate;
    public readonly delegate* unmanaged<byte*, int, int*, int, int, long*, int> VecEnvCreateLevels;
    public readonly delegate* unmanaged<long, int> VecEnvFree;
    public readonly delegate* unmanaged<long, int*, int*, int*, int*, int> VecEnvShape;
    public readonly delegate* unmanaged<long, byte*, long, int> VecEnvReset;
    public readonly delegate* unmanaged<long, int*, int, byte*, long, float*, byte*, byte*, byte*, int> VecEnvStep;
    public readonly delegate* unmanaged<long, byte*, long, byte*, int> VecEnvObserve;
    public readonly delegate* unmanaged<long, byte**, long*, int> VecEnvGetState;
    public readonly delegate* unmanaged<long, byte*, long, int> VecEnvSetState;
    public readonly delegate* unmanaged<long, byte**, long*, int> VecEnvDescribe;
    public readonly delegate* unmanaged<byte*, long*, int> AgentLoad;
    public readonly delegate* unmanaged<long, int> AgentFree;
    public readonly delegate* unmanaged<long, byte**, long*, int> AgentDescribe;
    public readonly delegate* unmanaged<long, byte*, long, int, float*, float*, int> AgentForward;
    public readonly delegate* unmanaged<long, byte*, long, int, byte**, int, float**, long*, float*, float*, int> AgentRunWithCache;

    public string LastError => Marshal.PtrToStringUTF8((nint)LastErrorPointer())!;

    /// <summary>A NUL-terminated UTF-8 copy for string arguments (pin it with fixed).</summary>
    public static byte[] Utf8(string text) => [.. System.Text.Encoding.UTF8.GetBytes(text), 0];

    /// <summary>Takes a library-allocated string and frees it.</summary>
    public string TakeString(byte* text, long length)
    {
        string value = System.Text.Encoding.UTF8.GetString(text, checked((int)length));
        Free(text);
        return value;
    }
}
