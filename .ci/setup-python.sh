#!/usr/bin/env bash
# The ONNX export tests run Debian's onnx checker, bench/torch_reference.py runs Debian's PyTorch, and the
# Python package's tests (tests/Misgen.Tests/Native/PythonPackageTests.cs) run on Debian's numpy, pandas and
# torch and install the package with Debian's pip; install them when missing (Debian packages, /usr/bin/python3).
set -euo pipefail
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import numpy, pandas, onnx, torch, setuptools, wheel, pip" >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y python3 python3-numpy python3-pandas python3-onnx python3-torch python3-pip python3-setuptools python3-wheel
