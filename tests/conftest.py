"""Shared fixtures. Recordings made here use NumPy only, as a user writing their own would."""
from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from animate import Recording


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
