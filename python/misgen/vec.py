"""misgen.make_vec: N games of one spec stepped in Misgen's core, with Gymnasium's vector API."""

import ctypes
import json

import numpy as np

from . import _native
from . import spaces

try:  # Gymnasium >= 1.1 names the autoreset mode; procgen's is the same-step one.
    from gymnasium.vector import AutoresetMode as _AutoresetMode
    _SAME_STEP = _AutoresetMode.SAME_STEP
except ImportError:
    _SAME_STEP = "SameStep"

EPISODE_DTYPE = np.dtype([
    ("outcome", "<i4"), ("steps", "<i4"), ("level_seed", "<i4"), ("episode_return", "<f4"),
    ("facts", "<f4", (_native.MAX_FACTS,)),
])
assert EPISODE_DTYPE.itemsize == ctypes.sizeof(_native.Episode) == 48

_UNIFORM, _SEQUENTIAL = 0, 1


def make_vec(env_name, num_envs=1, start_level=0, num_levels=0, seed=0, distribution_mode=None,
             use_sequential_levels=False, levels=None, observation_size=0, copy=True, rand_seed=None, **options):
    """
    A vector env of `num_envs` games of the spec `env_name` (`GAME[:BODY][;key=value...]`, as `misgen envs`
    lists), e.g. make_vec("maze:red-line+yellow-gem@textured", num_envs=64, start_level=100000, num_levels=1000).

    procgen's names: `start_level` and `num_levels` (0 = every level), `rand_seed` (= `seed`), `use_sequential_levels`,
    `distribution_mode` (passed to the game as its option of that name; games without one refuse it).
    Other keyword arguments are the game's spec options (e.g. `size=7`, `timeout=200`). `levels=[...]` plays each
    listed level seed once, in order, and lets envs go idle when the list runs out (evaluation). With
    `copy=False`, reset and step return the env's own buffers, overwritten by the next step.
    """
    spec = str(env_name)
    if distribution_mode is not None:
        options["distribution_mode"] = distribution_mode
    for key, value in options.items():
        spec += f";{key}={value}"
    if rand_seed is not None:
        seed = rand_seed
    return VecEnv(spec, num_envs, start_level, num_levels, seed, use_sequential_levels, levels, observation_size, copy)


