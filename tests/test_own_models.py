"""Users' own models, of every common shape, trained through model.fit with PredictionRecorder.

Each test trains a real small Keras model, renders GIF and PNG, and checks what the picture must
hold: a line per output, every class's points, the colour scale from the data's range, the title.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

pytestmark = pytest.mark.trains
keras = pytest.importorskip("keras")

from animate import PredictionRecorder, RenderError, grids, render  # noqa: E402
from animate.render import AnimatedFigure, FigureOptions  # noqa: E402
from animate.render.panels import ClassCurvePanel  # noqa: E402
from animate.render.panels import ClassMap, ProbabilityMap, ValueMap  # noqa: E402
from animate.render.panels import PredictionPanel  # noqa: E402
from animate.render.theme import DARK  # noqa: E402

RNG = np.random.default_rng(0)


def fit(model, x, y, grid, *, loss, epochs, lr=0.02, batch_size=32):
    """What a user's script does: compile, fit with the recorder, take the recording."""
    model.compile(optimizer=keras.optimizers.Adam(lr), loss=loss)
    recorder = PredictionRecorder(grid, every=5, x=x, y=y)
    model.fit(x, y, epochs=epochs, batch_size=batch_size, callbacks=[recorder], verbose=0)
    return recorder.recording


def net(inputs, hidden, outputs, activation=None, hidden_activation="tanh"):
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(hidden, activation=hidden_activation),
                             keras.layers.Dense(outputs, activation=activation)])


def rendered(recording, tmp_path, **options):
    """GIF and PNG on disk, and the figure the PNG was drawn from (its last frame)."""
    gif, png = render(recording, tmp_path / "own", formats=("gif", "png"), duration=1, hold=0.2, **options)
    with Image.open(gif) as image:
        assert image.n_frames > 5 and image.size == (options.get("width", 720), options.get("height", 480))
    assert Image.open(png).size == (options.get("width", 720), options.get("height", 480))
    options.pop("formats", None)
    figure = AnimatedFigure(recording, FigureOptions(**options))
    figure.frame(len(recording.steps) - 1)
    return figure


def panels_of(figure, kind):
    return [panel for panel in figure.panels if isinstance(panel, kind)]


def offsets_of(ax):
    return np.concatenate([c.get_offsets() for c in ax.collections if len(c.get_offsets())])


@pytest.fixture(scope="module")
def two_outputs():
    x = RNG.uniform(-3, 3, (160, 1)).astype("float32")
    y = np.hstack([np.sin(x), np.cos(x)])
    return fit(net(1, 16, 2), x, y, grids.line(-3, 3, 80), loss="mse", epochs=15)


def test_one_input_two_outputs_draws_each_output_with_its_own_data(two_outputs, tmp_path):
    figure = rendered(two_outputs, tmp_path)
    panels = panels_of(figure, PredictionPanel)
    assert [panel.output for panel in panels] == [0, 1]
    for k, panel in enumerate(panels):
        ax = panel.lines[0].axes
        np.testing.assert_allclose(np.sort(offsets_of(ax)[:, 1]), np.sort(two_outputs.y_train[:, k]), rtol=1e-6)
        drawn = panel.lines[0].get_ydata()
        np.testing.assert_allclose(drawn, two_outputs.predictions[0, -1, panel.order, k])
    assert figure.figure._suptitle.get_text() == "1 → 16 tanh → 2 · Adam 0.02 · MSE"
    assert all(not ax.get_title() for ax in figure.figure.axes[:2])  # one run: not named again in each panel


@pytest.fixture(scope="module")
def binary_1d():
    x = RNG.uniform(-3, 3, (200, 1)).astype("float32")
    y = (x[:, 0] + RNG.normal(0, 0.5, 200) > 0.5).astype("float32")
    return fit(net(1, 4, 1, "sigmoid"), x, y, grids.line(-4, 4, 100), loss="binary_crossentropy", epochs=15)


def test_one_input_binary_classifier_shows_the_probability_with_the_labels(binary_1d, tmp_path):
    figure = rendered(binary_1d, tmp_path, class_names=["no", "yes"])
    assert figure.picture.kind == "probability_curves"
    [panel] = panels_of(figure, PredictionPanel)
    ax = panel.lines[0].axes
    assert ax.get_ylabel() == "P(yes)" and ax.get_ylim() == pytest.approx((-0.06, 1.06))
    assert set(np.unique(offsets_of(ax)[:, 1])) == {0.0, 1.0}
    probability = panel.lines[0].get_ydata()
    assert probability.min() < 0.2 and probability.max() > 0.8  # it learned: low on the left, high on the right
    assert any("binary cross-entropy" in a.get_ylabel() for a in figure.figure.axes)
    assert binary_1d.accuracy is not None and binary_1d.accuracy[0, -1] > 0.75


