#!/usr/bin/env bash
# Quick start: install what is missing, build, and analyze the example notes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
for f in examples/notes/*.txt; do
  build/suggest analyze "$f"
done
