#!/usr/bin/env bash
# Runs a command (a benchmark) in a session of its own whose scheduling
# autogroup and nice value are raised to -19, so that on a machine shared
# with other jobs (builds) it gets the cores most of the time, as on an idle
# machine; caches and memory bandwidth stay shared. Needs root (or
# CAP_SYS_NICE). docs/performance.md, "Issue 18".
#
#   scripts/bench_priority.sh build/bench/corpus_bench
set -euo pipefail
exec setsid bash -c 'echo -19 > /proc/self/autogroup 2>/dev/null || true; exec nice -n -19 "$@"' \
  bench_priority "$@"
