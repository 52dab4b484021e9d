"""Shared fixtures. Recordings made here use NumPy only, as a user writing their own would.

Under NN_ANIMATE_TESTS_NO_KERAS=1 (``make test-fast``, which deselects the tests marked ``trains``) Keras,
TensorFlow and JAX cannot be imported, here or in the processes tests start: a test that trains or loads
Keras unmarked fails at once with a line saying to mark it, instead of making the fast suite slow."""
from __future__ import annotations

import ast
import importlib.util
import os
import sys
from pathlib import Path

NO_KERAS = os.environ.get("NN_ANIMATE_TESTS_NO_KERAS") == "1"
_NO_KERAS_FOLDER = Path(__file__).resolve().with_name("no_keras")
if NO_KERAS:  # before anything below imports what it imports
    _spec = importlib.util.spec_from_file_location("nn_animate_tests_no_keras", _NO_KERAS_FOLDER / "sitecustomize.py")
    _no_keras = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_no_keras)  # installs its finder: NN_ANIMATE_TESTS_NO_KERAS is 1
    _loaded = sorted({name.partition(".")[0] for name in sys.modules} & set(_no_keras.BLOCKED))
    assert not _loaded, f"NN_ANIMATE_TESTS_NO_KERAS=1, but {', '.join(_loaded)} was imported before tests/conftest.py"
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_NO_KERAS_FOLDER), os.environ.get("PYTHONPATH")]))

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from animate import Recording  # noqa: E402


def _marked_trains_as_a_whole(path: Path) -> bool:
    """Whether a test module's own top level sets ``pytestmark`` to (a list holding) ``pytest.mark.trains``,
    read from its source, not imported."""
    if not (path.name.startswith("test_") and path.suffix == ".py"):
        return False
    for node in ast.parse(path.read_bytes()).body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "pytestmark" for target in node.targets):
            marks = node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else [node.value]
            return any(ast.unparse(mark) == "pytest.mark.trains" for mark in marks)
    return False


def pytest_ignore_collect(collection_path: Path, config):
    """Under NN_ANIMATE_TESTS_NO_KERAS=1 a module marked ``trains`` as a whole is not even imported: all its
    tests would be deselected, and many import Keras at their top."""
    if NO_KERAS and _marked_trains_as_a_whole(collection_path):
        return True
    return None


def _refusal_is_a_failure(report):
    """Before pytest 9.1 ``pytest.importorskip("keras")`` skipped on any ImportError: the refusal must not pass
    as a skip."""
    if NO_KERAS and report.skipped and _no_keras.MESSAGE in str(report.longrepr):
        report.outcome, report.longrepr = "failed", str(report.longrepr)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    return _refusal_is_a_failure((yield))


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    return _refusal_is_a_failure((yield))


def synthetic_recording(frames: int = 30, runs: int = 2, grid_points: int = 50, weights: int | None = 2) -> Recording:
    """Runs whose prediction slides from 0 towards x**2 while the loss falls: a plausible training."""
    grid = np.linspace(-1, 1, grid_points)[:, None]
    steps = np.arange(frames) * 10
    progress = np.linspace(0, 1, frames)
    predictions = np.stack([
        np.stack([(p * (r + 1) / runs) * grid**2 for p in progress]) for r in range(runs)
    ])
    loss = np.stack([np.geomspace(1.0, 0.01 * (r + 1), frames) for r in range(runs)])
    x_train = np.linspace(-1, 1, 20)[:, None]
    recording_weights = None
    if weights:
        recording_weights = np.stack([np.outer(progress, np.arange(1, weights + 1)) * (r + 1) for r in range(runs)])
    return Recording(
        runs=tuple(f"run {r}" for r in range(runs)),
        steps=steps,
        grid=grid,
        predictions=predictions,
        loss=loss,
        meta={"lesson": "synthetic", "message": "A synthetic recording for tests."},
        weights=recording_weights,
        x_train=x_train,
        y_train=x_train**2,
        target=grid**2,
    )


@pytest.fixture
def recording() -> Recording:
    return synthetic_recording()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def assert_fast_drawing_matches_plain(recording: Recording, **options) -> None:
    """Frames drawn with every fast-drawing trick this matplotlib passed and frames drawn by matplotlib
    alone (the fallback) are the same picture to a few shades: the first, a middle and the last frame,
    each twice (the second time from the tricks' caches). Maps with sharp edges differ most (up to
    ~8 of 255 in a column at their left edge); a misplaced text, sprite or image differs by a hundred."""
    from animate.render import AnimatedFigure, FigureOptions

    fast = AnimatedFigure(recording, FigureOptions(**options))
    plain = AnimatedFigure(recording, FigureOptions(**options), fast=False)
    assert not plain.drawing.tricks and all(drawer in plain.animated for drawer in plain.drawers)
    last = len(recording.steps) - 1
    for index in (0, last // 2, last) * 2:
        difference = np.abs(fast.frame(index).astype(int) - plain.frame(index).astype(int)).max(axis=-1)
        assert difference.max() <= 12, (index, difference.max())
        assert np.count_nonzero(difference > 2) < 0.05 * difference.size, index
        assert difference.mean() < 0.5, index


def assert_texts_apart(recording: Recording, *, theme: str = "light", points: float = 16) -> None:
    """Under a style of ``points``-point serif text, no two texts of the first and last frames meet
    (nor run off the frame or out of their axes), by their window extents."""
    from animate.render import AnimatedFigure, FigureOptions
    from animate.render.room import overlapping_texts

    figure = AnimatedFigure(recording, FigureOptions(theme=theme, style={"font.size": points, "font.family": "serif"}))
    for index in (0, len(recording.steps) - 1):
        figure.frame(index)
        found = overlapping_texts(figure.figure, figure.canvas.get_renderer())
        assert not found, [(a.get_text(), b.get_text() if b is not None else "(off its frame or axes)") for a, b in found]
