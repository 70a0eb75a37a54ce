#!/usr/bin/env bash
# The main job: install what is missing, build, and run the report on the
# default world. Usage: scripts/run.sh [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
"$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build "$build" -j"$(nproc)" --target crit-report >/dev/null
"$build/examples/c/crit-report"
