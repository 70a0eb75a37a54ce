#!/usr/bin/env bash
# Regenerate libcrit's ABI baseline, libcrit/abi/libcrit.abi, on purpose.
# See docs/abi.md for when: at a release, after the ABI grew, or before the
# first release after a deliberate change. Commit the result on its own.
#
# Usage: scripts/update-abi-baseline.sh [BUILD_DIR]   (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
baseline=$root/libcrit/abi/libcrit.abi

cmake -S "$root" -B "$build" -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build "$build" --target crit -j2 >/dev/null
lib=$build/libcrit.so
incs=("$root/include" "$build/include")

if [ -f "$baseline" ]; then
  echo "== changes against the current baseline"
  "$root/tests/abi/abi.sh" check "$lib" "$baseline" "${incs[@]}" || true
fi
echo "== new baseline"
"$root/tests/abi/abi.sh" dump "$lib" "$baseline" "${incs[@]}"
echo "Review and commit it alone, e.g.:"
echo "  git add libcrit/abi/libcrit.abi && git commit -m 'ABI baseline: <why>'"
