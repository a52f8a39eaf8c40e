"""
Plays the golden levels (0..99 and 100000..100099, each once, in order) through misgen.make_vec with actions
from a fixed formula, and prints one JSON line per step: SHA-256 of all observations, rewards, flags and the
ended episodes. PythonPackageTests replays the same in the C# VecEnv and compares line by line.
Usage: rollout_digest.py SPEC NUM_ENVS STEPS
"""

import hashlib
import json
import sys

import numpy as np

import misgen


def main():
    spec, num_envs, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    levels = list(range(100)) + list(range(100000, 100100))
    env = misgen.make_vec(spec, num_envs=num_envs, levels=levels, copy=False)
    obs, _ = env.reset()
    print(json.dumps({"step": 0, "obs": hashlib.sha256(obs.tobytes()).hexdigest()}))
    for t in range(1, steps + 1):
        actions = (np.arange(num_envs) * 5 + t * 3 + (t // 7)) % 15
        obs, rewards, terminated, truncated, infos = env.step(actions)
        line = {"step": t, "obs": hashlib.sha256(obs.tobytes()).hexdigest(),
                "rewards": [float(r) for r in rewards], "terminated": [int(x) for x in terminated],
                "truncated": [int(x) for x in truncated], "outcomes": [], "levels": [], "lengths": []}
        if infos:
            line["outcomes"] = [int(x) for x in infos["outcome"]]
            line["levels"] = [int(x) if d else 0 for x, d in zip(infos["level_seed"], infos["_level_seed"])]
            line["lengths"] = [int(x) if d else 0 for x, d in zip(infos["episode"]["l"], infos["_episode"])]
        print(json.dumps(line))


if __name__ == "__main__":
    main()
