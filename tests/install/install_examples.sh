#!/usr/bin/env bash
# install.examples: `cmake --install` into a temporary prefix, then use the
# *installed* package the way a user would:
#
#   - layout: headers, libsuggest.so* + libsuggest.a, bin/suggest, models (data
#     only), lib/cmake/suggest, lib/pkgconfig/suggest.pc; no build paths or
#     private dependencies (toml++, nlohmann-json, object libraries) leak;
#   - libsuggest.so.1: SONAME, no RUNPATH, exports only suggest_* / suggest::;
#   - examples/ configured with find_package(suggest): the C++ and C examples
#     print what `suggest analyze` prints (code, rank, score, evidence) for
#     every note of examples/notes (op_note_acdf.txt among them);
#   - the C example built with plain `cc $(pkg-config --cflags --libs suggest)`,
#     and statically with `pkg-config --static`;
#   - suggest::suggest_static: the C++ example linked against the archive;
#   - examples/python/analyze_note.py (if present) with the installed package;
#   - relocatability: the prefix moved elsewhere still finds its models (C
#     example through dladdr, bin/suggest through /proc/self/exe, the CMake
#     package and the .pc file);
#   - bin/suggest, SUGGEST_MODELS unset, run outside the source tree, uses the
#     installed models;
#   - suggest::Model::Load() with no directory (tests/install/load_installed.cc):
#     shared, from the moved prefix, finds the moved models; static, outside
#     any prefix, fails listing every place looked (never the build or source
#     tree), and copied into <moved prefix>/bin finds that prefix's models;
#     no path of the source tree's models in the installed .so, .a or CLI.
#
#   install_examples.sh BUILD_DIR SOURCE_DIR
#
# CC, CXX and CMAKE_GENERATOR (set by tests/CMakeLists.txt) pick the same
# toolchain as the main build.
set -euo pipefail