@pytest.fixture(scope="module")
def three_classes_1d():
    x = RNG.uniform(-3, 3, (240, 1)).astype("float32")
    y = np.digitize(x[:, 0], [-1, 1])  # integer labels 0, 1, 2
    return fit(net(1, 8, 3, "softmax", "relu"), x, y, grids.line(-4, 4, 100),
               loss="sparse_categorical_crossentropy", epochs=25)


def test_one_input_three_classes_draws_a_curve_per_class_and_every_class_s_points(three_classes_1d, tmp_path):
    figure = rendered(three_classes_1d, tmp_path)
    [panel] = panels_of(figure, ClassCurvePanel)
    assert len(panel.lines) == 3
    ax = panel.lines[0].axes
    rows = [c.get_offsets() for c in ax.collections]
    assert [len(row) for row in rows] == [int(np.sum(three_classes_1d.y_train[:, 0] == k)) for k in range(3)]
    last = np.stack([line.get_ydata() for line in panel.lines], axis=1)
    x = panel.x
    assert last[x < -2].argmax(axis=1).tolist() == [0] * int(np.sum(x < -2))  # each class wins where it lives
    assert last[x > 2].argmax(axis=1).tolist() == [2] * int(np.sum(x > 2))


@pytest.fixture(scope="module")
def surface():
    x = RNG.uniform(-2, 2, (300, 2)).astype("float32")
    y = (3 * np.sin(x[:, 0]) * x[:, 1] + 10)[:, None]  # values far from 0..1
    return fit(net(2, 24, 1), x, y, grids.lattice((-2, 2), (-2, 2), 31), loss="mse", epochs=20)


def test_two_inputs_regression_is_a_value_map_on_the_targets_scale(surface, tmp_path):
    figure = rendered(surface, tmp_path)
    [panel] = panels_of(figure, ValueMap)
    low, high = surface.y_train.min(), surface.y_train.max()
    assert (panel.norm.vmin, panel.norm.vmax) == pytest.approx((low, high), rel=1e-5)
    assert panel.points[0].norm is panel.norm  # training points on the same scale as the map
    np.testing.assert_allclose(np.sort(panel.points[0].get_array()), np.sort(surface.y_train[:, 0]), rtol=1e-6)
    last = [segment.copy() for segment in panel.contours.get_segments()]
    panel.update(0)
    first = panel.contours.get_segments()
    assert last and (len(first) != len(last) or any(not np.allclose(a, b) for a, b in zip(first, last)))


@pytest.fixture(scope="module")
def moons():
    t = RNG.uniform(0, np.pi, 240)
    label = RNG.integers(0, 2, 240)
    x = np.stack([np.cos(t) + label, np.sin(t) * (1 - 2 * label) + 0.3 * label], 1) + RNG.normal(0, 0.1, (240, 2))
    return fit(net(2, 16, 1, "sigmoid", "relu"), x.astype("float32"), label.astype("float32"),
               grids.lattice((-1.5, 2.5), (-1.2, 1.6), 41), loss="binary_crossentropy", epochs=25)


def test_two_inputs_binary_classifier_maps_p_positive_with_its_boundary(moons, tmp_path):
    figure = rendered(moons, tmp_path)
    [panel] = panels_of(figure, ProbabilityMap)
    assert panel.picture.positive_output == 0 and panel.colourbar_label == "P(class 1)"
    assert [len(points.get_offsets()) for points in panel.points] == [
        int(np.sum(moons.y_train[:, 0] == 0)), int(np.sum(moons.y_train[:, 0] == 1))]
    assert panel.boundary.get_segments(), "the 0.5 boundary is drawn"
    assert panel.image.get_array().max() > 0.9 and panel.image.get_array().min() < 0.1


def _three_blobs(one_hot: bool):
    centres = np.array([[-1.5, 0.0], [1.5, 0.5], [0.0, 2.0]])
    label = RNG.integers(0, 3, 300)
    x = (centres[label] + RNG.normal(0, 0.5, (300, 2))).astype("float32")
    y = np.eye(3, dtype="float32")[label] if one_hot else label
    loss = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    return fit(net(2, 16, 3, "softmax", "relu"), x, y, grids.lattice((-4, 4), (-2.5, 4.5), 41), loss=loss,
               epochs=15), centres


@pytest.mark.parametrize("one_hot", [False, True], ids=["integer labels", "one-hot labels"])
def test_two_inputs_three_classes_paints_class_regions_with_every_class_s_points(one_hot, tmp_path):
    recording, centres = _three_blobs(one_hot)
    figure = rendered(recording, tmp_path, class_names=["setosa", "versicolor", "virginica"])
    [panel] = panels_of(figure, ClassMap)
    labels = recording.y_train.argmax(axis=1) if one_hot else recording.y_train[:, 0]
    assert [len(points.get_offsets()) for points in panel.points] == [int(np.sum(labels == k)) for k in range(3)]
    assert [points.get_label() for points in panel.points] == ["setosa", "versicolor", "virginica"]
    assert len({points.get_paths()[0].vertices.tobytes() for points in panel.points}) == 3  # a marker each
    image = panel.image.get_array()
    for k, (cx, cy) in enumerate(centres):  # each blob's centre is painted in its class's hue
        pixel = image[np.abs(panel.ys - cy).argmin(), np.abs(panel.xs - cx).argmin()]
        distances = [np.linalg.norm(pixel - (0.15 + 0.85 * np.array(to_rgb(c)))) for c in panel.theme.class_colours[:3]]
        assert int(np.argmin(distances)) == k
    assert panel.boundary.get_segments()


