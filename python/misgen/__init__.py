"""
Misgen from Python: Misgen's games as Gymnasium-style vector envs, its agents' policies and activations, and
results.db as tables, all run by libmisgen.so (Misgen's C# core compiled by .NET Native AOT) through ctypes.
See python/README.md.
"""

import json as _json

from . import _native
from ._native import MisgenError, MisgenInputError
from .agent import Agent
from .results import results
from .vec import VecEnv, make_vec

__all__ = ["Agent", "MisgenError", "MisgenInputError", "VecEnv", "games", "make_vec", "results", "set_threads", "canonical_spec"]
__version__ = "0.1.0"


def games():
    """Every game of Misgen's catalogue: name, summary, examples, options, outcomes, facts, actions."""
    return _json.loads(_native.take_text(_native.lib().misgen_games))


def canonical_spec(spec):
    """The canonical spelling of a spec (defaults dropped, options in the game's order); raises on a bad one."""
    return _native.take_text(_native.lib().misgen_spec_canonical, _native.utf8(spec, "spec"))


def set_threads(threads):
    """Threads Misgen steps and runs networks on (default: every core). Results do not depend on it."""
    _native.check(_native.lib().misgen_set_threads(int(threads)))
