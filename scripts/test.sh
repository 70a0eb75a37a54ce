#!/usr/bin/env bash
# Build and run the whole test suite: the normal build (C, Python, Lua,
# ABI, docs and valgrind tests), then the ASan + UBSan build of the same
# suite. Idempotent; installs missing Debian packages first.
# Usage: scripts/test.sh [--quick]   (--quick: skip the sanitizer build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=$(nproc)

"$root/scripts/setup.sh"

cmake -S "$root" -B "$root/build" -DPython3_EXECUTABLE=/usr/bin/python3
cmake --build "$root/build" -j"$jobs"
ctest --test-dir "$root/build" --output-on-failure -j"$jobs"

if [ "$quick" -eq 0 ]; then
  cmake -S "$root" -B "$root/build-asan" -DCRIT_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=Debug -DPython3_EXECUTABLE=/usr/bin/python3
  cmake --build "$root/build-asan" -j"$jobs"
  ctest --test-dir "$root/build-asan" --output-on-failure -j"$jobs"
fi
