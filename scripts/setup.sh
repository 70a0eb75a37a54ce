#!/usr/bin/env bash
# Install the Debian packages libcrit needs to build and test, when missing.
# Idempotent: does nothing (and needs no network) when all are present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  swig liblua5.4-dev lua5.4
  libcmocka-dev zlib1g-dev
  python3 python3-dev python3-numpy python3-pandas python3-pytest
  python3-scipy python3-matplotlib
  python3-nbclient python3-nbformat python3-ipykernel
  abigail-tools doxygen valgrind clang
  # clang's sanitizer and libFuzzer runtimes (ThreadSanitizer and fuzz
  # builds): clang only recommends them, and recommends are not installed
  libclang-rt-dev
  libquantlib0-dev
  # the de_DE locale's definitions, from which the CSV locale test builds
  # a decimal-comma locale with localedef (tests/unit/CMakeLists.txt)
  locales
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
