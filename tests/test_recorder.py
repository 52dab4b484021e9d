"""PredictionRecorder in a user's own Keras script (not one of our lessons)."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.trains
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
    model.fit(x, y, epochs=1, batch_size=16, callbacks=[recorder], verbose=0)  # the same model: it runs on
    np.testing.assert_array_equal(recorder.recording.steps, [0, 1, 2, 7, 8, 12])


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


# -- the model description in the recording's meta -------------------------------------------
def _fit_and_describe(model: keras.Model, x: np.ndarray, y: np.ndarray, grid: np.ndarray) -> tuple:
    recorder = PredictionRecorder(grid, every=4, x=x, y=y)
    model.fit(x, y, epochs=2, batch_size=16, callbacks=[recorder], verbose=0)
    recording = recorder.recording
    return recording, recording.meta["runs"][0]


def test_a_regression_is_described_as_architecture_optimizer_and_loss(data):
    x, y, grid = data
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(16, activation="tanh"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    recording, run = _fit_and_describe(model, x, y, grid)
    assert run["summary"] == "1 → 16 tanh → 1 · Adam 0.01 · MSE"
    assert run["architecture"] == "1 → 16 tanh → 1"
    assert (run["optimizer"], run["learning_rate"], run["loss"], run["loss_label"]) == (
        "Adam", 0.01, "mean_squared_error", "MSE")
    assert (run["task"], run["output_activation"], run["inputs"], run["outputs"]) == ("regression", "linear", 1, 1)
    assert run["from_logits"] is False and run["integer_labels"] is False
    assert run["backend"] == keras.backend.backend() and run["name"] == "run"
    assert recording.accuracy is None  # no classes, no accuracy


def test_a_binary_classifier_with_one_sigmoid_output_records_its_accuracy(data):
    x, _, grid = data
    labels = (x > 0.5).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    recording, run = _fit_and_describe(model, x, labels, grid)
    assert (run["task"], run["loss"], run["loss_label"]) == ("binary", "binary_crossentropy", "binary cross-entropy")
    assert run["architecture"] == "1 → 4 relu → 1 sigmoid" and run["output_activation"] == "sigmoid"
    assert recording.accuracy.shape == (1, len(recording.steps))
    expected = np.mean((model.predict(x, verbose=0) > 0.5) == (labels > 0.5))
    assert recording.accuracy[0, -1] == pytest.approx(expected)


def test_logits_are_recorded_and_classified_at_zero(data):
    x, _, grid = data
    labels = (x > -0.5).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    recording, run = _fit_and_describe(model, x, labels, grid)
    assert run["from_logits"] is True and run["task"] == "binary" and run["output_activation"] == "linear"
    expected = np.mean((model.predict(x, verbose=0) > 0) == (labels > 0.5))
    assert recording.accuracy[0, -1] == pytest.approx(expected)


def test_integer_labels_of_a_softmax_classifier(data):
    x, _, grid = data
    classes = np.digitize(x[:, 0], [-0.7, 0.7])  # 0, 1, 2 from left to right
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")
    recording, run = _fit_and_describe(model, x, classes, grid)
    assert (run["task"], run["integer_labels"], run["outputs"]) == ("multiclass", True, 3)
    assert run["summary"] == "1 → 8 relu → 3 softmax · Adam 0.05 · sparse categorical cross-entropy"
    assert recording.predictions.shape[-1] == 3
    expected = np.mean(model.predict(x, verbose=0).argmax(axis=-1) == classes)
    assert recording.accuracy[0, -1] == pytest.approx(expected)


def test_loss_objects_and_schedules_are_named(data):
    x, y, grid = data
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(4), keras.layers.Activation("relu"),
                              keras.layers.Dense(1)])
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.9)
    model.compile(optimizer=keras.optimizers.SGD(schedule), loss=keras.losses.Huber())
    _, run = _fit_and_describe(model, x, y, grid)
    assert (run["loss"], run["loss_label"]) == ("huber", "Huber")
    assert run["architecture"] == "1 → 4 relu → 1"
    # A schedule has no one rate: the recorded rates name where it started and where it ended.
    assert run["learning_rate"] == pytest.approx(0.1) and run["final_learning_rate"] < 0.1
    assert run["summary"] == f"1 → 4 relu → 1 · SGD, lr 0.1 → {run['final_learning_rate']:.3g} · Huber"


@pytest.mark.parametrize("loss, name, label", [
    ("mae", "mean_absolute_error", "MAE"),
    ("bce", "binary_crossentropy", "binary cross-entropy"),
    ("log_cosh", "log_cosh", "log-cosh"),
    ("kld", "kl_divergence", "KL divergence"),
    ("poisson", "poisson", "Poisson"),
    ("categorical_crossentropy", "categorical_crossentropy", "categorical cross-entropy"),
])
def test_loss_names_are_canonical_and_labels_readable(loss, name, label):
    from animate.model_info import loss_label, loss_name

    assert loss_name(loss) == name and loss_label(name) == label


def test_own_loss_functions_keep_their_name():
    from animate.model_info import loss_label, loss_name

    def pinball_loss(y_true, y_pred):
        return keras.ops.mean(keras.ops.maximum(0.9 * (y_true - y_pred), -0.1 * (y_true - y_pred)))

    assert loss_name(pinball_loss) == "pinball_loss" and loss_label("pinball_loss") == "Pinball loss"
    assert loss_name(None) == "" and loss_name(keras.losses.mean_squared_error) == "mean_squared_error"
