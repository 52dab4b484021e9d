"""The classifier lesson: recorded on a 2-D grid, its boundary takes shape and accuracy ends near 0.79."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.trains
pytest.importorskip("keras")

import scenarios  # noqa: E402
from animate import render  # noqa: E402
from animate.train import train  # noqa: E402
from tests.conftest import assert_fast_drawing_matches_plain, assert_texts_apart  # noqa: E402


@pytest.fixture(scope="module")
def recording():
    return train(scenarios.get("classifier"))  # the lesson's own 10 epochs: a few seconds


def test_recorded_on_a_two_dimensional_grid_of_class_probabilities(recording):
    assert recording.grid.shape[1] == 3 and np.all(recording.grid[:, 2] == 0)  # age held at 0
    assert len(np.unique(recording.grid[:, 0])) * len(np.unique(recording.grid[:, 1])) == len(recording.grid)
    probabilities = recording.predictions[0]
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-5)


def test_final_accuracy_is_near_the_tutorials(recording):
    assert 0.7 <= recording.accuracy[0, -1] <= 0.85
    assert recording.accuracy[0, -1] > recording.accuracy[0, 0] + 0.1


def test_boundary_separates_heavy_tall_people_from_light_short_ones(recording):
    grid = recording.grid
    p_man = recording.predictions[0, -1, :, 1]
    heavy_tall = (grid[:, 0] > 1.5) & (grid[:, 1] > 1.5)
    light_short = (grid[:, 0] < -1.5) & (grid[:, 1] < -1.5)
    assert p_man[heavy_tall].min() > 0.5 > p_man[light_short].max()


def test_renders_a_map_with_the_boundary(recording, tmp_path):
    [path] = render(recording, tmp_path / "classifier.png")
    assert path.stat().st_size > 10_000


def test_fast_drawing_and_plain_matplotlib_draw_the_same_frames(recording):
    assert_fast_drawing_matches_plain(recording)


def test_no_two_texts_meet_under_a_16_point_style(recording):
    # One theme a lesson, the lessons alternating (tests/test_style.py checks both on every picture kind).
    assert_texts_apart(recording, theme="dark", points=16)
