"""
A Misgen agent's vector field from Python, plain and patched, and the patched agent's outputs on raw
observations, printed as one JSON object for PythonPackageTests to compare with `misgen field` and the C# network.
Usage: field_outputs.py AGENT_DIR SPEC LEVEL PATCH OBS_FILE BATCH
"""

import json
import sys

import numpy as np

import misgen


def main():
    directory, spec, level, patch, obs_file, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
    agent = misgen.Agent(directory)
    patched = agent.patched(spec, patch)
    plain_field = agent.vector_field(spec, level)
    patched_field = patched.vector_field(spec, level)
    obs = np.fromfile(obs_file, dtype=np.uint8).reshape(batch, agent.input_size, agent.input_size, agent.channels)
    logits, values = patched.forward(obs)
    _, _, cache = patched.run_with_cache(obs, [patch.split(":")[1]])
    print(json.dumps({
        "patches": patched.patches, "groups": plain_field["groups"], "cells": plain_field["cells"].tolist(),
        "plain": plain_field["probabilities"].tolist(), "patched": patched_field["probabilities"].tolist(),
        "arrows": plain_field["arrows"].tolist(),
        "logits": logits.tolist(), "values": values.tolist(), "cache": cache[patch.split(":")[1]].ravel()[:64].tolist(),
    }))


if __name__ == "__main__":
    main()
