"""libmisgen.so through ctypes: loading, signatures, statuses turned into exceptions (docs/C-ABI.md)."""

import ctypes
import os
import threading

ABI_VERSION = 1
MAX_FACTS = 8

_OK, _BAD_INPUT, _BAD_STATE, _IO_ERROR, _INTERNAL = 0, 1, 2, 3, 4


class MisgenError(RuntimeError):
    """A Misgen call failed; the message is Misgen's own."""

    def __init__(self, message, status=_INTERNAL):
        super().__init__(message)
        self.status = status


class MisgenInputError(MisgenError, ValueError):
    """Bad input (unknown spec, wrong buffer shape, missing agent): the message names the valid choices."""


class Episode(ctypes.Structure):
    """misgen_episode: one finished episode (outcome 0 = none ended at this step)."""

    _fields_ = [
        ("outcome", ctypes.c_int32),
        ("steps", ctypes.c_int32),
        ("level_seed", ctypes.c_int32),
        ("episode_return", ctypes.c_float),
        ("facts", ctypes.c_float * MAX_FACTS),
    ]


_i32, _i64, _u64, _f32p = ctypes.c_int32, ctypes.c_int64, ctypes.c_uint64, ctypes.POINTER(ctypes.c_float)
_vp, _cp = ctypes.c_void_p, ctypes.c_char_p
_i64p, _i32p = ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_int32)
_vpp = ctypes.POINTER(ctypes.c_void_p)

_SIGNATURES = {
    "misgen_set_threads": [_i32],
    "misgen_games": [_vpp, _i64p],
    "misgen_spec_canonical": [_cp, _vpp, _i64p],
    "misgen_vecenv_create": [_cp, _i32, _i32, _i32, _u64, _i32, _i32, _i64p],
    "misgen_vecenv_create_levels": [_cp, _i32, _vp, _i32, _i32, _i64p],
    "misgen_vecenv_free": [_i64],
    "misgen_vecenv_shape": [_i64, _i32p, _i32p, _i32p, _i32p],
    "misgen_vecenv_describe": [_i64, _vpp, _i64p],
    "misgen_vecenv_reset": [_i64, _vp, _i64],
    "misgen_vecenv_step": [_i64, _vp, _i32, _vp, _i64, _vp, _vp, _vp, _vp],
    "misgen_vecenv_observe": [_i64, _vp, _i64, _vp],
    "misgen_vecenv_buffers": [_i64, _vpp, _vpp, _vpp, _vpp],
    "misgen_vecenv_get_state": [_i64, _vpp, _i64p],
    "misgen_vecenv_set_state": [_i64, _vp, _i64],
    "misgen_agent_load": [_cp, _i64p],
    "misgen_agent_free": [_i64],
    "misgen_agent_describe": [_i64, _vpp, _i64p],
    "misgen_agent_forward": [_i64, _vp, _i64, _i32, _vp, _vp],
    "misgen_agent_run_with_cache": [_i64, _vp, _i64, _i32, _vp, _i32, _vp, _vp, _vp, _vp],
    "misgen_agent_patch": [_i64, _cp, _cp, _i64p],
    "misgen_agent_vector_field": [_i64, _cp, _i32, _vpp, _i64p],
    "misgen_results_csv": [_cp, _cp, _vpp, _i64p],
}

_lock = threading.Lock()
_lib = None


def library_path():
    """Where libmisgen.so is looked for: $MISGEN_LIBRARY, else misgen/lib/ inside this package."""
    explicit = os.environ.get("MISGEN_LIBRARY")
    if explicit:
        return explicit
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib", "libmisgen.so")


def lib():
    """The loaded library (loaded once, on first use)."""
    global _lib
    with _lock:
        if _lib is None:
            path = library_path()
            if not os.path.isfile(path):
                raise MisgenError(
                    f"libmisgen.so not found at {path}; build it with scripts/build-native.sh "
                    "(or point MISGEN_LIBRARY at it)")
            loaded = ctypes.CDLL(path)
            loaded.misgen_abi_version.restype = ctypes.c_int32
            loaded.misgen_abi_version.argtypes = []
            version = loaded.misgen_abi_version()
            if version != ABI_VERSION:
                raise MisgenError(f"{path} speaks C ABI {version}; this package needs {ABI_VERSION}: rebuild it")
            loaded.misgen_last_error.restype = ctypes.c_char_p
            loaded.misgen_last_error.argtypes = []
            loaded.misgen_free.restype = None
            loaded.misgen_free.argtypes = [ctypes.c_void_p]
            for name, args in _SIGNATURES.items():
                function = getattr(loaded, name)
                function.restype = ctypes.c_int32
                function.argtypes = args
            _lib = loaded
        return _lib


def check(status):
    """Raises Misgen's message as a Python exception when a call did not return MISGEN_OK."""
    if status == _OK:
        return
    message = lib().misgen_last_error().decode("utf-8", "replace")
    if status == _BAD_INPUT:
        raise MisgenInputError(message, status)
    raise MisgenError(message, status)


def take_text(call, *args):
    """Calls a function that returns library-owned text (char **, int64 *) and frees it."""
    pointer, length = ctypes.c_void_p(), ctypes.c_int64()
    check(call(*args, ctypes.byref(pointer), ctypes.byref(length)))
    try:
        return ctypes.string_at(pointer, length.value).decode("utf-8")
    finally:
        lib().misgen_free(pointer)


def take_bytes(call, *args):
    pointer, length = ctypes.c_void_p(), ctypes.c_int64()
    check(call(*args, ctypes.byref(pointer), ctypes.byref(length)))
    try:
        return ctypes.string_at(pointer, length.value)
    finally:
        lib().misgen_free(pointer)


def utf8(text, what):
    if not isinstance(text, str):
        raise MisgenInputError(f"{what} must be a str, got {type(text).__name__}", _BAD_INPUT)
    return text.encode("utf-8")
