"""What a user's training does beyond one plain fit: validation, a learning-rate schedule, a second fit."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.trains
keras = pytest.importorskip("keras")

from animate import PredictionRecorder, Recording, RecordingError, render  # noqa: E402


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    x = rng.uniform(-2, 2, (48, 1)).astype("float32")
    x_val = rng.uniform(-2, 2, (20, 1)).astype("float32")
    return x, np.sin(2 * x), x_val, np.sin(2 * x_val), np.linspace(-3, 3, 40)[:, None]


def _model(learning_rate=0.02, loss="mse", activation=None) -> keras.Model:
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(16, activation="tanh"),
                              keras.layers.Dense(1, activation=activation)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss, metrics=["accuracy"] if activation else [])
    return model


def test_validation_loss_is_the_whole_validation_sets(data, tmp_path):
    x, y, x_val, y_val, grid = data
    model = _model()
    recorder = PredictionRecorder(grid, every=3, x=x, y=y, validation=(x_val, y_val))
    model.fit(x, y, epochs=4, batch_size=16, callbacks=[recorder], verbose=0)
    recording = recorder.recording
    assert recording.val_loss.shape == recording.loss.shape
    assert recording.val_loss[0, -1] == pytest.approx(model.evaluate(x_val, y_val, batch_size=len(x_val), verbose=0),
                                                      rel=1e-5)
    assert not np.allclose(recording.val_loss, recording.loss)  # another set, another loss
    np.testing.assert_allclose(recording.x_val, x_val)
    loaded = Recording.load(recording.save(tmp_path / "v.npz"))
    np.testing.assert_array_equal(loaded.val_loss, recording.val_loss)
    [poster] = render(loaded, tmp_path / "v.png")
    assert poster.stat().st_size > 0


def test_a_classifiers_validation_accuracy(data):
    x, _, x_val, _, grid = data
    y, y_val = (x > 0).astype("float32"), (x_val > 0).astype("float32")
    model = _model(loss="binary_crossentropy", activation="sigmoid")
    recorder = PredictionRecorder(grid, every=3, x=x, y=y, validation=(x_val, y_val))
    model.fit(x, y, epochs=4, batch_size=16, callbacks=[recorder], verbose=0)
    _, accuracy = model.evaluate(x_val, y_val, batch_size=len(x_val), verbose=0)
    assert recorder.recording.val_accuracy[0, -1] == pytest.approx(accuracy)


@pytest.mark.parametrize("validation, message", [
    (([[1.0, 2.0]], [[0.0]]), "the grid has 1 input feature"),
    ((np.zeros((5, 1)), np.zeros((4, 1))), "5 inputs and 4 targets"),
    ((np.zeros((5, 1)),), "a pair"),
])
def test_bad_validation_data_is_refused_in_one_line(data, validation, message):
    with pytest.raises(RecordingError, match=message):
        PredictionRecorder(data[4], validation=validation)


def test_the_learning_rate_follows_its_schedule(data):
    x, y, _, _, grid = data
    schedule = keras.optimizers.schedules.ExponentialDecay(0.05, decay_steps=3, decay_rate=0.5)
    model = _model(learning_rate=schedule)
    recorder = PredictionRecorder(grid, every=3, x=x, y=y)
    model.fit(x, y, epochs=3, batch_size=16, callbacks=[recorder], verbose=0)  # 9 steps
    recording = recorder.recording
    np.testing.assert_allclose(recording.learning_rate[0], [0.05 * 0.5 ** (step / 3) for step in recording.steps],
                               rtol=1e-5)
    assert "Adam, lr 0.05 → 0.00625" in recording.meta["runs"][0]["summary"]  # the title says it cooled


def test_a_learning_rate_changed_by_a_callback_is_recorded(data):
    x, y, _, _, grid = data

    class Halve(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model.optimizer.learning_rate.assign(self.model.optimizer.learning_rate * 0.5)

    model = _model(learning_rate=0.04)
    recorder = PredictionRecorder(grid, every=1, x=x, y=y)
    model.fit(x, y, epochs=3, batch_size=16, callbacks=[Halve(), recorder], verbose=0)  # 3 steps an epoch
    rates = dict(zip(recorder.recording.steps.tolist(), recorder.recording.learning_rate[0], strict=True))
    assert rates[0] == pytest.approx(0.04) and rates[4] == pytest.approx(0.02) and rates[7] == pytest.approx(0.01)
    assert recorder.recording.meta["runs"][0]["final_learning_rate"] == pytest.approx(0.005)


def test_a_second_fit_runs_on_in_one_recording(data):
    x, y, _, _, grid = data
    model = _model()
    recorder = PredictionRecorder(grid, every=4, x=x, y=y)
    model.fit(x, y, epochs=2, batch_size=16, callbacks=[recorder], verbose=0)  # steps 0..6
    model.fit(x, y, initial_epoch=2, epochs=4, batch_size=16, callbacks=[recorder], verbose=0)  # 6..12
    recording = recorder.recording
    np.testing.assert_array_equal(recording.steps, [0, 4, 6, 8, 12])
    np.testing.assert_allclose(recording.predictions[0, -1], model.predict(grid, verbose=0), rtol=1e-5, atol=1e-6)
    assert recording.loss[0, -1] == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-5)


def test_a_model_that_trained_before_starts_at_its_true_step(data):
    x, y, _, _, grid = data
    model = _model()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)  # 3 steps, no recorder
    recorder = PredictionRecorder(grid, every=2, x=x, y=y)
    model.fit(x, y, epochs=1, batch_size=16, callbacks=[recorder], verbose=0)
    np.testing.assert_array_equal(recorder.recording.steps, [3, 4, 6])


def test_recordings_saved_in_parts_are_joined_in_order(data, tmp_path):
    x, y, _, _, grid = data
    model = _model()
    first, second = PredictionRecorder(grid, every=3, x=x, y=y), PredictionRecorder(grid, every=3, x=x, y=y)
    model.fit(x, y, epochs=2, batch_size=16, callbacks=[first], verbose=0)
    model.fit(x, y, epochs=2, batch_size=16, callbacks=[second], verbose=0)
    joined = Recording.concat([first.recording, second.recording])
    np.testing.assert_array_equal(joined.steps, [0, 3, 6, 9, 12])
    np.testing.assert_array_equal(joined.predictions[0, -1], second.recording.predictions[0, -1])
    with pytest.raises(RecordingError, match="same runs"):
        Recording.concat([first.recording, Recording(runs=("other",), steps=[0], grid=grid,
                                                     predictions=np.zeros((1, 1, len(grid), 1)), loss=[[1.0]])])


def test_a_weighted_loss_is_the_one_the_optimizer_minimised(data):
    x, y, _, _, grid = data
    weights = np.where(x[:, 0] > 0, 3.0, 1.0)
    model = _model()
    recorder = PredictionRecorder(grid, every=3, x=x, y=y, sample_weight=weights)
    model.fit(x, y, sample_weight=weights, epochs=2, batch_size=16, callbacks=[recorder], verbose=0)
    weighted = model.evaluate(x, y, sample_weight=weights, batch_size=len(x), verbose=0)
    assert recorder.recording.loss[0, -1] == pytest.approx(weighted, rel=1e-5)
    assert recorder.recording.loss[0, -1] != pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-3)
    assert recorder.recording.meta["runs"][0]["weighted"] is True


def test_class_weights_weigh_each_class(data):
    x, _, _, _, grid = data
    y = (x > 0.5).astype("float32")
    model = _model(loss="binary_crossentropy", activation="sigmoid")
    recorder = PredictionRecorder(grid, every=3, x=x, y=y, class_weight={0: 1.0, 1: 4.0})
    model.fit(x, y, class_weight={0: 1.0, 1: 4.0}, epochs=2, batch_size=16, callbacks=[recorder], verbose=0)
    weights = np.where(y[:, 0] == 1, 4.0, 1.0)
    weighted, _ = model.evaluate(x, y, sample_weight=weights, batch_size=len(x), verbose=0)
    assert recorder.recording.loss[0, -1] == pytest.approx(weighted, rel=1e-5)


@pytest.mark.parametrize("options, message", [
    ({"sample_weight": np.ones(3)}, "3 weights for 48 training points"),
    ({"class_weight": {0: 1.0}}, "no weight for class 1"),
])
def test_bad_weights_are_refused_in_one_line(data, options, message):
    x, _, _, _, grid = data
    with pytest.raises(RecordingError, match=message):
        PredictionRecorder(grid, x=x, y=(x > 0).astype("float32"), **options)
