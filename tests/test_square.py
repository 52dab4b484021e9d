"""The y = x² lesson: a close fit inside the training range, straight lines (constant slope) outside it."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.trains
pytest.importorskip("keras")

import scenarios  # noqa: E402
from animate.train import train  # noqa: E402
from tests.conftest import assert_fast_drawing_matches_plain, assert_texts_apart  # noqa: E402


@pytest.fixture(scope="module")
def recording():
    # Fewer points and steps than the lesson: the 10- and 50-unit nets fit well within this budget.
    return train(scenarios.get("square"), {"steps": 1500, "every": 50})


def test_grid_reaches_beyond_the_shaded_training_range(recording):
    assert recording.grid[:, 0].min() == -10 and recording.grid[:, 0].max() == 10
    assert recording.meta["view"]["shade"] == [-5.0, 5.0]
    assert np.abs(recording.x_train).max() <= 5


@pytest.mark.parametrize("run", ["10 hidden units", "50 hidden units"])
def test_inside_the_training_range_the_fit_is_close(recording, run):
    grid = recording.grid[:, 0]
    inside = np.abs(grid) <= 5
    prediction = recording.predictions[recording.runs.index(run), -1, :, 0]
    rmse = np.sqrt(np.mean((prediction[inside] - grid[inside] ** 2) ** 2))
    assert rmse < 0.8  # on a parabola that spans 0..25


@pytest.mark.parametrize("run", ["10 hidden units", "50 hidden units"])
def test_outside_the_training_range_the_prediction_is_a_straight_line(recording, run):
    grid = recording.grid[:, 0]
    prediction = recording.predictions[recording.runs.index(run), -1, :, 0]
    for side in (grid >= 7.5, grid <= -7.5):
        slopes = np.diff(prediction[side]) / np.diff(grid[side])
        assert np.ptp(slopes) < 1e-3 * max(1.0, np.abs(slopes).max())
    far = np.abs(grid) >= 9
    assert np.all(prediction[far] < grid[far] ** 2 - 5)  # the parabola leaves the straight lines behind


def test_three_units_fit_worse_than_ten(recording):
    """Fewer units, fewer linear pieces: the 3-unit net stays far from the parabola."""
    loss = dict(zip(recording.runs, recording.loss[:, -1]))
    assert loss["3 hidden units"] > 10 * loss["10 hidden units"]


def test_fast_drawing_and_plain_matplotlib_draw_the_same_frames(recording):
    assert_fast_drawing_matches_plain(recording)


def test_no_two_texts_meet_under_a_16_point_style(recording):
    # One theme a lesson, the lessons alternating (tests/test_style.py checks both on every picture kind).
    assert_texts_apart(recording, theme="dark", points=16)
