#!/usr/bin/env bash
# The IMPALA-CNN 16/32/32 forward pass (batch 256; 64x64 and 32x32; 1 and 2 threads) in Misgen,
# ONNX Runtime (same weights, observations and thread count, through `misgen bench-nn`) and PyTorch
# (bench/torch_reference.py, Debian's python3-torch), one after the other in one session, as JSON
# lines; with the CPU model and the load average before, between and after, which tell how quiet
# the machine was. Needs `dotnet build -c Release` and .ci/setup-python.sh first.
# Usage: bench/forward-peers.sh [REPEATS]   (timed repeats per case; the median is reported)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-9}"
misgen=(dotnet src/Misgen.Cli/bin/Release/net10.0/Misgen.Cli.dll)
echo "# $(date -u +%FT%TZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg), cpu pressure $(head -1 /proc/pressure/cpu 2>/dev/null | cut -d' ' -f2-3)"; }
echo "# before: $(load)"
"${misgen[@]}" bench-nn forward-64 forward-32 --json --repeats "$repeats"
echo "# between: $(load)"
/usr/bin/python3 bench/torch_reference.py --bench --cases forward-64 forward-32 --repeats "$repeats"
echo "# after: $(load)"
