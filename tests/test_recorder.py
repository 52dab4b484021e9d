"""PredictionRecorder in a user's own Keras script (not one of our lessons)."""
from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from animate import PredictionRecorder, Recording, RecordingError, render  # noqa: E402


def _user_model(units: int = 8, steps_per_execution: int = 1) -> keras.Model:
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(units, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse", steps_per_execution=steps_per_execution)
    return model


@pytest.fixture(scope="module")
def data():
    x = np.linspace(-2, 2, 64)[:, None].astype("float32")
    return x, np.sin(2 * x), np.linspace(-3, 3, 40)[:, None]


def test_frames_count_optimizer_steps_from_the_untrained_to_the_trained_model(data, tmp_path):
    x, y, grid = data
    model = _user_model()
    untrained = model.predict(grid, verbose=0)
    recorder = PredictionRecorder(grid, every=5, x=x, y=y)
    model.fit(x, y, epochs=3, batch_size=16, callbacks=[recorder], verbose=0)  # 4 steps per epoch, 12 in all
    recording = recorder.recording
    np.testing.assert_array_equal(recording.steps, [0, 5, 10, 12])
    np.testing.assert_allclose(recording.predictions[0, 0], untrained, rtol=1e-6, atol=1e-6)
    # The fast path (one compiled pass) agrees with the slow reference, model.predict.
    np.testing.assert_allclose(recording.predictions[0, -1], model.predict(grid, verbose=0), rtol=1e-5, atol=1e-6)
    # The recorded loss is the whole-set MSE of the weights at that step, not Keras's running mean.
    whole_set_mse = float(np.mean((model.predict(x, verbose=0) - y) ** 2))
    assert recording.loss[0, -1] == pytest.approx(whole_set_mse, rel=1e-5)
    assert recording.loss[0, -1] == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-5)
    # The API of the README, end to end.
    recording.save(tmp_path / "run.npz")
    [gif] = render(Recording.load(tmp_path / "run.npz"), tmp_path / "run.gif")
    assert gif.stat().st_size > 0


def test_weights_are_recorded_for_tiny_nets_and_match_the_model(data):
    x, y, grid = data
    model = _user_model(units=4)
    recorder = PredictionRecorder(grid, every=4, x=x, y=y)
    model.fit(x, y, epochs=2, batch_size=16, callbacks=[recorder], verbose=0)
    weights = recorder.recording.weights
    assert weights.shape == (1, 3, model.count_params())
    flat = np.concatenate([w.numpy().ravel() for w in model.trainable_weights])
    np.testing.assert_allclose(weights[0, -1], flat)
    big = _user_model(units=200)
    recorder = PredictionRecorder(grid, every=4, x=x, y=y)
    big.fit(x, y, epochs=1, batch_size=16, callbacks=[recorder], verbose=0)
    assert recorder.recording.weights is None  # hundreds of weights per frame: off by default


def test_steps_per_execution_stores_true_steps(data):
    x, y, grid = data
    model = _user_model(steps_per_execution=3)
    recorder = PredictionRecorder(grid, every=2, x=x, y=y)
    model.fit(x, y, epochs=3, batch_size=16, callbacks=[recorder], verbose=0)  # 12 steps, called back every 3
    steps = recorder.recording.steps
    assert steps[0] == 0 and steps[-1] == 12
    assert set(steps) <= {0, 3, 4, 6, 7, 8, 9, 10, 11, 12}
    assert int(model.optimizer.iterations.numpy()) == 12


def test_explicit_steps_and_reuse_across_fits(data):
    x, y, grid = data
    model = _user_model()
    recorder = PredictionRecorder(grid, steps=[0, 1, 2, 7], x=x, y=y)
    model.fit(x, y, epochs=2, batch_size=16, callbacks=[recorder], verbose=0)
    np.testing.assert_array_equal(recorder.recording.steps, [0, 1, 2, 7, 8])
    model.fit(x, y, epochs=1, batch_size=16, callbacks=[recorder], verbose=0)  # counted from this fit
    np.testing.assert_array_equal(recorder.recording.steps, [0, 1, 2, 4])


def test_without_training_set_the_loss_is_nan(data):
    x, y, grid = data
    model = _user_model()
    recorder = PredictionRecorder(grid, every=4)
    model.fit(x, y, epochs=1, batch_size=16, callbacks=[recorder], verbose=0)
    assert np.all(np.isnan(recorder.recording.loss))


@pytest.mark.parametrize("kwargs, message", [
    ({"every": 0}, "every must be"),
    ({"every": 2.5}, "every must be"),
    ({"steps": [3, 1]}, "strictly increasing"),
    ({"x": np.zeros((3, 1))}, "both x and y"),
])
def test_bad_arguments_raise_clear_errors(kwargs, message):
    with pytest.raises(RecordingError, match=message):
        PredictionRecorder(np.zeros((5, 1)), **kwargs)


def test_recording_before_fit_is_an_error():
    with pytest.raises(RecordingError, match="nothing recorded yet"):
        PredictionRecorder(np.zeros((5, 1))).recording
