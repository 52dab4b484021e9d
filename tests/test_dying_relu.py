"""The dying-ReLU lesson shows its effect: the dead neuron never moves, the live one learns the kink."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.trains
pytest.importorskip("keras")

import scenarios  # noqa: E402
from animate.train import train  # noqa: E402
from tests.conftest import assert_fast_drawing_matches_plain, assert_texts_apart  # noqa: E402

SHORT = {"steps": 1500, "every": 50}  # the effect is complete well before the default 3,000 steps


@pytest.fixture(scope="module")
def recording():
    return train(scenarios.get("dying_relu"), SHORT)


def test_dead_neuron_never_moves(recording):
    dead = recording.runs.index("dead neuron")
    np.testing.assert_array_equal(recording.weights[dead, 0], recording.weights[dead, -1])
    np.testing.assert_array_equal(recording.predictions[dead, 0], recording.predictions[dead, -1])
    assert np.all(recording.predictions[dead] == 0)  # ReLU of a negative pre-activation, everywhere


def test_dead_neuron_starts_negative_on_every_training_point(recording):
    dead = recording.runs.index("dead neuron")
    w, b = recording.weights[dead, 0]
    assert np.all(w * recording.x_train[:, 0] + b < 0)


def test_live_neuron_loss_falls_at_least_tenfold_and_finds_the_kink(recording):
    live = recording.runs.index("live neuron")
    assert recording.loss[live, -1] <= recording.loss[live, 0] / 10
    w, b = recording.weights[live, -1]
    assert w == pytest.approx(2.0, abs=0.3) and -b / w == pytest.approx(1.0, abs=0.15)  # heading to relu(2(x - 1))


def test_recording_meta_describes_the_lesson(recording):
    meta = recording.meta
    assert meta["lesson"] == "dying_relu" and meta["message"]
    assert meta["params"]["steps"] == 1500 and meta["seed"] == 0
    assert {run["name"] for run in meta["runs"]} == {"live neuron", "dead neuron"}
    assert all(run["learning_rate"] == 0.01 and run["optimizer"] == "SGD" for run in meta["runs"])
    assert {"nn-animate", "keras", "tensorflow", "numpy"} <= set(meta["versions"])
    np.testing.assert_array_equal(recording.steps[:3], [0, 50, 100])
    assert recording.steps[-1] == 1500


def test_same_seed_same_recording(recording, tmp_path):
    again = train(scenarios.get("dying_relu"), SHORT)
    assert recording.save(tmp_path / "a.npz").read_bytes() == again.save(tmp_path / "b.npz").read_bytes()


def test_loss_surface_is_flat_wherever_the_neuron_is_dead(recording):
    """The landscape panel's point: where w·x + b < 0 on all data, the loss is the same everywhere."""
    w, b = np.meshgrid(recording.landscape_w, recording.landscape_b)
    dead = (b < 0) & (3 * w + b < 0)
    assert dead.sum() > 20
    flat = recording.landscape[dead]
    np.testing.assert_allclose(flat, np.mean(recording.y_train ** 2), rtol=1e-5)
    assert recording.landscape[~dead].min() < flat.min() / 10  # elsewhere it falls towards the best fit


def test_fast_drawing_and_plain_matplotlib_draw_the_same_frames(recording):
    assert_fast_drawing_matches_plain(recording)


def test_no_two_texts_meet_under_a_16_point_style(recording):
    # One theme a lesson, the lessons alternating (tests/test_style.py checks both on every picture kind).
    assert_texts_apart(recording, theme="light", points=16)


def test_the_poster_is_the_same_bytes_whatever_else_is_written(recording, tmp_path):
    """The dead neuron's readout holds still, so later frames draw it from a cached image (to a shade):
    the poster is drawn afresh, and `--out x.png` and `--format gif,png` give the same PNG."""
    from animate import render

    alone = render(recording, tmp_path / "alone.png")[0]
    together = [path for path in render(recording, tmp_path / "both", formats=("gif", "png")) if path.suffix == ".png"]
    assert alone.read_bytes() == together[0].read_bytes()
