"""The local-optimum lesson shows its effect: 1x60 + SGD stalls on a plateau, Adam reaches the noise level.

Trained once for the module at the lesson's defaults (seed 9, 20,000 steps: the Adam runs only
leave their own plateau after ~6,000 steps, so a much shorter training would not show the story),
but with fewer frames and Keras executions of 10 steps, which leave every step's weights unchanged
(checked below on a short training) and make the module take ~30 s instead of ~90 s.
"""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("keras")

import scenarios  # noqa: E402
from animate.errors import ScenarioError  # noqa: E402
from animate.train import train  # noqa: E402

RUNS = ("1x60, SGD", "2x10, SGD", "1x60, Adam", "2x10, Adam")
FAST = {"steps_per_execution": 10, "frames": "linear", "every": 1000}  # frames at 0, 1,000, ..., 20,000
NOISE_VARIANCE = 0.1**2


@pytest.fixture(scope="module")
def recording():
    return train(scenarios.get("local_optimum"), FAST)


def final_loss(recording, run: str) -> float:
    return float(recording.loss[recording.runs.index(run), -1])


def loss_at_step(recording, run: str, step: int) -> float:
    frame = int(np.flatnonzero(recording.steps == step)[0])
    return float(recording.loss[recording.runs.index(run), frame])


def test_one_hidden_layer_with_sgd_stalls_on_a_plateau(recording):
    """Over the last 80% of training (steps 4,000 to 20,000) 1x60 + SGD loses less than 25% of its loss."""
    at_20_percent = loss_at_step(recording, "1x60, SGD", 4_000)
    assert final_loss(recording, "1x60, SGD") / at_20_percent > 0.75
    assert final_loss(recording, "1x60, SGD") > 10 * NOISE_VARIANCE  # stuck well above the noise


def test_adam_keeps_going_to_the_noise_level(recording):
    """The better Adam net ends 3x below 1x60 + SGD, within 2x of the noise variance σ² = 0.01."""
    best_adam = min(final_loss(recording, "1x60, Adam"), final_loss(recording, "2x10, Adam"))
    assert best_adam * 3 <= final_loss(recording, "1x60, SGD")
    assert best_adam < 2 * NOISE_VARIANCE


def test_both_adam_runs_beat_both_sgd_runs_whatever_the_layers(recording):
    """The optimizer matters more than the layer count (seed 9; not every seed, see the caption)."""
    worst_adam = max(final_loss(recording, "1x60, Adam"), final_loss(recording, "2x10, Adam"))
    best_sgd = min(final_loss(recording, "1x60, SGD"), final_loss(recording, "2x10, SGD"))
    assert worst_adam < best_sgd


def test_runs_share_frames_and_are_described(recording):
    assert recording.runs == RUNS
    assert recording.steps[0] == 0 and recording.steps[-1] == 20_000
    meta = recording.meta
    assert meta["seed"] == 9 and meta["view"]["layout"] == "overlay" and meta["view"]["xlabel"] == "x / π"
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


def test_larger_executions_change_frames_but_not_training():
    """steps_per_execution only decides when Keras calls the recorder, so the FAST test is the lesson's."""
    short = {"steps": 200, "every": 20, "frames": "linear"}
    plain = train(scenarios.get("local_optimum"), short)
    grouped = train(scenarios.get("local_optimum"), {**short, "steps_per_execution": 10})
    np.testing.assert_array_equal(plain.steps, grouped.steps)
    np.testing.assert_array_equal(plain.loss, grouped.loss)


def test_steps_per_execution_must_divide_the_steps():
    with pytest.raises(ScenarioError, match="must divide steps"):
        train(scenarios.get("local_optimum"), {"steps": 100, "steps_per_execution": 7})
