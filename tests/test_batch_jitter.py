"""The batch-jitter lesson: small batches make the whole-set loss rise at some steps; the full batch never."""
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
    return train(scenarios.get("batch_jitter"), {"steps": 150})  # jitter starts within tens of steps


def test_every_step_is_a_frame(recording):
    np.testing.assert_array_equal(recording.steps, np.arange(151))


def test_small_batch_loss_rises_at_some_steps_and_full_batch_never(recording):
    small, full = recording.loss
    assert np.sum(np.diff(small) > 0) >= 3
    assert np.all(np.diff(full) <= 0)


def test_both_runs_learn(recording):
    assert np.all(recording.loss[:, -1] < recording.loss[:, 0] / 10)


def test_small_batch_predictions_wobble(recording):
    """Between consecutive late frames the small batch's line moves both ways; the full batch's drifts one way."""
    late = recording.predictions[:, 75:, -1, 0]  # prediction at the grid's right end
    moves = np.sign(np.diff(late, axis=1))
    assert len(set(moves[0][moves[0] != 0])) == 2
    assert len(set(moves[1][moves[1] != 0])) == 1


def test_fast_drawing_and_plain_matplotlib_draw_the_same_frames(recording):
    assert_fast_drawing_matches_plain(recording)


def test_no_two_texts_meet_under_a_16_point_style(recording):
    # One theme a lesson, the lessons alternating (tests/test_style.py checks both on every picture kind).
    assert_texts_apart(recording, theme="dark", points=16)
