"""NN_ANIMATE_TESTS_NO_KERAS=1 (``make test-fast``): importing Keras, TensorFlow or JAX raises ImportError.

tests/conftest.py runs this file in pytest's own process and puts its folder first on PYTHONPATH, so every
Python process a test starts (the CLI) runs it as well, as the ``sitecustomize`` Python imports at start-up.
A test that trains, or merely loads Keras, then fails at once instead of making the fast suite slow.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

BLOCKED = ("keras", "tensorflow", "jax", "jaxlib")
MESSAGE = "this test trains or loads Keras: mark it @pytest.mark.trains"


class NoKeras:
    """A ``sys.meta_path`` finder asked before all others: for Keras, TensorFlow, JAX and their submodules
    it raises; for anything else it leaves the finding to the rest."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ImportError(f"{MESSAGE} (it imports {name!r}, and NN_ANIMATE_TESTS_NO_KERAS=1 refuses "
                              f"{', '.join(BLOCKED)})", name=name)
        return None


def install() -> None:
    if not any(type(finder).__name__ == NoKeras.__name__ for finder in sys.meta_path):
        sys.meta_path.insert(0, NoKeras())


def _run_the_sitecustomize_this_one_hides() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    others = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", others)
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


if os.environ.get("NN_ANIMATE_TESTS_NO_KERAS") == "1":
    install()
if __name__ == "sitecustomize":
    _run_the_sitecustomize_this_one_hides()
