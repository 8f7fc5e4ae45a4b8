#!/usr/bin/env bash
# Test fixture (ctest FIXTURES_SETUP compiled_models): a copy of the models
# with their compiled Vectorscan databases (`suggest models compile`), so the
# tests that load models the library's default way - no cache directory, as
# an example program does - load in milliseconds instead of compiling the
# databases once per process (about a second; about a minute under ASan,
# whose allocator slows the compiler's many allocations).
#
#   compiled_models.sh SUGGEST MODELS_DIR DEST
set -euo pipefail
suggest=$1 models=$2 dest=$3
rm -rf "$dest"
mkdir -p "$dest"
cp -r "$models"/. "$dest"/
rm -rf "$dest/compiled"
"$suggest" models compile --models "$dest" --cache-dir off > /dev/null
[ -n "$(ls -A "$dest/compiled")" ] || { echo "FAIL: nothing compiled into $dest/compiled" >&2; exit 1; }
