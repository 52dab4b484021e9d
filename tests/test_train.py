"""The trainer's fast path (many steps per Keras call between frames) against the slow reference."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("keras")

import scenarios  # noqa: E402
from animate.schedule import frame_steps  # noqa: E402
from animate.train import execution_plan, train  # noqa: E402


def test_plan_runs_whole_frame_gaps_per_call():
    assert execution_plan(frame_steps(3000, 15)) == [(0, 3000, 15)]
    assert execution_plan(frame_steps(20_000, 64, "log")) == [(0, 200, 1), (200, 2000, 10), (2000, 20_000, 100)]
    assert execution_plan(frame_steps(1005, 10)) == [(0, 200, 10), (200, 1005, 5)]
    assert execution_plan(frame_steps(3000, 15), fast=False) == [(0, 3000, 1)]


@pytest.mark.parametrize("lesson, params", [
    ("dying_relu", {"steps": 600, "every": 20}),
    ("local_optimum", {"steps": 2400, "every": 40}),  # log frames: three segments of 1, 10 and 100 steps per call
])
def test_fast_path_records_exactly_what_one_step_per_call_records(lesson, params):
    fast = train(scenarios.get(lesson), params)
    slow = train(scenarios.get(lesson), params, fast=False)
    np.testing.assert_array_equal(fast.steps, slow.steps)
    np.testing.assert_array_equal(fast.predictions, slow.predictions)
    np.testing.assert_array_equal(fast.loss, slow.loss)
    if fast.weights is not None:
        np.testing.assert_array_equal(fast.weights, slow.weights)


def test_recorded_predictions_match_model_predict():
    """The recorder's compiled forward pass gives what model.predict gives (the slow way)."""
    lesson = scenarios.get("dying_relu")
    recording = train(lesson, {"steps": 100, "every": 50})
    import keras

    live = recording.runs.index("live neuron")
    w, b = recording.weights[live, -1]
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="relu")])
    model.layers[0].set_weights([np.array([[w]], "float32"), np.array([b], "float32")])
    np.testing.assert_allclose(recording.predictions[live, -1], model.predict(recording.grid, verbose=0),
                               rtol=1e-6, atol=1e-6)
