"""
Runs a Misgen agent from Python on raw observations and writes its outputs for PythonPackageTests to compare
with the C# network: logits and values (float32 little-endian) and the cached activations of the named layers.
Usage: agent_outputs.py AGENT_DIR OBS_FILE BATCH OUT_FOLDER LAYER...
"""

import os
import sys

import numpy as np

import misgen


def main():
    directory, obs_file, batch, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    layers = sys.argv[5:]
    agent = misgen.Agent(directory)
    size, channels = agent.input_size, agent.channels
    obs = np.fromfile(obs_file, dtype=np.uint8).reshape(batch, size, size, channels)
    probs, values = agent.act(obs)
    logits, _ = agent.forward(obs)
    logits.astype("<f4").tofile(os.path.join(out, "logits.bin"))
    values.astype("<f4").tofile(os.path.join(out, "values.bin"))
    probs.astype("<f4").tofile(os.path.join(out, "probs.bin"))
    _, _, cache = agent.run_with_cache(obs, layers)
    for name in layers:
        cache[name].astype("<f4").tofile(os.path.join(out, name + ".bin"))
    print("ok", agent.name, logits.shape)


if __name__ == "__main__":
    main()
