#!/usr/bin/env bash
# Install what is missing, build, and run every test (ctest).
#
#   scripts/test.sh                 build/ , RelWithDebInfo
#   scripts/test.sh --sanitize      build-asan/ , AddressSanitizer + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--sanitize" ]; then
  scripts/setup.sh build-asan -DSUGGEST_SANITIZE=ON -DSUGGEST_BUILD_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  cd build-asan
else
  scripts/setup.sh build
  cd build
fi
ctest --output-on-failure -j "$(nproc)"
