"""A functional model with several Inputs: its grid and training set given as a list or a dict."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.trains
keras = pytest.importorskip("keras")

from animate import PredictionRecorder, RecordingError, grids, render  # noqa: E402
from animate.render import AnimatedFigure  # noqa: E402


def _two_input_model() -> keras.Model:
    keras.utils.set_random_seed(0)
    first, second = keras.Input((1,), name="dose"), keras.Input((1,), name="age")
    joined = keras.layers.Concatenate()([first, second])
    hidden = keras.layers.Dense(16, activation="tanh")(joined)
    model = keras.Model([first, second], keras.layers.Dense(1)(hidden))
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    return model


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    dose, age = rng.uniform(-2, 2, (200, 1)), rng.uniform(-1, 1, (200, 1))
    return dose, age, np.sin(dose) + 0.5 * age


@pytest.mark.parametrize("given", ["list", "dict"])
def test_a_two_input_model_records_on_a_grid_of_both(data, given, tmp_path):
    dose, age, y = data
    lattice = grids.lattice((-2, 2), (-1, 1), points=21)
    grid = [lattice[:, :1], lattice[:, 1:]]
    x = [dose, age]
    if given == "dict":
        grid, x = dict(zip(("dose", "age"), grid, strict=True)), dict(zip(("dose", "age"), x, strict=True))
    model = _two_input_model()
    recorder = PredictionRecorder(grid, every=10, x=x, y=y)
    model.fit(x, y, epochs=5, batch_size=32, callbacks=[recorder], verbose=0)
    recording = recorder.recording
    np.testing.assert_allclose(recording.predictions[0, -1], model.predict(grid, verbose=0), rtol=1e-5, atol=1e-6)
    assert recording.loss[0, -1] == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-4)
    assert recording.meta["view"]["feature_names"] == ["dose", "age"]
    figure = AnimatedFigure(recording)
    assert figure.picture.kind == "value_map"
    assert [figure.figure.axes[0].get_xlabel(), figure.figure.axes[0].get_ylabel()] == ["dose", "age"]
    [poster] = render(recording, tmp_path / "both.png")
    assert poster.stat().st_size > 0


def test_a_grid_that_holds_one_input_draws_curves_over_the_other(data, tmp_path):
    dose, age, y = data
    line = grids.line(-2, 2)
    grid = [line, np.full_like(line, 0.5)]
    model = _two_input_model()
    recorder = PredictionRecorder(grid, every=10, x=[dose, age], y=y)
    model.fit([dose, age], y, epochs=3, batch_size=32, callbacks=[recorder], verbose=0)
    figure = AnimatedFigure(recorder.recording)
    assert figure.picture.kind == "curves"
    assert figure.figure.axes[0].get_xlabel() == "dose (age = 0.5 held)"
    render(recorder.recording, tmp_path / "held.gif", duration=1)


@pytest.mark.parametrize("grid, x, message", [
    (lambda line: [line, line, line], lambda dose, age: [dose, age, age], "the grid gives 3 input"),
    (lambda line: {"dose": line, "height": line}, lambda dose, age: {"dose": dose, "height": age},
     "grid key 'height' is not an input of the model; its inputs: dose, age"),
    (lambda line: [line, line[:10]], lambda dose, age: [dose, age], "as many rows each"),
    (lambda line: [line, line], lambda dose, age: {"dose": dose, "age": age}, "x must have the grid's structure"),
])
def test_a_grid_or_x_that_does_not_match_the_inputs_is_refused_in_one_line(data, grid, x, message):
    dose, age, y = data
    line = grids.line(-2, 2)
    model = _two_input_model()
    with pytest.raises(RecordingError, match=message):
        recorder = PredictionRecorder(grid(line), every=10, x=x(dose, age), y=y)
        model.fit([dose, age], y, epochs=1, batch_size=32, callbacks=[recorder], verbose=0)


def test_a_model_of_two_heads_is_refused_in_one_line(data):
    dose, age, y = data
    first = keras.Input((1,), name="dose")
    hidden = keras.layers.Dense(4)(first)
    model = keras.Model(first, [keras.layers.Dense(1)(hidden), keras.layers.Dense(1, activation="sigmoid")(hidden)])
    model.compile(optimizer="adam", loss=["mse", "binary_crossentropy"])
    recorder = PredictionRecorder(grids.line(-2, 2), x=dose, y=y)
    with pytest.raises(RecordingError, match="the model has 2 outputs"):
        model.fit(dose, [y, (y > 0).astype("float32")], epochs=1, callbacks=[recorder], verbose=0)


def test_images_are_refused_in_one_line():
    with pytest.raises(RecordingError, match="inputs that are not points"):
        PredictionRecorder(np.zeros((4, 8, 8, 1)))
