#!/usr/bin/env bash
# install.python_venv: the Python package installed with pip from the copy
# `cmake --install` puts under <prefix>/share/suggest/python, into a fresh
# venv, offline (--no-build-isolation --no-index: Debian's setuptools and
# wheel, seen through --system-site-packages), then used with no PYTHONPATH,
# LD_LIBRARY_PATH, SUGGEST_LIBRARY or SUGGEST_MODELS, after the prefix has
# been removed (the package carries libsuggest.so.1 and the models):
#
#   - suggest.Model().analyze(note) gives the codes `suggest analyze` gives;
#   - the library and models used are the ones inside the venv;
#   - py.typed is installed; repr(result) stays short for a long note;
#   - the copy under share/ is left as it was (nothing built into it).
#
#   python_venv.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
note=$src/examples/notes/rheumatology_as.txt  # has codes (an op note of this encounter has none)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/suggest-venv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset PYTHONPATH LD_LIBRARY_PATH SUGGEST_LIBRARY SUGGEST_MODELS DESTDIR PYTHONHOME VIRTUAL_ENV
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "cmake --install"; }
share=$prefix/share/suggest/python
for f in pyproject.toml setup.py suggest/__init__.py suggest/py.typed suggest/_config.py; do
  [[ -f $share/$f ]] || fail "not installed: share/suggest/python/$f"
done
(cd "$share" && find . | sort) > "$tmp/share.before"
"$build/suggest" analyze --no-text-layer "$note" > "$tmp/ref.json"

cd "$tmp"
/usr/bin/python3 -m venv --system-site-packages v
v/bin/pip install --no-build-isolation "$share" > pip.log 2>&1 || { cat pip.log; fail "pip install"; }
(cd "$share" && find . | sort) > share.after
diff share.before share.after || fail "pip install wrote into $share"

# The prefix is gone: everything must come from the venv.
rm -rf "$prefix"
cat > use.py <<'EOF_PY'
import json
import sys

import suggest

note = open(sys.argv[1], encoding="utf-8").read()
model = suggest.Model()
result = model.analyze(note)
ref = json.loads(open(sys.argv[2], encoding="utf-8").read())
assert result.codes == [s["code"] for s in ref["suggestions"]], (result.codes, ref)
assert result.codes, "no codes: the check would be vacuous"
print("codes:", result.codes)
print("library:", suggest.library_path())
print("models:", model.models_dir)
print("repr(model):", repr(model))
long_result = model.analyze(note * 40)
print("repr(result) of a", len(note) * 40, "character note:", repr(long_result))
assert len(repr(long_result)) <= 300, len(repr(long_result))
assert all(len(repr(f)) <= 200 for f in long_result.facts)
assert len(repr(model)) <= 300
EOF_PY
v/bin/python use.py "$note" "$tmp/ref.json" > use.out 2>&1 || { cat use.out; fail "the venv's suggest"; }
cat use.out
site=$(v/bin/python -c 'import suggest, os; print(os.path.dirname(suggest.__file__))')
[[ $site == "$tmp/v/"* ]] || fail "suggest imported from $site, not the venv"
grep -qxF "library: $site/_native/libsuggest.so.1" use.out || fail "library not the venv's"
grep -qxF "models: $site/_native/suggest-models" use.out || fail "models not the venv's"
[[ -f $site/py.typed ]] || fail "py.typed not installed"
# Whole outputs first: grep -q on a pipe would end pip with SIGPIPE (pipefail).
shown=$(v/bin/pip show suggest)
library_version=$(v/bin/python -c 'import suggest; print(suggest.version())')
grep -qx "Version: $library_version" <<<"$shown" ||
  fail "package version differs from the library's ($library_version): $shown"
echo "install.python_venv: ok"
