"""The overfitting lesson: the validation loss turns up while the training loss keeps falling."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.trains
pytest.importorskip("keras")

import scenarios  # noqa: E402
from animate.render import AnimatedFigure  # noqa: E402
from animate.render.panels import LossPanel  # noqa: E402
from animate.train import train  # noqa: E402
from tests.conftest import assert_fast_drawing_matches_plain, assert_texts_apart  # noqa: E402


@pytest.fixture(scope="module")
def recording():
    return train(scenarios.get("overfitting"), {"every": 20})


def test_validation_turns_up_while_training_keeps_falling(recording):
    steps, loss, val_loss = recording.steps, recording.loss[0], recording.val_loss[0]
    best = int(np.argmin(val_loss))
    assert steps[best] < 0.5 * steps[-1]  # the validation minimum comes well before the end
    assert val_loss[-1] > 1.4 * val_loss[best]  # ...and it turned up clearly after it
    assert loss[-1] < 0.6 * loss[best]  # while the training loss kept falling
    half = len(steps) // 2
    assert loss[-1] < loss[half]  # and is still falling in the second half
    assert np.all(np.isfinite(val_loss))


def test_the_loss_panel_names_the_step_to_stop_at(recording):
    figure = AnimatedFigure(recording)
    [panel] = [panel for panel in figure.panels if isinstance(panel, LossPanel)]
    best_step = int(recording.steps[int(np.argmin(recording.val_loss[0]))])
    note = panel.validation.note
    assert f"step {best_step:,}" in note.get_text()
    figure.frame(0)
    assert not note.get_visible()  # said only once the animation gets there
    figure.frame(len(recording.steps) - 1)
    assert note.get_visible()


def test_fast_drawing_matches_plain(recording):
    assert_fast_drawing_matches_plain(recording)


def test_texts_stay_apart_at_16_points(recording):
    assert_texts_apart(recording)
