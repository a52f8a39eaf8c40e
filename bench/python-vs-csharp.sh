#!/usr/bin/env bash
# Python's misgen.make_vec step() against the C# VecEnv (`misgen bench env`), 64 envs, one thread, in one run:
# ROUNDS alternating rounds, so both see the same machine load. Prints JSON lines.
# Usage: bench/python-vs-csharp.sh [ROUNDS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
seconds="${2:-3}"
scripts/build-native.sh >&2
dotnet build -c Release src/Misgen.Cli -v quiet -nologo >&2
for round in $(seq "$rounds"); do
  PYTHONPATH=python /usr/bin/python3 bench/python_step.py "$seconds"
  src/Misgen.Cli/bin/Release/net10.0/Misgen.Cli bench env --threads 1 --seconds "$seconds" --json
done
