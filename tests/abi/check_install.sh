#!/usr/bin/env bash
# Install libcrit into a temporary staging prefix and use it as a consumer
# would: check the installed files and the SONAME, then build
# examples/c/consumer through pkg-config (Makefile) and through
# find_package(crit) (CMakeLists.txt), shared and static, run the four
# programs and check their output.
#
#   check_install.sh BUILD_DIR SOURCE_DIR VERSION [EXTRA_FLAGS...]
#
# EXTRA_FLAGS go to the consumers' compile and link lines (the sanitizer
# build passes its -fsanitize flags, which an instrumented libcrit needs).
set -euo pipefail

build=$1 src=$2 version=$3
shift 3
extra="$*"
major=${version%%.*}
cmake=${CMAKE_COMMAND:-cmake}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# DESTDIR keeps even absolute install destinations inside $tmp.
DESTDIR=$tmp/stage "$cmake" --install "$build" --prefix /opt/libcrit >"$tmp/install.log"
prefix=$tmp/stage/opt/libcrit
libdir=$(dirname "$(find "$prefix" -name libcrit.pc -path '*/pkgconfig/*' | head -n1)")
[ -n "$libdir" ] && [ "$libdir" != . ] || fail "no libcrit.pc installed"
libdir=$(dirname "$libdir")
echo "installed into $prefix (libdir ${libdir#$prefix/})"

# Headers: every public header of the source tree, and the generated one.
for h in "$src"/include/crit.h "$src"/include/crit/*.h; do
  rel=${h#$src/include/}
  [ -f "$prefix/include/$rel" ] || fail "header $rel not installed"
done
[ -f "$prefix/include/crit/version.h" ] || fail "crit/version.h not installed"
grep -q "CRIT_VERSION_STRING \"$version\"" "$prefix/include/crit/version.h" ||
  fail "installed crit/version.h is not version $version"

# Libraries: the real file, the SONAME link, the development link, libcrit.a.
[ -f "$libdir/libcrit.so.$version" ] || fail "libcrit.so.$version not installed"
[ "$(readlink "$libdir/libcrit.so.$major")" = "libcrit.so.$version" ] ||
  fail "libcrit.so.$major does not link to libcrit.so.$version"
[ -L "$libdir/libcrit.so" ] || fail "libcrit.so (development link) missing"
dyn=$(readelf -d "$libdir/libcrit.so.$version")
soname=$(sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p' <<<"$dyn")
[ "$soname" = "libcrit.so.$major" ] || fail "SONAME is '$soname', expected libcrit.so.$major"
[ -f "$libdir/libcrit.a" ] || fail "libcrit.a not installed"

# Package files.
for f in pkgconfig/libcrit.pc cmake/crit/critConfig.cmake \
  cmake/crit/critConfigVersion.cmake cmake/crit/critTargets.cmake; do
  [ -f "$libdir/$f" ] || fail "$f not installed"
done
echo "files: headers, libcrit.so.$version (SONAME $soname), libcrit.a, libcrit.pc, critConfig.cmake: ok"

expected="libcrit $version (headers $version)
Ga: HHI 6250, largest producer AAA with 75%"
check_run() { # check_run PROGRAM
  local out
  out=$(LD_LIBRARY_PATH=$libdir "$1") || fail "$1 exited with $?"
  [ "$out" = "$expected" ] || fail "$1 printed:
$out
expected:
$expected"
  echo "$(basename "$(dirname "$1")")/$(basename "$1"): ok"
}

# 1. pkg-config.
export PKG_CONFIG_PATH=$libdir/pkgconfig
pkg-config --exists --print-errors "libcrit = $version" || fail "pkg-config does not find libcrit $version"
mkdir "$tmp/pc"
make -s -C "$src/examples/c/consumer" O="$tmp/pc" \
  CFLAGS="-O2 -Wall -Wextra -Werror $extra" LDFLAGS="$extra" >"$tmp/make.log" 2>&1 ||
  { cat "$tmp/make.log"; fail "pkg-config build of examples/c/consumer"; }
# (Output captured before grep: with pipefail, grep -q ending a pipe early
# would turn a match into a failure.)
deps=$(LD_LIBRARY_PATH=$libdir ldd "$tmp/pc/hello")
grep -q "libcrit.so.$major => $libdir/" <<<"$deps" ||
  fail "pc/hello does not load the installed libcrit.so.$major"
dyn=$(readelf -d "$tmp/pc/hello-static")
! grep -q 'libcrit\.so' <<<"$dyn" || fail "pc/hello-static depends on libcrit.so"
check_run "$tmp/pc/hello"
check_run "$tmp/pc/hello-static"

# 2. find_package(crit).
"$cmake" -S "$src/examples/c/consumer" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="$extra" -DCMAKE_EXE_LINKER_FLAGS="$extra" >"$tmp/cmake.log" 2>&1 ||
  { cat "$tmp/cmake.log"; fail "configuring examples/c/consumer with find_package(crit)"; }
grep -q "crit_DIR:PATH=$libdir/cmake/crit" "$tmp/cm/CMakeCache.txt" ||
  fail "find_package(crit) did not find the installed package"
"$cmake" --build "$tmp/cm" >"$tmp/build.log" 2>&1 ||
  { cat "$tmp/build.log"; fail "building examples/c/consumer with find_package(crit)"; }
dyn=$(readelf -d "$tmp/cm/hello-static")
! grep -q 'libcrit\.so' <<<"$dyn" || fail "cm/hello-static depends on libcrit.so"
check_run "$tmp/cm/hello"
check_run "$tmp/cm/hello-static"
echo "install and consumption: ok"
