#!/usr/bin/env bash
# python.mypy: `mypy --strict` on the package (settings: libsuggest/python/
# pyproject.toml [tool.mypy]) and on a typed consumer
# (tests/python/typing_consumer.py: the Literal types reach user code).
# Exit 77 (skipped) only when mypy is not installed (Debian package mypy,
# scripts/setup.sh installs it).
#
#   mypy.sh PACKAGE_DIR CACHE_DIR
set -euo pipefail
pkg=$1 cache=$2
here=$(cd "$(dirname "$0")" && pwd)
if command -v mypy > /dev/null; then
  mypy=(mypy)
elif /usr/bin/python3 -c 'import mypy' 2> /dev/null; then
  mypy=(/usr/bin/python3 -m mypy)
else
  echo "mypy is not installed (Debian: apt-get install mypy): skipped"
  exit 77
fi
cd "$pkg"
"${mypy[@]}" --version
"${mypy[@]}" --strict --cache-dir "$cache" -p suggest
MYPYPATH=$pkg "${mypy[@]}" --strict --cache-dir "$cache" --config-file "$pkg/pyproject.toml" \
  "$here/typing_consumer.py"
