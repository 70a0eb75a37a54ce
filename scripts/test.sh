#!/usr/bin/env bash
# Build and run the whole test suite: the normal build (C, Python, Lua,
# ABI, docs and valgrind tests), then the ASan + UBSan build of the same
# suite, the C suite built by clang (Release), gcc's Release build (and its
# C suite with FMA contraction where the CPU has it), the fuzz build (its
# libFuzzer targets, and its corpus replays), and the threads test under
# ThreadSanitizer.
# Idempotent; installs missing Debian packages first.
# Usage: scripts/test.sh [--quick]   (--quick: only the normal build)
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

  # The other compiler, optimised (-O3): the C suite again, valgrind
  # included, with clang's code, warnings and debug information.
  cmake -S "$root" -B "$root/build-clang" -DCMAKE_C_COMPILER=clang \
    -DCMAKE_BUILD_TYPE=Release -DCRIT_BUILD_PYTHON=OFF -DCRIT_BUILD_LUA=OFF \
    -DPython3_EXECUTABLE=/usr/bin/python3
  cmake --build "$root/build-clang" -j"$jobs"
  ctest --test-dir "$root/build-clang" --output-on-failure -j"$jobs"

  # gcc's Release build: -O3 finds warnings (maybe-uninitialized) that the
  # other build types do not, and they are errors here too. Where the CPU
  # has AVX2 and FMA it targets x86-64-v3 with contraction on (a * b + c
  # rounded once, as in a build with -march=native), and the C suite runs
  # there (valgrind aside): no result may hang on how the compiler rounds.
  release_cflags=
  fma=0
  if grep -qw fma /proc/cpuinfo && grep -qw avx2 /proc/cpuinfo; then
    fma=1
    release_cflags="-march=x86-64-v3 -ffp-contract=fast"
  fi
  cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release \
    -DCRIT_BUILD_PYTHON=OFF -DCRIT_BUILD_LUA=OFF \
    -DPython3_EXECUTABLE=/usr/bin/python3 -DCMAKE_C_FLAGS="$release_cflags"
  cmake --build "$root/build-release" -j"$jobs"
  if [ "$fma" -eq 1 ]; then
    ctest --test-dir "$root/build-release" --output-on-failure -j"$jobs" \
      -LE valgrind
  fi

  # The fuzz build as the README gives it (clang; libFuzzer, ASan and
  # UBSan): every libFuzzer target links, and the corpora replay there.
  CC=clang cmake -S "$root" -B "$root/build-fuzz" -DCRIT_FUZZ=ON \
    -DPython3_EXECUTABLE=/usr/bin/python3
  cmake --build "$root/build-fuzz" -j"$jobs"
  ctest --test-dir "$root/build-fuzz" --output-on-failure -j"$jobs"

  # ThreadSanitizer (clang) on tests/api/test_threads.c: scenario runs and
  # market solves at once, as the headers allow, without a data race.
  cmake -S "$root" -B "$root/build-tsan" -DCMAKE_C_COMPILER=clang \
    -DCRIT_TSAN=ON -DCRIT_BUILD_PYTHON=OFF -DCRIT_BUILD_LUA=OFF \
    -DCRIT_BUILD_BENCH=OFF -DCRIT_BUILD_EXAMPLES=OFF \
    -DPython3_EXECUTABLE=/usr/bin/python3
  cmake --build "$root/build-tsan" -j"$jobs" --target api_test_threads
  TSAN_OPTIONS=halt_on_error=1 ctest --test-dir "$root/build-tsan" \
    --output-on-failure -R '^api_test_threads$'
fi