def test_more_than_two_inputs_maps_two_features_with_the_rest_held(tmp_path):
    x = RNG.normal(0, 1, (200, 4)).astype("float32")
    y = (x[:, 0] - x[:, 1] + 0.5 * x[:, 2] ** 2)[:, None]
    grid = grids.lattice((-2, 2), (-2, 2), 21, features=4, axes=(1, 3), hold={0: 0.5})
    model = net(4, 8, 1, hidden_activation="relu")
    recording = fit(model, x, y, grid, loss="mse", epochs=5)
    figure = rendered(recording, tmp_path, xlabel="income", ylabel="age")  # the features the grid spans
    [panel] = panels_of(figure, ValueMap)
    ax = panel.image.axes
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("income", "age")
    assert any("feature 0 = 0.5" in text.get_text() and "feature 2 = 0" in text.get_text() for text in ax.texts)


def test_a_grid_that_is_not_a_lattice_says_how_to_build_one(tmp_path):
    x = RNG.normal(0, 1, (100, 2)).astype("float32")
    recording = fit(net(2, 4, 1), x, x[:, :1], RNG.normal(0, 1, (50, 2)), loss="mse", epochs=1)
    with pytest.raises(RenderError, match=r"not a lattice.*animate\.grids\.lattice"):
        render(recording, tmp_path / "x.png")


def test_title_labels_size_and_dark_theme_are_the_user_s(two_outputs, tmp_path):
    figure = rendered(two_outputs, tmp_path, title="Sine and cosine from one net", xlabel="angle", theme="dark",
                      width=640, height=400)
    assert figure.figure._suptitle.get_text() == "Sine and cosine from one net"
    assert figure.size == (640, 400)
    assert figure.figure.axes[0].get_xlabel() == "angle"
    background = np.asarray(Image.open(tmp_path / "own.png").convert("RGB"))[2, 2]
    assert np.allclose(background / 255, to_rgb(DARK.background), atol=0.02)
    assert to_rgb(panels_of(figure, PredictionPanel)[0].lines[0].get_color()) == to_rgb(DARK.run_colours[0])


@pytest.mark.parametrize("options, message", [
    ({"theme": "neon"}, "unknown theme 'neon'; choose from: light, dark"),
    ({"title": "a very long title " * 12}, "title is .* characters"),
    ({"picture": "pie"}, "unknown picture 'pie'"),
    ({"picture": "class_map"}, "needs at least two input features"),
])
def test_bad_presentation_options_get_one_clear_line(two_outputs, tmp_path, options, message):
    with pytest.raises(RenderError, match=message):
        render(two_outputs, tmp_path / "x.png", **options)


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.py") if p.stem != "two_optimizers"))
def test_readme_shows_each_example_whole_and_short_with_its_poster(example):
    body = (EXAMPLES / f"{example}.py").read_text().split('"""', 2)[2].lstrip("\n")
    section = README.read_text().split("## Your own model", 1)[1]
    assert f"```python\n{body}```" in section, f"README's {example} differs from examples/{example}.py"
    assert len(body.strip().splitlines()) <= 15
    assert f"(output/examples/{example}.png)" in section
    assert (README.parent / "output" / "examples" / f"{example}.png").is_file()


def test_an_example_runs_as_a_user_runs_it(tmp_path):
    (tmp_path / "output" / "examples").mkdir(parents=True)
    subprocess.run([sys.executable, str(EXAMPLES / "sine_and_cosine.py")], cwd=tmp_path, check=True,
                   capture_output=True)
    with Image.open(tmp_path / "output" / "examples" / "sine_and_cosine.gif") as gif:
        assert gif.n_frames > 20


def test_a_named_run_is_named_once_and_a_default_run_not_at_all(two_outputs):
    import dataclasses

    named = dataclasses.replace(two_outputs, runs=("Adam",), meta={**two_outputs.meta, "lesson": "Adam"})
    titles = [ax.get_title() for ax in AnimatedFigure(named).figure.axes[:2]]
    assert titles == ["", ""]  # several outputs: the panels are outputs, named on their y axes
    curve = dataclasses.replace(named, predictions=named.predictions[..., :1], y_train=named.y_train[:, :1])
    figure = AnimatedFigure(curve)
    assert figure.figure.axes[0].get_title() == "Adam" and figure.figure._suptitle.get_text() != "Adam"
    default = AnimatedFigure(dataclasses.replace(curve, runs=("run",)))
    assert default.figure.axes[0].get_title() == ""
