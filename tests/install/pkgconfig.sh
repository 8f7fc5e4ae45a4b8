#!/usr/bin/env bash
# install.pkgconfig: suggest.pc used with nothing but the installed prefix on
# pkg-config's path (PKG_CONFIG_LIBDIR, so not even the system's .pc files of
# RE2, ICU or Vectorscan are seen, as on a machine without their -dev packages):
#
#   - shared: `pkg-config --cflags --libs suggest` is exactly
#     -I<prefix>/include -L<libdir> -lsuggest (no -pthread, no -I.../hs), and
#     the C example built with it (strict C99) runs and finds the models;
#   - static: `pkg-config --static --libs suggest` links the C example against
#     libsuggest.a (no libsuggest.so needed), and it runs.
#
#   pkgconfig.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
# No `cmd | grep -q` below: under pipefail grep's early exit can fail cmd with
# SIGPIPE; the output is taken whole first.

build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
note=$src/examples/notes/op_note_acdf.txt
tmp=$(mktemp -d "${TMPDIR:-/tmp}/suggest-pc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset SUGGEST_MODELS DESTDIR PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
cc=${CC:-cc}
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "cmake --install"; }
so1=$(find "$prefix" -name libsuggest.so.1 -print -quit)
libdir=$(dirname "$so1")
export PKG_CONFIG_LIBDIR=$libdir/pkgconfig
"$build/suggest" analyze --no-text-layer "$note" > "$tmp/ref.json"
cd "$tmp"

echo "== shared: pkg-config --cflags --libs suggest (PKG_CONFIG_LIBDIR=$PKG_CONFIG_LIBDIR)"
flags=$(pkg-config --cflags --libs suggest) || fail "pkg-config --cflags --libs suggest"
echo "$flags"
# pkg-config prints the paths of a relocatable .pc through ${pcfiledir}.
want_inc=$(cd "$prefix/include" && pwd -P) want_lib=$(cd "$libdir" && pwd -P)
read -r -a words <<<"$flags"
[[ ${#words[@]} == 3 && ${words[2]} == -lsuggest ]] || fail "flags: $flags"
[[ $(cd "${words[0]#-I}" && pwd -P) == "$want_inc" ]] || fail "include flag: ${words[0]}"
[[ $(cd "${words[1]#-L}" && pwd -P) == "$want_lib" ]] || fail "library flag: ${words[1]}"
cflags=$(pkg-config --cflags suggest)
[[ $cflags != *pthread* && $cflags != */hs* ]] || fail "dependencies' Cflags leak: $cflags"
# shellcheck disable=SC2086  # the flags are words
"$cc" -std=c99 -Wall -Wextra -pedantic -Werror -o shared_c "$src/examples/c/analyze_note.c" $flags
grep -q 'NEEDED.*libsuggest.so.1' <<<"$(readelf -d shared_c)" || fail "shared_c does not need libsuggest.so.1"
LD_LIBRARY_PATH=$libdir ./shared_c "$note" > out 2> err || { cat err; fail "shared_c"; }
/usr/bin/python3 "$here/compare_codes.py" out "$tmp/ref.json"
grep -qxF "models: $prefix/share/suggest/models" err || fail "shared_c: $(cat err)"

echo "== static: pkg-config --static --libs suggest"
static=$(pkg-config --static --libs suggest) || fail "pkg-config --static --libs suggest"
echo "$static"
[[ $static == *-lsuggest* && $static == *-lre2* && $static == *-licuuc* ]] ||
  fail "--static lacks the dependencies: $static"
# -l:libsuggest.a: the archive even though libsuggest.so sits beside it.
# shellcheck disable=SC2086
"$cc" -std=c99 -Wall -Wextra -pedantic -Werror -o static_c "$src/examples/c/analyze_note.c" \
  $(pkg-config --cflags suggest) ${static/-lsuggest/-l:libsuggest.a}
if grep -q 'libsuggest' <<<"$(readelf -d static_c)"; then fail "static_c needs libsuggest.so"; fi
# The library is inside the program, which is not in <prefix>/bin: name the models.
SUGGEST_MODELS=$prefix/share/suggest/models ./static_c "$note" > out 2> err || { cat err; fail "static_c"; }
/usr/bin/python3 "$here/compare_codes.py" out "$tmp/ref.json"
echo "install.pkgconfig: ok"
