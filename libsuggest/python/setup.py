"""Build hooks of the `suggest` package (metadata: pyproject.toml).

Built from the copy `cmake --install` puts under <prefix>/share/suggest/python,
the package carries the prefix's libsuggest and models:

    suggest/_native/libsuggest.so.1     the prefix's library
    suggest/_native/suggest-models/     the prefix's models, where the
                                        library itself looks for models
                                        (suggest::FindModelsDir: a
                                        suggest-models folder beside it)
    suggest/_config.py                  LIBRARY = "_native/libsuggest.so.1"

so an installed package needs no PYTHONPATH, LD_LIBRARY_PATH or
SUGGEST_MODELS, and does not depend on the prefix staying where it was.
The library still needs its system dependencies (RE2, ICU, Vectorscan: the
runtime packages). Built from the source tree (no _config.py written by
cmake --install), nothing is carried and the package finds libsuggest
through $SUGGEST_LIBRARY or the dynamic loader, as before.

Build folders go to a temporary directory (removed at exit), so a read-only
prefix (/usr) can be installed from without writing into it. The carried
library is stripped of its debug information when `strip` is available.
"""

from __future__ import annotations

import atexit
import os
import runpy
import shutil
import subprocess
import tempfile

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(HERE, "suggest")


def _installed_library() -> str | None:
    """The library the cmake --install copy points at (its _config.py holds
    the path relative to the package folder), or None."""
    config = os.path.join(PACKAGE, "_config.py")
    if not os.path.exists(config):
        return None
    rel = runpy.run_path(config).get("LIBRARY")
    if not rel:
        return None
    path = os.path.normpath(os.path.join(PACKAGE, rel))
    if not os.path.exists(path):
        raise SystemExit(f"setup.py: {config} names {path}, which does not exist")
    return path


class BuildPyCarry(build_py):
    """build_py, then the library and models copied into the package."""

    def run(self) -> None:
        super().run()
        library = _installed_library()
        if library is None:
            return
        models = os.path.normpath(os.path.join(HERE, "..", "models"))
        if not os.path.isdir(models):
            raise SystemExit(f"setup.py: no models at {models}")
        native = os.path.join(self.build_lib, "suggest", "_native")
        shutil.rmtree(native, ignore_errors=True)
        os.makedirs(native)
        name = os.path.basename(library)
        carried = os.path.join(native, name)
        shutil.copy2(os.path.realpath(library), carried)
        # Without its debug information (25 MB -> 1.2 MB in a RelWithDebInfo
        # build); the exported symbols stay.
        strip = shutil.which("strip")
        if strip:
            subprocess.run([strip, "--strip-debug", carried], check=False)
        shutil.copytree(models, os.path.join(native, "suggest-models"),
                        ignore=shutil.ignore_patterns("compiled"))
        with open(os.path.join(self.build_lib, "suggest", "_config.py"), "w",
                  encoding="utf-8") as f:
            f.write("# Written by setup.py: the library carried in this package.\n"
                    f'LIBRARY = "_native/{name}"\n')


class BinaryDistribution(Distribution):
    """A platform wheel when it carries libsuggest.so.1."""

    def has_ext_modules(self) -> bool:
        return _installed_library() is not None


_build = tempfile.mkdtemp(prefix="suggest-build-")
atexit.register(shutil.rmtree, _build, True)
setup(cmdclass={"build_py": BuildPyCarry}, distclass=BinaryDistribution,
      options={"build": {"build_base": os.path.join(_build, "build")},
               "egg_info": {"egg_base": _build}})
