"""The trainer's compiled step loop against the slow reference, ``model.fit`` on the same batches."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.trains
pytest.importorskip("keras")

import scenarios  # noqa: E402
from animate.step_loop import BLOCK, BatchStream  # noqa: E402
from animate.train import train  # noqa: E402


def test_batch_stream_shows_every_point_once_per_epoch_in_full_batches():
    stream = BatchStream(points=10, batch_size=4, seed=0)
    rows = stream.take(5)  # 20 indices: two whole epochs, batches straddling their boundaries
    assert rows.shape == (5, 4)
    flat = rows.ravel()
    assert sorted(flat[:10]) == list(range(10)) and sorted(flat[10:]) == list(range(10))
    assert not np.array_equal(flat[:10], flat[10:])  # reshuffled every epoch


def test_batch_stream_is_the_same_taken_in_any_pieces():
    whole = BatchStream(points=7, batch_size=3, seed=5).take(12)
    pieces = BatchStream(points=7, batch_size=3, seed=5)
    np.testing.assert_array_equal(np.concatenate([pieces.take(count) for count in (1, 4, 2, 5)]), whole)
    assert BatchStream(points=7, batch_size=50, seed=0).take(1).shape == (1, 7)  # as fit: at most the data


@pytest.mark.parametrize("lesson, params", [
    ("dying_relu", {"steps": 300, "every": 20}),
    # log frames: gaps of 1 to ~40 steps; 330 steps also cross a BLOCK boundary between two frames
    ("local_optimum", {"steps": 330, "every": 10}),
])
def test_compiled_loop_records_what_fit_records(lesson, params):
    """XLA fuses the step differently from Keras's graph, so floats agree to rounding, not bit for bit."""
    assert params["steps"] > BLOCK
    fast = train(scenarios.get(lesson), params)
    slow = train(scenarios.get(lesson), params, fast=False)
    np.testing.assert_array_equal(fast.steps, slow.steps)
    np.testing.assert_allclose(fast.predictions, slow.predictions, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(fast.loss, slow.loss, rtol=1e-4)
    np.testing.assert_allclose(fast.weights, slow.weights, rtol=1e-4, atol=1e-5)


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


def test_each_run_is_described_from_its_model_with_the_lessons_own_fields_kept():
    recording = train(scenarios.get("dying_relu"), {"steps": 20, "every": 10})
    live = recording.meta["runs"][recording.runs.index("live neuron")]
    # Read from the model by the recorder ...
    assert live["summary"] == "1 → 1 relu · SGD 0.01 · MSE"
    assert (live["architecture"], live["task"], live["outputs"], live["backend"]) == ("1 → 1 relu", "regression", 1,
                                                                                       "tensorflow")
    # ... and what the lesson says of the run wins where both speak.
    assert live["name"] == "live neuron" and live["loss"] == "mse" and live["batch_size"] == 10
    assert live["initial_w"] == pytest.approx(recording.weights[recording.runs.index("live neuron"), 0, 0])
