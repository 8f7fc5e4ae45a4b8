#!/usr/bin/env bash
# Install what is missing, build, and run every test (ctest).
#
#   scripts/test.sh                 build/ , RelWithDebInfo
#   scripts/test.sh --sanitize      build-asan/ , AddressSanitizer + UBSan
#   scripts/test.sh --tsan          build-tsan/ , ThreadSanitizer: only the tests
#                                   labelled tsan (ctest -L tsan, the multi-threaded ones)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--tsan" ]; then
  # Only what the tsan tests run: the CLI, the shared-Model thread test and a
  # deliberate race (tsan.canary, which must be reported).
  SUGGEST_BUILD_TARGETS="suggest_cli concurrency_tests tsan_canary" \
    scripts/setup.sh build-tsan -DSUGGEST_SANITIZE_THREAD=ON -DSUGGEST_BUILD_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
  # A race report stops the process with exit code 66 (halt_on_error), which
  # fails the test; reports go to build-tsan/tsan-reports/ and are printed
  # below, since some CLI tests discard the binary's stderr.
  reports="$PWD/build-tsan/tsan-reports"
  rm -rf "$reports" && mkdir -p "$reports"
  export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 exitcode=66 \
suppressions=$PWD/tests/tsan.supp log_path=$reports/report"
  cd build-tsan
  rc=0
  ctest -L tsan --output-on-failure -j "$(nproc)" || rc=$?
  if compgen -G "$reports/report*" > /dev/null; then
    echo "ThreadSanitizer reports:" >&2
    cat "$reports"/report* >&2
    rc=1
  fi
  exit $rc
elif [ "${1:-}" = "--sanitize" ]; then
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
