"""Gymnasium-shaped spaces without needing gymnasium: Gymnasium's own classes when it is installed."""

import numpy as np

try:  # pragma: no cover - depends on the environment
    from gymnasium import spaces as _gym_spaces
except ImportError:  # gymnasium is optional
    _gym_spaces = None


class Box:
    """A box of values in [low, high] (Gymnasium's Box: shape, dtype, low, high, sample, contains)."""

    def __init__(self, low, high, shape, dtype, seed=None):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.low = np.full(self.shape, low, dtype=self.dtype)
        self.high = np.full(self.shape, high, dtype=self.dtype)
        self.np_random = np.random.default_rng(seed)

    def sample(self):
        if self.dtype.kind in "ui":
            return self.np_random.integers(self.low, self.high, size=self.shape, endpoint=True, dtype=self.dtype)
        return self.np_random.uniform(self.low, self.high, size=self.shape).astype(self.dtype)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low)) and bool(np.all(x <= self.high))

    def seed(self, seed=None):
        self.np_random = np.random.default_rng(seed)

    def __contains__(self, x):
        return self.contains(x)

    def __repr__(self):
        return f"Box({self.low.flat[0]}, {self.high.flat[0]}, {self.shape}, {self.dtype})"


class Discrete:
    """n actions 0..n-1 (Gymnasium's Discrete)."""

    def __init__(self, n, seed=None):
        self.n = int(n)
        self.shape = ()
        self.dtype = np.dtype(np.int64)
        self.np_random = np.random.default_rng(seed)

    def sample(self):
        return int(self.np_random.integers(self.n))

    def contains(self, x):
        return np.ndim(x) == 0 and 0 <= int(x) < self.n and float(x) == int(x)

    def seed(self, seed=None):
        self.np_random = np.random.default_rng(seed)

    def __contains__(self, x):
        return self.contains(x)

    def __repr__(self):
        return f"Discrete({self.n})"


class MultiDiscrete:
    """One Discrete per env (Gymnasium's MultiDiscrete, the batched action space of a vector env)."""

    def __init__(self, nvec, seed=None):
        self.nvec = np.asarray(nvec, dtype=np.int64)
        self.shape = self.nvec.shape
        self.dtype = np.dtype(np.int64)
        self.np_random = np.random.default_rng(seed)

    def sample(self):
        return self.np_random.integers(self.nvec)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= 0)) and bool(np.all(x < self.nvec))

    def seed(self, seed=None):
        self.np_random = np.random.default_rng(seed)

    def __contains__(self, x):
        return self.contains(x)

    def __repr__(self):
        return f"MultiDiscrete({self.nvec})"


def box(low, high, shape, dtype):
    if _gym_spaces is not None:
        return _gym_spaces.Box(low, high, shape, dtype)
    return Box(low, high, shape, dtype)


def discrete(n):
    return _gym_spaces.Discrete(n) if _gym_spaces is not None else Discrete(n)


def multi_discrete(nvec):
    return _gym_spaces.MultiDiscrete(nvec) if _gym_spaces is not None else MultiDiscrete(nvec)
