#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing (Chromium for the report and browser
# tests, a single-node Slurm for the sweep executor, Debian's Python packages for the Python and ONNX tests:
# .ci/setup-*.sh, each idempotent), then runs every test. Nothing is skipped: with the set-up done, a test
# that cannot find its tool fails instead. Extra arguments go to `dotnet test` (e.g. --filter Name).
set -euo pipefail
cd "$(dirname "$0")"
for setup in .ci/setup-*.sh; do
  [ -f "$setup" ] && bash "$setup"
done
export MISGEN_TESTS_PROVISIONED=1
# A test that hangs fails the run after 10 minutes, naming itself (and leaving a dump in TestResults/), instead of
# holding CI until its time limit.
exec dotnet test -c Release --blame-hang-timeout 10m "$@"
