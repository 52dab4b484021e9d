"""The activations lesson: sigmoid learns slowest; tanh and ReLU get there several times sooner."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.trains
pytest.importorskip("keras")

import scenarios  # noqa: E402
from animate.train import train  # noqa: E402
from tests.conftest import assert_fast_drawing_matches_plain, assert_texts_apart  # noqa: E402

THRESHOLD = 0.05  # five times the noise variance: "has learned the shape"


@pytest.fixture(scope="module")
def recording():
    return train(scenarios.get("activations"), {"steps": 1500, "every": 15})  # half the lesson: the order shows by then


def steps_to_reach(recording, run: str, threshold: float = THRESHOLD) -> float:
    loss = recording.loss[recording.runs.index(run)]
    below = np.flatnonzero(loss < threshold)
    return float(recording.steps[below[0]]) if below.size else np.inf


def test_sigmoid_learns_slowest(recording):
    sigmoid, tanh, relu = (steps_to_reach(recording, name) for name in ("sigmoid", "tanh", "relu"))
    assert tanh < sigmoid / 2 and relu < sigmoid / 2


def test_every_activation_learns_without_diverging(recording):
    assert np.all(np.isfinite(recording.loss))
    assert np.all(recording.loss[:, -1] < recording.loss[:, 0] / 5)


def test_relu_fit_is_piecewise_linear(recording):
    """A ReLU net's second differences vanish except at a few kinks; tanh's curve bends everywhere."""
    grid = recording.grid[:, 0]

    def bent_fraction(run):
        prediction = recording.predictions[recording.runs.index(run), -1, :, 0].astype(float)
        curvature = np.abs(np.diff(prediction, 2)) / (grid[1] - grid[0]) ** 2
        return np.mean(curvature > 1e-2)

    assert bent_fraction("relu") < 0.15 < bent_fraction("tanh")


def test_fast_drawing_and_plain_matplotlib_draw_the_same_frames(recording):
    assert_fast_drawing_matches_plain(recording)


def test_no_two_texts_meet_under_a_16_point_style(recording):
    # One theme a lesson, the lessons alternating (tests/test_style.py checks both on every picture kind).
    assert_texts_apart(recording, theme="light", points=16)
