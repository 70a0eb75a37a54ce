#!/usr/bin/env bash
# The ABI check's own test: abi.sh and libcrit.abignore, run on a fixture
# library (fixtures/growth) in its base version and in one changed version
# per case, must accept exactly the changes docs/abi.md calls compatible
# (an added function, a field appended to a size-first struct of each
# kind: _def, _options, _record, _info) and refuse the others (a removed
# function, a retyped parameter, a field inserted before others, a field
# appended to a frozen struct).
#
#   abi_policy.sh CC WORKDIR
#
# Exits 0 when every case comes out as expected, 1 otherwise, 77 (CTest
# skip) without abigail-tools.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
cc=$1
work=$2
fx=$here/fixtures/growth
for tool in abidw abidiff; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not found (Debian package abigail-tools)"
    exit 77
  fi
done
rm -rf "$work"
mkdir -p "$work"

build() { # build NAME [-DMACRO]: the fixture library into WORK/NAME.so
  # DWARF 4: Debian 12's abigail reads clang 14's DWARF 5 badly
  "$cc" -g -gdwarf-4 -O0 -shared -fPIC ${2:+"$2"} -I"$fx" "$fx/fx.c" \
    -o "$work/$1.so"
}

build base || exit 1
"$here/abi.sh" dump "$work/base.so" "$work/base.abi" "$fx" >/dev/null || exit 1

fail=0
# case: macro (- for the base itself), expected exit of abi.sh check
while read -r macro want; do
  [ "$macro" = - ] && macro=
  name=${macro:-unchanged}
  build "$name" ${macro:+"-D$macro"} || exit 1
  "$here/abi.sh" check "$work/$name.so" "$work/base.abi" "$fx" \
    >"$work/$name.log" 2>&1
  got=$?
  if [ "$got" -eq "$want" ]; then
    echo "ok   $name: abi.sh check exited $got"
  else
    echo "FAIL $name: abi.sh check exited $got, expected $want; its output:"
    sed 's/^/    /' "$work/$name.log"
    fail=1
  fi
done <<'CASES'
- 0
FX_ADD 0
FX_APPEND_DEF 0
FX_APPEND_OPTIONS 0
FX_APPEND_RECORD 0
FX_APPEND_INFO 0
FX_INSERT_DEF 1
FX_APPEND_ROW 1
FX_REMOVE 1
FX_RETYPE 1
CASES

# an accepted addition is still reported, so that the baseline is
# regenerated at the release
if ! grep -q crit_fx_new "$work/FX_ADD.log"; then
  echo "FAIL FX_ADD: abi.sh check did not report the added function"
  fail=1
fi
# and so is a field appended to a size-first struct: abidiff leaves it out
# of its listing (libcrit.abignore), but it is not "identical"
for name in FX_APPEND_DEF FX_APPEND_OPTIONS FX_APPEND_RECORD FX_APPEND_INFO; do
  if ! grep -q "1 suppressed" "$work/$name.log"; then
    echo "FAIL $name: abi.sh check did not report the appended field"
    fail=1
  fi
done
exit $fail
