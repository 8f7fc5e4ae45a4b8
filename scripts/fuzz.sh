#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz/ (clang, ASan + UBSan, in
# build-fuzz/) and runs each for SECONDS (default 60) on a scratch copy of its
# checked-in seed corpus, so tests/fuzz/corpus/ is never written. Prints the
# executions of each run; exits non-zero if any harness crashed, leaked, hung
# or failed an invariant (its log and the failing input are kept and named).
#
#   scripts/fuzz.sh [SECONDS] [FUZZER...]     e.g. scripts/fuzz.sh 600 analyze_fuzzer
#
# Packages (clang, libclang-rt-14-dev for libFuzzer) come from scripts/setup.sh,
# which also configures and builds. docs/fuzzing.md describes the harnesses.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS="${1:-60}"
shift || true
FUZZERS=("$@")
((${#FUZZERS[@]})) || FUZZERS=(normalize_fuzzer rules_fuzzer analyze_fuzzer c_api_fuzzer batch_input_fuzzer repetition_fuzzer
                            session_fuzzer)
BUILD_DIR=build-fuzz

# Longest input per harness (docs/fuzzing.md): short inputs reach every
# branch of the text layer and pipeline, and each execution costs about its
# length, so the cap buys executions. Rule files get more room: real packs
# are KiBs of TOML.
max_len() {
  case "$1" in
    normalize_fuzzer) echo 256 ;;
    rules_fuzzer) echo 2048 ;;
    *) echo 512 ;;
  esac
}

CC=clang CXX=clang++ scripts/setup.sh "$BUILD_DIR" -DSUGGEST_BUILD_FUZZERS=ON \
  -DSUGGEST_BUILD_TESTS=OFF -DSUGGEST_BUILD_BENCH=OFF -DSUGGEST_BUILD_EXAMPLES=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/suggest-fuzz.XXXXXX")"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
for f in "${FUZZERS[@]}"; do
  bin="$BUILD_DIR/tests/fuzz/$f"
  [ -x "$bin" ] || { echo "fuzz: no harness $bin" >&2; exit 2; }
  mkdir -p "$SCRATCH/$f/corpus" "$SCRATCH/$f/artifacts"
  cp tests/fuzz/corpus/"$f"/* "$SCRATCH/$f/corpus/"
  log="$SCRATCH/$f/log"
  echo "fuzz: $f for ${SECS}s (max_len $(max_len "$f"))"
  rc=0
  "$bin" "$SCRATCH/$f/corpus" -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=30 \
    -max_len="$(max_len "$f")" -dict="tests/fuzz/$f.dict" -print_final_stats=1 \
    -artifact_prefix="$SCRATCH/$f/artifacts/" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  echo "fuzz: $f: ${execs:-?} executions, ${speed:-?} exec/s, ${cov:-cov: ?}, exit $rc"
  # slow-unit-* files are only a hint; crash/leak/timeout/oom inputs fail.
  if [ "$rc" -ne 0 ] || compgen -G "$SCRATCH/$f/artifacts/[cglot]*-*" >/dev/null; then
    failed+=("$f")
    echo "fuzz: $f FAILED; log $log, inputs:" >&2
    ls "$SCRATCH/$f/artifacts/" >&2 || true
    tail -n 60 "$log" >&2
  fi
done

# The closing line in the plain "N passed, N failed" form CI reads.
echo "fuzz: $((${#FUZZERS[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
if ((${#failed[@]})); then
  echo "fuzz: failed: ${failed[*]} (kept $SCRATCH)" >&2
  exit 1
fi
rm -rf "$SCRATCH"
