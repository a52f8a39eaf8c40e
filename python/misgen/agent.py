"""misgen.Agent: a trained agent's policy run by Misgen's CPU network, from numpy observations."""

import ctypes
import json
import os

import numpy as np

from . import _native

# Hook points that are vectors per observation: their activations come back as (batch, features).
_VECTOR_POINTS = ("embedder.fc", "embedder.relufc", "fc_policy", "fc_value")


class Agent:
    """
    An agent directory (model.safetensors, agent.yaml) loaded into Misgen's core. act(obs) gives action
    probabilities and values; forward(obs) logits and values; run_with_cache(obs, layers) activations.
    Observations are uint8 NHWC batches (one HWC observation is a batch of one) of the network's input size.
    """

    def __init__(self, directory, _handle=None):
        self._lib = _native.lib()
        self._handle = 0
        if _handle is None:
            handle = ctypes.c_int64()
            _native.check(self._lib.misgen_agent_load(_native.utf8(os.fspath(directory), "agent directory"), ctypes.byref(handle)))
            _handle = handle.value
        self._handle = _handle
        info = json.loads(_native.take_text(self._lib.misgen_agent_describe, self._handle))
        self.name = info["name"]
        self.directory = info["directory"]
        self.train_spec = info["train_spec"]
        self.preset = info["preset"]
        self.seed = info["seed"]
        self.input_size = info["input_size"]
        self.channels = info["channels"]
        self.num_actions = info["actions"]
        self.patches = list(info["patches"])
        self.hook_shapes = {name: tuple(shape) for name, shape in info["hook_points"].items()}
        self.hook_points = list(self.hook_shapes)

    def _batch(self, obs):
        obs = np.asarray(obs)
        if obs.dtype != np.uint8:
            raise _native.MisgenInputError(f"observations are {obs.dtype}; the agent takes uint8 (0..255) NHWC", 1)
        if obs.ndim == 3:
            obs = obs[None]
        expected = (self.input_size, self.input_size, self.channels)
        if obs.ndim != 4 or obs.shape[1:] != expected or obs.shape[0] < 1:
            raise _native.MisgenInputError(
                f"observations have shape {obs.shape}; the agent takes (batch, {expected[0]}, {expected[1]}, {expected[2]}) uint8", 1)
        return np.ascontiguousarray(obs)

    def forward(self, obs):
        """Logits (batch, actions) and values (batch,), float32: Misgen's forward pass, bit for bit."""
        self._check_open()
        obs = self._batch(obs)
        batch = obs.shape[0]
        logits = np.empty((batch, self.num_actions), dtype=np.float32)
        values = np.empty(batch, dtype=np.float32)
        _native.check(self._lib.misgen_agent_forward(self._handle, obs.ctypes.data, obs.nbytes, batch,
                                                     logits.ctypes.data, values.ctypes.data))
        return logits, values

    def act(self, obs):
        """Action probabilities (batch, actions) and values (batch,)."""
        logits, values = self.forward(obs)
        shifted = logits.astype(np.float64) - logits.max(axis=1, keepdims=True)
        probs = np.exp(shifted)
        probs /= probs.sum(axis=1, keepdims=True)
        return probs.astype(np.float32), values

    def run_with_cache(self, obs, layers=None):
        """
        One pass that keeps activations, as TransformerLens's run_with_cache: returns (logits, values, cache),
        cache mapping each hook point in `layers` (all when None; names as docs/INTERP.md) to a float32 array,
        (batch, C, H, W) for images and (batch, features) for the fully connected points.
        """
        self._check_open()
        obs = self._batch(obs)
        batch = obs.shape[0]
        if layers is None:
            layers = self.hook_points
        elif isinstance(layers, str):
            layers = [layers]
        layers = list(dict.fromkeys(layers))
        cache = {}
        for name in layers:
            if name not in self.hook_shapes:
                raise _native.MisgenInputError(
                    f"unknown hook point '{name}'; valid: {', '.join(self.hook_points)}", 1)
            c, h, w = self.hook_shapes[name]
            shape = (batch, c) if name in _VECTOR_POINTS else (batch, c, h, w)
            cache[name] = np.empty(shape, dtype=np.float32)
        names = (ctypes.c_char_p * len(layers))(*[n.encode("utf-8") for n in layers])
        outputs = (ctypes.c_void_p * len(layers))(*[cache[n].ctypes.data for n in layers])
        lengths = (ctypes.c_int64 * len(layers))(*[cache[n].size for n in layers])
        logits = np.empty((batch, self.num_actions), dtype=np.float32)
        values = np.empty(batch, dtype=np.float32)
        _native.check(self._lib.misgen_agent_run_with_cache(
            self._handle, obs.ctypes.data, obs.nbytes, batch, names, len(layers), outputs, lengths,
            logits.ctypes.data, values.ctypes.data))
        return logits, values, cache

    def patched(self, spec, patches):
        """
        This agent with activation patches (docs/INTERP.md's forms, e.g. "zero:embedder.block2.res1.resadd:7,8"
        or "mean:embedder.block3.res2.resadd:all"), bound for levels of `spec`: a new Agent whose act, forward,
        run_with_cache and vector_field run patched. Patches of a patched agent are kept.
        """
        self._check_open()
        if isinstance(patches, str):
            patches = [patches]
        handle = ctypes.c_int64()
        _native.check(self._lib.misgen_agent_patch(self._handle, _native.utf8(spec, "spec"),
                                                   _native.utf8("\n".join(patches), "patches"), ctypes.byref(handle)))
        return Agent(self.directory, _handle=handle.value)

    def vector_field(self, spec, level=0):
        """
        What the agent wants everywhere on one level (as `misgen field`): it is put on every open cell of level
        `level` of `spec`. Returns a dict: "cells" (N, 2) int (x, y from the top-left), "groups" (action-group
        names), "probabilities" (N, groups) float32, "arrows" (N, 2) float32 (P(right) - P(left), P(up) - P(down)),
        "grid" (width, height).
        """
        self._check_open()
        text = _native.take_text(self._lib.misgen_agent_vector_field, self._handle, _native.utf8(spec, "spec"), int(level))
        field = json.loads(text)
        groups = list(field["groups"])
        cells = np.array(field["cells"], dtype=np.int64).reshape(-1, 2)
        probs = np.array(field["probabilities"], dtype=np.float32).reshape(len(cells), len(groups))
        g = {name: i for i, name in enumerate(groups)}
        arrows = np.stack([probs[:, g["right"]] - probs[:, g["left"]], probs[:, g["up"]] - probs[:, g["down"]]], axis=1)
        return {"spec": field["spec"], "level": field["level"], "grid": (field["grid_width"], field["grid_height"]),
                "groups": groups, "cells": cells, "probabilities": probs, "arrows": arrows}

    def close(self):
        if getattr(self, "_handle", 0):
            self._lib.misgen_agent_free(self._handle)
            self._handle = 0

    def _check_open(self):
        if not self._handle:
            raise _native.MisgenError("this agent is closed", 2)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # the interpreter may be shutting down
            pass

    def __repr__(self):
        return f"misgen.Agent({self.name!r}, input {self.input_size}x{self.input_size}x{self.channels})"