class VecEnv:
    """
    Gymnasium's vector env API over a Misgen VecEnv: reset() -> (obs, infos); step(actions) -> (obs, rewards,
    terminations, truncations, infos). Observations are uint8 NHWC; an ended episode restarts on the next level
    in the same step (procgen's auto-reset, Gymnasium's same-step mode), and `infos` then describe the ended
    episode: for each key k an array and a mask `_k` of the envs where one ended.
    """

    def __init__(self, spec, num_envs, start_level, num_levels, seed, sequential, levels, observation_size, copy):
        self._lib = _native.lib()
        self._handle = 0
        self._spec_text = _native.utf8(spec, "spec")
        self._start_level, self._num_levels = int(start_level), int(num_levels)
        self._sequential, self._observation_size = bool(sequential), int(observation_size)
        self._levels = None if levels is None else np.ascontiguousarray(levels, dtype=np.int32)
        self.copy = bool(copy)
        self._create(int(num_envs), int(seed))
        info = json.loads(_native.take_text(self._lib.misgen_vecenv_describe, self._handle))
        self.spec = info["spec"]
        self.game = info["game"]
        self.num_envs = info["num_envs"]
        self.timeout = info["timeout"]
        self.outcomes = {o["code"]: o["name"] for o in info["outcomes"]}
        self._outcome_names = np.array([self.outcomes.get(code, "") for code in range(256)], dtype=object)
        self.success_outcomes = [o["code"] for o in info["outcomes"] if o["success"]]
        self.facts = list(info["facts"])
        self.action_groups = {name: list(ids) for name, ids in info["action_groups"].items()}
        self.channel_names = list(info["channel_names"])
        size, channels, actions = info["observation_size"], info["channels"], info["actions"]
        self.single_observation_space = spaces.box(0, 255, (size, size, channels), np.uint8)
        self.observation_space = spaces.box(0, 255, (self.num_envs, size, size, channels), np.uint8)
        self.single_action_space = spaces.discrete(actions)
        self.action_space = spaces.multi_discrete([actions] * self.num_envs)
        self.metadata = {"autoreset_mode": _SAME_STEP, "render_modes": []}
        self.render_mode = None
        self.closed = False

        n = self.num_envs
        self._obs_shape = (n, size, size, channels)
        self._episodes = np.zeros(n, dtype=EPISODE_DTYPE)
        self._actions = np.zeros(n, dtype=np.int32)
        self._active = np.zeros(n, dtype=np.bool_)
        self._lend_buffers()

    def _lend_buffers(self):
        """Views of the native VecEnv's own (pinned) buffers: step writes them, Python reads them without a copy."""
        n = self.num_envs
        obs, rewards = ctypes.c_void_p(), ctypes.c_void_p()
        terminated, truncated = ctypes.c_void_p(), ctypes.c_void_p()
        _native.check(self._lib.misgen_vecenv_buffers(self._handle, ctypes.byref(obs), ctypes.byref(rewards),
                                                       ctypes.byref(terminated), ctypes.byref(truncated)))
        self._obs = self._native.lend(obs.value, self._obs_shape, np.uint8)
        self._rewards = self._native.lend(rewards.value, (n,), np.float32)
        self._terminated = self._native.lend(terminated.value, (n,), np.bool_)
        self._truncated = self._native.lend(truncated.value, (n,), np.bool_)
        # Addresses taken once: step passes them as plain integers.
        self._pointers = (self._actions.ctypes.data, self._episodes.ctypes.data)
        self._outcome = self._episodes["outcome"]  # a view: which envs ended an episode this step
        self._step = self._lib.misgen_vecenv_step

    def _create(self, num_envs, seed):
        handle = ctypes.c_int64()
        if self._levels is not None:
            _native.check(self._lib.misgen_vecenv_create_levels(
                self._spec_text, num_envs, self._levels.ctypes.data, len(self._levels), self._observation_size,
                ctypes.byref(handle)))
        else:
            if not 0 <= seed < 2 ** 64:
                raise _native.MisgenInputError(f"seed {seed} is invalid; valid: 0..2^64-1", 1)
            order = _SEQUENTIAL if self._sequential else _UNIFORM
            _native.check(self._lib.misgen_vecenv_create(
                self._spec_text, num_envs, self._start_level, self._num_levels, seed, order,
                self._observation_size, ctypes.byref(handle)))
        self._native = _NativeEnv(self._lib, handle.value)
        self._handle = handle.value
        self._seed = seed

    def reset(self, seed=None, options=None):
        """Every env starts its next level. A seed (an int) restarts the level order from that seed."""
        self._check_open()
        if seed is not None:
            if not isinstance(seed, (int, np.integer)):
                raise _native.MisgenInputError(f"reset(seed=...) takes one int for the whole vector env, got {seed!r}", 1)
            self._create(self.num_envs, int(seed))  # the old one is freed when no lent array refers to it
            self._lend_buffers()
        _native.check(self._lib.misgen_vecenv_reset(self._handle, None, 0))
        return (self._obs.copy() if self.copy else self._obs), {}

    def step(self, actions):
        """One step of every env: actions are one int per env, 0..single_action_space.n-1."""
        # The hot path of every training loop: checks inline, no helper calls when nothing is wrong.
        if self.closed:
            self._check_open()
        if type(actions) is not np.ndarray:
            actions = np.asarray(actions)
        if actions.shape != self._actions.shape:
            raise _native.MisgenInputError(
                f"actions have shape {actions.shape}; this env takes one action per env: shape ({self.num_envs},)", 1)
        if actions.dtype.kind not in "iu":
            raise _native.MisgenInputError(f"actions are {actions.dtype}; they must be integers", 1)
        np.copyto(self._actions, actions, casting="unsafe")
        a, e = self._pointers
        status = self._step(self._handle, a, self.num_envs, None, 0, None, None, None, e)
        if status:
            _native.check(status)
        infos = self._infos() if self._outcome.any() else {}
        if self.copy:
            return self._obs.copy(), self._rewards.copy(), self._terminated.copy(), self._truncated.copy(), infos
        return self._obs, self._rewards, self._terminated, self._truncated, infos

    def _infos(self):
        episodes, outcome = self._episodes, self._outcome
        done = outcome != 0
        infos = {
            "outcome": outcome.copy(), "outcome_name": self._outcome_names[outcome],
            "level_seed": episodes["level_seed"].copy(),
            "episode": {"r": episodes["episode_return"].copy(), "l": episodes["steps"].copy()},
        }
        for i, fact in enumerate(self.facts):
            infos[fact] = episodes["facts"][:, i].copy()
        for key in list(infos):
            infos["_" + key] = done  # one mask array shared by every key
        return infos

    def observe(self):
        """The current observations and which envs still play (a level list can run out)."""
        self._check_open()
        _native.check(self._lib.misgen_vecenv_observe(self._handle, None, 0, self._active.ctypes.data))
        return self._obs.copy(), self._active.copy()

    def get_state(self):
        """Every game's state and the level order's, as bytes: set_state continues exactly from here."""
        self._check_open()
        return _native.take_bytes(self._lib.misgen_vecenv_get_state, self._handle)

    def set_state(self, state):
        """Restores get_state's bytes (same spec and env count); returns the observations."""
        self._check_open()
        data = bytes(state)
        buffer = ctypes.create_string_buffer(data, len(data))
        _native.check(self._lib.misgen_vecenv_set_state(self._handle, buffer, len(data)))
        return self.observe()[0]

    def close(self):
        """Ends the env; its memory is freed once no array it lent (copy=False) is referenced."""
        self.closed = True
        self._native = None
        self._obs = self._rewards = self._terminated = self._truncated = None
        self._handle = 0

    def _check_open(self):
        if self.closed:
            raise _native.MisgenError("this env is closed", 2)

    @property
    def unwrapped(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"misgen.VecEnv({self.spec!r}, num_envs={self.num_envs})"


class _NativeEnv:
    """Owns one native VecEnv: freed when neither the Python env nor any array lent from it refers to it."""

    def __init__(self, lib, handle):
        self._lib = lib
        self.handle = handle

    def lend(self, address, shape, dtype):
        """A read-only numpy view of native memory that keeps this owner (and so the memory) alive."""
        dtype = np.dtype(dtype)
        count = int(np.prod(shape))
        raw = (ctypes.c_uint8 * (count * dtype.itemsize)).from_address(address)
        raw._owner = self
        array = np.frombuffer(raw, dtype=dtype, count=count).reshape(shape)
        array.flags.writeable = False
        return array

    def __del__(self):
        try:
            if self.handle:
                self._lib.misgen_vecenv_free(self.handle)
                self.handle = 0
        except Exception:  # the interpreter may be shutting down
            pass
