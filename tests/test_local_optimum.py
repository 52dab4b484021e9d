"""The local-optimum lesson shows its effect: 1x60 + SGD stalls on a plateau, Adam reaches the noise level.

The effect tests train once, for the first 10,000 of the lesson's 20,000 steps: the data order
depends only on the seed, so this is the lesson's own training cut short, and it already shows
the plateau (1x60 SGD loss 0.388 at step 2,000, 0.339 at 10,000) and Adam near the noise (0.015).
The trainer runs the steps in a compiled loop (tests/test_train.py checks it against ``fit``).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

pytestmark = pytest.mark.trains
pytest.importorskip("keras")

import scenarios  # noqa: E402
from animate.train import train  # noqa: E402
from scenarios.local_optimum import dead_units  # noqa: E402
from tests.conftest import assert_fast_drawing_matches_plain, assert_texts_apart  # noqa: E402

RUNS = ("1x60, SGD", "2x10, SGD", "1x60, Adam", "2x10, Adam")
STEPS = 10_000
SHORT = {"steps": STEPS, "frames": "linear", "every": 1000}  # frames at 0, 1,000, ...
NOISE_VARIANCE = 0.1**2


def train_keeping_models(params):
    """The lesson's training, keeping each run's model (the trainer trains it in place) to look inside."""
    lesson = scenarios.get("local_optimum")
    models = {}

    def keep(run):
        def build():
            models[run.name] = run.build()
            return models[run.name]
        return dataclasses.replace(run, build=build)

    kept = dataclasses.replace(lesson, make_runs=lambda p, data: [keep(run) for run in lesson.make_runs(p, data)])
    return train(kept, params), models


@pytest.fixture(scope="module")
def recording():
    return train(scenarios.get("local_optimum"), SHORT)


@pytest.fixture(scope="module")
def first_steps():
    """Every one of the first 20 steps, each a frame as in the lesson's animation."""
    return train_keeping_models({"steps": 20, "every": 1, "frames": "linear"})


def final_loss(recording, run: str) -> float:
    return float(recording.loss[recording.runs.index(run), -1])


def loss_at_step(recording, run: str, step: int) -> float:
    frame = int(np.flatnonzero(recording.steps == step)[0])
    return float(recording.loss[recording.runs.index(run), frame])


def test_one_hidden_layer_with_sgd_stalls_on_a_plateau(recording):
    """Over the last 80% of training 1x60 + SGD loses less than 25% of its loss, far above the noise."""
    at_20_percent = loss_at_step(recording, "1x60, SGD", STEPS // 5)
    assert final_loss(recording, "1x60, SGD") / at_20_percent > 0.75
    assert final_loss(recording, "1x60, SGD") > 10 * NOISE_VARIANCE


def test_adam_keeps_going_to_the_noise_level(recording):
    """The better Adam net ends 3x below 1x60 + SGD, within 2x of the noise variance σ² = 0.01."""
    best_adam = min(final_loss(recording, "1x60, Adam"), final_loss(recording, "2x10, Adam"))
    assert best_adam * 3 <= final_loss(recording, "1x60, SGD")
    assert best_adam < 2 * NOISE_VARIANCE


def test_both_adam_runs_beat_both_sgd_runs_whatever_the_layers(recording):
    """The optimizer matters more than the layer count (on seed 0; the caption says it is one seed)."""
    worst_adam = max(final_loss(recording, "1x60, Adam"), final_loss(recording, "2x10, Adam"))
    best_sgd = min(final_loss(recording, "1x60, SGD"), final_loss(recording, "2x10, SGD"))
    assert worst_adam < best_sgd


def test_sgd_overshoots_early_and_kills_most_relus_as_the_note_says(first_steps):
    """The on-screen note: steps 2-3 send 1x60 SGD's loss past 1,000 and leave 49 of 60 ReLUs dead."""
    recording, models = first_steps
    sgd, adam = recording.runs.index("1x60, SGD"), recording.runs.index("1x60, Adam")
    assert recording.loss[sgd, 2:4].max() > 1000 * recording.loss[sgd, 0]
    assert recording.loss[adam, 1:].max() < recording.loss[adam, 0]  # same start, no spike
    x = recording.x_train
    assert dead_units(models["1x60, SGD"], x) == 49
    assert dead_units(models["1x60, Adam"], x) < 25


def test_runs_share_frames_and_are_described(recording):
    assert recording.runs == RUNS
    assert recording.steps[0] == 0 and recording.steps[-1] == STEPS
    meta = recording.meta
    assert meta["seed"] == 0 and meta["view"]["layout"] == "overlay" and meta["view"]["xlabel"] == "x / π"
    described = {run["name"]: run for run in meta["runs"]}
    assert described["1x60, SGD"]["learning_rate"] == 0.01 and described["2x10, Adam"]["optimizer"] == "Adam"
    assert described["2x10, SGD"]["hidden_layers"] == [10, 10]


def test_data_is_the_same_noisy_sine_for_every_model_seed():
    scenario = scenarios.get("local_optimum")
    first, other = (scenario.make_data(scenario.resolve({"seed": seed})) for seed in (9, 3))
    np.testing.assert_array_equal(first.y, other.y)
    assert first.x.min() == 0 and first.x.max() == pytest.approx(3)  # the net sees x / π
    residual = first.y[:, 0] - np.sin(np.pi * first.x[:, 0])
    assert 0.05 < residual.std() < 0.15


def test_fast_drawing_and_plain_matplotlib_draw_the_same_frames(recording):
    assert_fast_drawing_matches_plain(recording)


def test_no_two_texts_meet_under_a_16_point_style(recording):
    # One theme a lesson, the lessons alternating (tests/test_style.py checks both on every picture kind).
    assert_texts_apart(recording, theme="light", points=16)
