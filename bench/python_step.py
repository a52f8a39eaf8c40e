"""
Python step() throughput of misgen.make_vec: 64 envs of the env bench's maze (maze:yellow-line@textured,
levels 0..99,999), random actions drawn by numpy each step, on one thread, as `misgen bench env` measures the
C# VecEnv. Prints one JSON line per mode: copy=True (Gymnasium's default: fresh arrays each step) and
copy=False (the env's own buffers, lent without a copy). Run by bench/python-vs-csharp.sh.
Usage: PYTHONPATH=python python3 bench/python_step.py [SECONDS]
"""

import json
import sys
import time

import numpy as np

import misgen


def measure(copy, seconds):
    env = misgen.make_vec("maze:yellow-line@textured", num_envs=64, start_level=0, num_levels=100_000, seed=1, copy=copy)
    env.reset()
    rng = np.random.default_rng(1)
    episodes = 0

    def steps(count):
        nonlocal episodes
        for _ in range(count):
            _, _, terminated, truncated, _ = env.step(rng.integers(0, 15, 64))
            episodes += int(np.count_nonzero(terminated | truncated))

    warm = time.perf_counter()
    while time.perf_counter() - warm < min(0.5, seconds / 4):
        steps(50)
    episodes, vec_steps = 0, 0
    cpu = time.process_time()  # CPU of the whole process, as `misgen bench env` reports it beside wall time
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        steps(50)
        vec_steps += 50
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    env.close()
    return {"case": "python-step", "copy": copy, "threads": 1, "envs": 64,
            "steps_per_second": round(vec_steps * 64 / elapsed), "steps_per_cpu_s": round(vec_steps * 64 / cpu),
            "episodes_per_second": round(episodes / elapsed)}


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    misgen.set_threads(1)
    for copy in (True, False):
        print(json.dumps(measure(copy, seconds)), flush=True)


if __name__ == "__main__":
    main()
