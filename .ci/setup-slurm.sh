#!/usr/bin/env bash
# CI: a real single-node Slurm for the sweep executor's end-to-end test (see scripts/slurm-local.sh).
# The test reads SLURM_CONF from the file below when the environment does not carry it.
set -euo pipefail
cd "$(dirname "$0")/.."
line="$(bash scripts/slurm-local.sh)"
echo "$line"
echo "${line#export SLURM_CONF=}" > "${MISGEN_SLURM_DIR:-/tmp/misgen-slurm}.conf-path"
