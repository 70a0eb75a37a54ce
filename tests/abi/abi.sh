#!/usr/bin/env bash
# libcrit's ABI: dump it with abidw, or compare it with the committed
# baseline using abidiff. One place for the abidw options, so that the
# baseline (scripts/update-abi-baseline.sh) and the test see the same view.
#
#   abi.sh dump  LIBCRIT_SO OUT.abi      INCLUDE_DIR...
#   abi.sh check LIBCRIT_SO BASELINE.abi INCLUDE_DIR...
#
# Only types defined in the public headers count (--headers-dir with
# --drop-private-types); paths, locations and DT_NEEDED are left out so the
# result does not depend on where or with which dependencies it was built.
# check exits 0 when the ABI is unchanged or only grew (abidiff bit 4 with
# nothing but added functions, variables or appended fields of size-first
# structs; reported), 1 on an incompatible change (bit 8, or any changed
# function or variable type) or a tool error, 77 (CTest skip) without
# abigail-tools.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-}
lib=${2:-}
file=${3:-}
[ $# -ge 4 ] || { sed -n '2,18p' "$0" >&2; exit 2; }
shift 3

for tool in abidw abidiff; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not found (Debian package abigail-tools)"
    exit 77
  fi
done
if ! readelf -S "$lib" | grep -c '\.debug_info' >/dev/null; then
  echo "error: $lib has no DWARF debug information; abidw needs it" >&2
  exit 1
fi

dump() { # dump LIB OUT
  local hd=() d
  for d in "${incdirs[@]}"; do hd+=(--headers-dir "$d"); done
  abidw --no-corpus-path --no-comp-dir-path --no-show-locs --no-elf-needed \
    --drop-private-types --type-id-style hash "${hd[@]}" \
    --out-file "$2" "$1"
}
incdirs=("$@")

case "$mode" in
dump)
  dump "$lib" "$file"
  echo "wrote $file ($(grep -c '<elf-symbol ' "$file") symbols)"
  ;;
check)
  [ -f "$file" ] || { echo "error: no baseline $file" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  dump "$lib" "$tmp/current.abi"
  rc=0
  abidiff --no-default-suppression --suppressions "$here/libcrit.abignore" \
    --no-corpus-path "$file" "$tmp/current.abi" >"$tmp/diff" 2>&1 || rc=$?
  cat "$tmp/diff"
  if [ $((rc & 3)) -ne 0 ]; then
    echo "error: abidiff failed (exit $rc)"
    exit 1
  fi
  # abidiff sets bit 8 only for removed interfaces; a changed type of an
  # existing interface is bit 4. libcrit's policy calls every change that
  # is not an addition incompatible (fields appended to size-first structs
  # are suppressed in libcrit.abignore), so changed functions or variables
  # fail as well.
  changed=$(sed -nE 's/^(Functions|Variables) changes summary: [0-9]+ Removed, ([0-9]+) Changed.*/\2/p' \
    "$tmp/diff" | awk '{s += $1} END {print s + 0}')
  if [ $((rc & 8)) -ne 0 ] || [ "$changed" -ne 0 ]; then
    echo "FAIL: incompatible ABI change against $file (abidiff exit $rc,"
    echo "$changed changed functions or variables). A changed behaviour or"
    echo "type needs a new symbol, or a new major version; a deliberate"
    echo "change before a release needs a new baseline: see docs/abi.md."
    exit 1
  fi
  # what abidiff filtered out (libcrit.abignore: fields appended to
  # size-first structs) is compatible too; it counts it ("N filtered
  # out") but does not list it
  suppressed=$(sed -nE 's/^(Functions|Variables) changes summary: .* Changed \(([0-9]+) filtered out\).*/\2/p' \
    "$tmp/diff" | awk '{s += $1} END {print s + 0}')
  if [ $((rc & 4)) -ne 0 ] || [ "$suppressed" -ne 0 ]; then
    echo "ABI: compatible changes against the baseline (abidiff exit $rc),"
    echo "reported above; $suppressed suppressed (functions or variables"
    echo "that abidiff filtered out: libcrit.abignore's fields appended to"
    echo "size-first structs; abidiff without --suppressions lists them)."
    echo "Regenerate the baseline on purpose, in its own commit, with"
    echo "scripts/update-abi-baseline.sh (docs/abi.md)."
  else
    echo "ABI: identical to the baseline $file"
  fi
  ;;
*)
  sed -n '2,18p' "$0" >&2
  exit 2
  ;;
esac