build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
notes=("$src"/examples/notes/*.txt)
note=$src/examples/notes/op_note_acdf.txt  # for single runs
tmp=$(mktemp -d "${TMPDIR:-/tmp}/suggest-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset SUGGEST_MODELS DESTDIR
export CMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo}
cc=${CC:-cc}

step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# Runs a command with its output in a log, shown only if it fails.
quiet() {
  local log=$tmp/step.log
  "$@" > "$log" 2>&1 || { cat "$log" >&2; fail "$*"; }
}
compare() { /usr/bin/python3 "$here/compare_codes.py" "$@"; }
# check_all LABEL [--codes-only] CMD...: runs `CMD NOTE` for every note and
# compares its lines with the reference; CMD's stderr of the last note is
# left in $tmp/err.
check_all() {
  local label=$1 mode=() n base
  shift
  if [[ $1 == --codes-only ]]; then mode=(--codes-only); shift; fi
  for n in "${notes[@]}"; do
    base=$(basename "$n")
    "$@" "$n" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/err" >&2; fail "$label on $base"; }
    echo -n "$label, $base: "
    compare "${mode[@]}" "$tmp/out" "$tmp/ref/$base.json"
  done
}

# ---------------------------------------------------------------- install
step "cmake --install $build --prefix $tmp/prefix"
prefix=$tmp/prefix
quiet cmake --install "$build" --prefix "$prefix"

so1=$(find "$prefix" -name libsuggest.so.1 -print -quit)
[[ -n $so1 ]] || fail "no libsuggest.so.1 under $prefix"
libdir=$(dirname "$so1")
librel=${libdir#"$prefix"/}  # lib, or lib/<multiarch>
echo "libdir: $librel"
for f in include/suggest/suggest.h include/suggest/suggest_c.h include/suggest/export.h \
         include/suggest/types.h include/suggest/status.h include/suggest/options.h \
         include/suggest/version.h include/suggest/dev/assess.h \
         "$librel/libsuggest.so" "$librel/libsuggest.a" \
         "$librel/cmake/suggest/suggestConfig.cmake" \
         "$librel/cmake/suggest/suggestConfigVersion.cmake" \
         "$librel/cmake/suggest/suggestTargets.cmake" "$librel/pkgconfig/suggest.pc" \
         bin/suggest share/suggest/models/map.toml share/suggest/models/sections.toml \
         share/suggest/models/context.toml share/suggest/models/rules/levels.toml \
         share/suggest/models/manifest.toml \
         share/suggest/models/icd10cm/default; do
  [[ -e $prefix/$f ]] || fail "not installed: $f"
done
[[ -L $prefix/$librel/libsuggest.so && -L $so1 ]] || fail "libsuggest.so and .so.1 must be symlinks"
[[ $(readlink "$prefix/$librel/libsuggest.so") == libsuggest.so.1 ]] ||
  fail "libsuggest.so -> $(readlink "$prefix/$librel/libsuggest.so"), want libsuggest.so.1"
# Every document an installed header cites as docs/NAME is installed as
# share/doc/libsuggest/NAME (and no header cites design notes that do not ship);
# dev/ (the developer interface) included.
cited=$(grep -rohE --include='*.h' 'docs/[A-Za-z0-9_.-]+\.(md|json)' "$prefix"/include/suggest | sort -u)
[[ -n $cited ]] || fail "no docs/ citation found in the installed headers"
for d in $cited; do
  [[ -f $prefix/share/doc/libsuggest/${d#docs/} ]] || fail "a header cites $d, not installed"
done
if grep -rnE --include='*.h' 'design\.md|\.\./shared' "$prefix"/include/suggest; then
  fail "installed headers cite documents that are not shipped (above)"
fi
# Models: the data only (TOML, code tables).
bad=$(find "$prefix/share/suggest/models" -type f ! -name '*.toml' ! -path '*/icd10cm/*')
[[ -z $bad ]] || fail "unexpected files in the installed models: $bad"
# The installed package must not point into the build or the source tree,
# nor name private (header-only) dependencies or the object libraries.
if grep -rIl -e "$build" -e "$src/" "$prefix/$librel/cmake" "$prefix/$librel/pkgconfig" \
     "$prefix/include"; then
  fail "build or source paths in the installed package (files above)"
fi
if grep -rIlE 'suggest_objects|suggest_text|suggest_toml|tomlplusplus|nlohmann' \
     "$prefix/$librel/cmake" "$prefix/$librel/pkgconfig"; then
  fail "private targets in the installed package (files above)"
fi

# Nothing installed may fall back on this tree's models (a static program
# once used them silently, then failed when the tree was gone).
for f in "$so1" "$prefix/$librel/libsuggest.a" "$prefix/bin/suggest"; do
  if strings -a "$f" | grep -F -e "$src/models" -e "$build/suggest-models"; then
    fail "$f holds a path of the build or source tree's models (above)"
  fi
done

# ---------------------------------------------------------------- ELF
step "libsuggest.so.1: SONAME, RUNPATH, exported symbols"
readelf -d "$so1" > "$tmp/dyn"
grep -q 'Library soname: \[libsuggest.so.1\]' "$tmp/dyn" || { cat "$tmp/dyn"; fail "SONAME"; }
if grep -qE 'RPATH|RUNPATH' "$tmp/dyn"; then fail "installed libsuggest.so.1 has an RPATH"; fi
if grep -qE 'RPATH|RUNPATH' <<<"$(readelf -d "$prefix/bin/suggest")"; then
  fail "installed bin/suggest has an RPATH"
fi
# Defined dynamic symbols, demangled: the version node SUGGEST_1, suggest_*
# (C ABI) and suggest::* (C++ API) only, each versioned SUGGEST_1 (suggest.map).
nm -D --defined-only -C "$so1" | sed -E 's/^[0-9a-fA-F]* *[A-Za-z] //' > "$tmp/syms_versioned"
grep -vE '^SUGGEST_1$|@@SUGGEST_1$' "$tmp/syms_versioned" > "$tmp/bad_syms" || true
[[ ! -s $tmp/bad_syms ]] || { head -20 "$tmp/bad_syms"; fail "symbols outside the version node SUGGEST_1"; }
sed -E 's/@@SUGGEST_1$//' "$tmp/syms_versioned" > "$tmp/syms"
grep -vE '^(SUGGEST_1$|suggest_|suggest::)' "$tmp/syms" > "$tmp/bad_syms" || true
[[ ! -s $tmp/bad_syms ]] || { head -20 "$tmp/bad_syms"; fail "unexpected exported symbols"; }
grep -q '^suggest_model_load$' "$tmp/syms" || fail "suggest_model_load not exported"
grep -q '^suggest::Model::Load(' "$tmp/syms" || fail "suggest::Model::Load not exported"
echo "$(wc -l < "$tmp/syms") exported symbols"

# ---------------------------------------------------------------- reference
# What `suggest analyze` (build tree, source models) says about each note.
mkdir -p "$tmp/ref"
for n in "${notes[@]}"; do
  "$build/suggest" analyze --no-text-layer "$n" > "$tmp/ref/$(basename "$n").json"
done
grep -q '"code"' "$tmp"/ref/*.json || fail "no suggestions for any example note: the checks would be vacuous"

# ---------------------------------------------------------------- CMake package
step "examples/ with find_package(suggest) from $prefix"
quiet cmake -S "$src/examples" -B "$tmp/ex" -DCMAKE_PREFIX_PATH="$prefix"
grep -qxF "suggest_DIR:PATH=$prefix/$librel/cmake/suggest" "$tmp/ex/CMakeCache.txt" ||
  fail "find_package(suggest) did not use $prefix: $(grep '^suggest_DIR' "$tmp/ex/CMakeCache.txt")"
quiet cmake --build "$tmp/ex"
cd "$tmp"  # outside the source tree from here on
check_all "C++ example" "$tmp/ex/analyze_note_cpp"
check_all "C example" "$tmp/ex/analyze_note_c"
grep -qxF "models: $prefix/share/suggest/models" "$tmp/err" ||
  fail "C example: $(cat "$tmp/err"), want the installed models"

# ---------------------------------------------------------------- pkg-config
step "C example with cc \$(pkg-config --cflags --libs suggest)"
export PKG_CONFIG_PATH=$prefix/$librel/pkgconfig
flags=$(pkg-config --cflags --libs suggest)
echo "pkg-config: $flags"
# shellcheck disable=SC2086  # the flags are words
"$cc" -std=c99 -Wall -Wextra -pedantic -Werror -o "$tmp/analyze_note_c_pc" \
  "$src/examples/c/analyze_note.c" $flags
check_all "pkg-config C example" env LD_LIBRARY_PATH="$prefix/$librel" "$tmp/analyze_note_c_pc"
grep -qxF "models: $prefix/share/suggest/models" "$tmp/err" || fail "pkg-config C example: $(cat "$tmp/err")"
[[ $(cd "$(pkg-config --variable=modelsdir suggest)" && pwd -P) == $(cd "$prefix/share/suggest/models" && pwd -P) ]] ||
  fail "pkg-config modelsdir: $(pkg-config --variable=modelsdir suggest)"

step "C example linked statically: pkg-config --static"
static_libs=$(pkg-config --static --libs suggest | sed 's/-lsuggest\b/-l:libsuggest.a/')
echo "pkg-config --static: $static_libs"
# shellcheck disable=SC2086
"$cc" -std=c99 -o "$tmp/analyze_note_c_static" "$src/examples/c/analyze_note.c" \
  $(pkg-config --cflags suggest) $static_libs
if grep -q 'libsuggest' <<<"$(readelf -d "$tmp/analyze_note_c_static")"; then
  fail "the static C example needs libsuggest.so"
fi
# The library is inside the program: models beside the program do not exist,
# so name them.
check_all "static C example" env SUGGEST_MODELS="$prefix/share/suggest/models" \
  "$tmp/analyze_note_c_static"

# ---------------------------------------------------------------- static target
step "suggest::suggest_static (find_package(suggest COMPONENTS static))"
mkdir -p "$tmp/static_src"
cat > "$tmp/static_src/CMakeLists.txt" <<EOF_CMAKE
cmake_minimum_required(VERSION 3.20)
project(suggest_static_check CXX)
find_package(suggest REQUIRED COMPONENTS static)
add_executable(static_check "$src/examples/cpp/analyze_note.cc")
target_compile_features(static_check PRIVATE cxx_std_17)
target_link_libraries(static_check PRIVATE suggest::suggest_static)
target_compile_definitions(static_check PRIVATE SUGGEST_EXAMPLE_MODELS_DIR="\${suggest_MODELS_DIR}")
message(STATUS "suggest_MODELS_DIR: \${suggest_MODELS_DIR}")
# Model::Load() with no directory, against libsuggest.so and libsuggest.a.
add_executable(load_shared "$here/load_installed.cc")
target_link_libraries(load_shared PRIVATE suggest::suggest)
add_executable(load_static "$here/load_installed.cc")
target_link_libraries(load_static PRIVATE suggest::suggest_static)
foreach(t load_shared load_static)
  target_compile_features(\${t} PRIVATE cxx_std_17)
endforeach()
EOF_CMAKE
quiet cmake -S "$tmp/static_src" -B "$tmp/static" -DCMAKE_PREFIX_PATH="$prefix"
quiet cmake --build "$tmp/static"
if grep -q 'libsuggest' <<<"$(readelf -d "$tmp/static/static_check")"; then
  fail "suggest::suggest_static linked libsuggest.so"
fi
check_all "static C++ program" "$tmp/static/static_check"

# ---------------------------------------------------------------- Python
py_example=$src/examples/python/analyze_note.py
if [[ -f $py_example ]]; then
  step "examples/python/analyze_note.py with the installed package"
  check_all "Python example" --codes-only \
    env PYTHONPATH="$prefix/lib/python3/dist-packages" /usr/bin/python3 "$py_example"
else
  echo "== skipped: $py_example does not exist yet"
fi

# ---------------------------------------------------------------- relocation
moved=$tmp/elsewhere/prefix2
step "relocation: mv $prefix $moved"
mkdir -p "$(dirname "$moved")"
mv "$prefix" "$moved"
check_all "C example, moved prefix" env LD_LIBRARY_PATH="$moved/$librel" "$tmp/analyze_note_c_pc"
grep -qxF "models: $moved/share/suggest/models" "$tmp/err" ||
  fail "C example, moved prefix: $(cat "$tmp/err"), want $moved/share/suggest/models"
export PKG_CONFIG_PATH=$moved/$librel/pkgconfig
[[ -f $(pkg-config --variable=includedir suggest)/suggest/suggest_c.h ]] ||
  fail "moved .pc: includedir $(pkg-config --variable=includedir suggest)"
quiet cmake -S "$tmp/static_src" -B "$tmp/static_moved" -DCMAKE_PREFIX_PATH="$moved"
grep -qxF "suggest_DIR:PATH=$moved/$librel/cmake/suggest" "$tmp/static_moved/CMakeCache.txt" ||
  fail "find_package(suggest) from the moved prefix"
grep -qxF -- "-- suggest_MODELS_DIR: $moved/share/suggest/models" "$tmp/step.log" ||
  { cat "$tmp/step.log"; fail "suggest_MODELS_DIR of the moved prefix"; }

# ---------------------------------------------------------------- Model::Load()
step "suggest::Model::Load() with no directory (moved prefix)"
for opt in "" --options; do
  LD_LIBRARY_PATH="$moved/$librel" "$tmp/static/load_shared" $opt > "$tmp/load.out" 2> "$tmp/load.err" ||
    { cat "$tmp/load.err"; fail "load_shared $opt"; }
  grep -qxF "models: $moved/share/suggest/models" "$tmp/load.out" ||
    fail "load_shared $opt: $(head -1 "$tmp/load.out"), want $moved/share/suggest/models"
  grep -qxE 'M43\.2[0-9]|Z98\.1' "$tmp/load.out" || fail "load_shared $opt: no fusion code: $(cat "$tmp/load.out")"
done
# The static program outside any prefix: no models beside it, and nothing
# compiled in to fall back on. The error names every place looked.
status=0
"$tmp/static/load_static" > /dev/null 2> "$tmp/load.err" || status=$?
cat "$tmp/load.err"
[[ $status == 3 ]] || fail "load_static outside a prefix: exit $status, want 3 (no models)"
for want in '$SUGGEST_MODELS' "$tmp/share/suggest/models" "$tmp/static/suggest-models"; do
  grep -qF -- "$want" "$tmp/load.err" || fail "load_static's error does not list $want"
done
if grep -qF -e "$src" -e "$build" "$tmp/load.err"; then fail "load_static looked in the build or source tree"; fi
# The same program installed into the prefix's bin/ finds the prefix's models.
cp "$tmp/static/load_static" "$moved/bin/load_static"
"$moved/bin/load_static" > "$tmp/load.out" 2> "$tmp/load.err" || { cat "$tmp/load.err"; fail "bin/load_static"; }
grep -qxF "models: $moved/share/suggest/models" "$tmp/load.out" || fail "bin/load_static: $(head -1 "$tmp/load.out")"
rm "$moved/bin/load_static"

# ---------------------------------------------------------------- installed CLI
step "installed bin/suggest (moved prefix, SUGGEST_MODELS unset, cwd $tmp)"
# Same notes, same options: byte-identical to the build tree CLI's output.
"$moved/bin/suggest" --log-level debug analyze --no-text-layer "${notes[@]}" \
  > "$tmp/cli.jsonl" 2> "$tmp/cli.err" || { cat "$tmp/cli.err"; fail "installed suggest analyze"; }
for n in "${notes[@]}"; do cat "$tmp/ref/$(basename "$n").json"; done > "$tmp/ref.jsonl"
cmp "$tmp/cli.jsonl" "$tmp/ref.jsonl" || fail "installed suggest analyze differs from the build tree's"
grep -F "model loaded from $moved/share/suggest/models" "$tmp/cli.err" ||
  echo "note: no 'model loaded from' debug line naming $moved/share/suggest/models"
# Proof that it reads the installed models, not the source tree's: a copy of
# the prefix with a broken rule file must fail to load, naming that file.
cp -a "$moved" "$tmp/broken"
echo 'this is = = not TOML' >> "$tmp/broken/share/suggest/models/map.toml"
status=0
"$tmp/broken/bin/suggest" analyze "$note" > /dev/null 2> "$tmp/broken.err" || status=$?
[[ $status == 3 ]] || { cat "$tmp/broken.err"; fail "broken installed models: exit $status, want 3"; }
grep -qF "$tmp/broken/share/suggest/models/map.toml" "$tmp/broken.err" ||
  { cat "$tmp/broken.err"; fail "the error should name the installed map.toml"; }
# $SUGGEST_MODELS still overrides.
SUGGEST_MODELS=$moved/share/suggest/models "$tmp/broken/bin/suggest" analyze "$note" > /dev/null ||
  fail "SUGGEST_MODELS does not override the installed models"

echo "install.examples: ok"
