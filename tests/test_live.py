"""live=True: the training drawn as it goes, in a real Jupyter kernel, and a progress line elsewhere."""
from __future__ import annotations

import base64
import dataclasses
import io

import numpy as np
import pytest
from matplotlib.lines import Line2D
from matplotlib.text import Text
from PIL import Image

from animate import live
from animate.render.figure import AnimatedFigure


def fit_tiny_net(live_view: bool, epochs: int = 6):
    import keras

    from animate import PredictionRecorder

    keras.utils.set_random_seed(0)
    x = np.linspace(-2, 2, 60)[:, None]
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    recorder = PredictionRecorder(np.linspace(-3, 3, 31), every=3, x=x, y=np.abs(x), live=live_view)
    model.fit(x, np.abs(x), epochs=epochs, batch_size=10, verbose=0, callbacks=[recorder])
    return recorder.recording


@pytest.mark.trains
def test_live_outside_a_notebook_shows_the_loss_and_records_the_same(capsys):
    plain = fit_tiny_net(False)
    assert capsys.readouterr().err == ""
    watched = fit_tiny_net(True)
    line = capsys.readouterr().err
    assert "train run" in line and f"whole-set loss {watched.loss[0, -1]:.4g}" in line and "36/36" in line
    assert not live.in_notebook()
    np.testing.assert_array_equal(watched.steps, plain.steps)
    for key in ("predictions", "loss", "weights"):
        np.testing.assert_array_equal(getattr(watched, key), getattr(plain, key))


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def redraw_times(monkeypatch, recording, cost, seconds):
    """Train for ``seconds`` on a fake clock, a frame every 10 ms, with redraws costing ``cost(figure)``
    (the figure drawn last, None at first); returns when each redraw was shown, and the clock's end."""
    clock = FakeClock()
    monkeypatch.setattr(live.time, "perf_counter", clock)
    built = object()

    def picture_png(so_far, figure=None, *, options=None, expected_steps=None):
        clock.now += cost(figure)
        return b"png", built

    monkeypatch.setattr(live, "picture_png", picture_png)

    class Recorder:
        params = {"epochs": 100, "steps": 20}

        def recording_so_far(self):
            return recording

    view = live.NotebookView(Recorder())
    drawn = []
    monkeypatch.setattr(view, "_show", lambda png: drawn.append(clock.now))
    for _ in range(int(round(seconds / 0.010))):
        clock.now += 0.010
        view.frame_taken(0)
    return drawn, clock.now


def test_redraws_are_throttled_to_a_fifth_of_the_time(monkeypatch, recording):
    """Frames every 10 ms, a redraw costing 80 ms: drawing may take at most 1/BUDGET of the training time."""
    drawn, now = redraw_times(monkeypatch, recording, lambda figure: 0.080, seconds=20)
    drawing = 0.080 * len(drawn)
    assert drawing <= (now - drawing) / live.BUDGET  # at most (BUDGET + 1) / BUDGET slower
    assert len(drawn) > 25  # still redraws about every 0.6 s
    assert min(np.diff(drawn)) >= live.MIN_SECONDS
    assert drawn[0] >= live.BUDGET * live.FIRST_REDRAW_GUESS  # the first waits until training earned it


@pytest.mark.slow
@pytest.mark.trains
def test_a_notebook_shows_the_live_picture_then_the_video(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    training = "\n".join([
        "import numpy as np, keras",
        "from animate import PredictionRecorder",
        "x = np.linspace(-2, 2, 60)[:, None]",
        "model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(4, activation='relu'), keras.layers.Dense(1)])",
        "model.compile(optimizer=keras.optimizers.Adam(0.05), loss='mse')",
        "rec = PredictionRecorder(np.linspace(-3, 3, 31), every=3, x=x, y=np.abs(x), live=True)",
        "model.fit(x, np.abs(x), epochs=6, batch_size=10, verbose=0, callbacks=[rec]);",
    ])
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(training),
                                               nbformat.v4.new_code_cell("rec.recording")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    train_outputs, video_outputs = (cell.outputs for cell in notebook.cells)
    for output in train_outputs + video_outputs:
        assert output.output_type != "error", output
    pictures = [output for output in train_outputs if "image/png" in output.get("data", {})]
    assert len(pictures) == 1  # one picture, updated in place
    with Image.open(io.BytesIO(base64.b64decode(pictures[0].data["image/png"]))) as picture:
        assert picture.size == (live.LIVE_WIDTH, live.LIVE_HEIGHT)  # the renderer's figure
        assert len(picture.getcolors(1 << 16) or range(257)) > 256  # panels and curves, not a blank frame
    html = [output.data["text/html"] for output in video_outputs if "text/html" in output.get("data", {})]
    assert html and "<video" in html[0]


def first_frames(recording, count):
    """The recording as the live view sees it after ``count`` frames."""
    return dataclasses.replace(recording, steps=recording.steps[:count], predictions=recording.predictions[:, :count],
                               loss=recording.loss[:, :count],
                               weights=None if recording.weights is None else recording.weights[:, :count])


def artist_state(artist):
    if isinstance(artist, Line2D):
        return [np.asarray(values, dtype=float).tolist() for values in artist.get_data()]
    if isinstance(artist, Text):
        return artist.get_text(), artist.get_visible()
    return type(artist).__name__


def test_a_live_figure_follows_a_growing_recording_as_a_new_figure_would_draw_it(recording):
    """A redraw shows the new frames in the figure drawn last (its step axis already reaching the end
    of fit): every changing artist ends as it would in a figure built for the longer recording."""
    recording = dataclasses.replace(recording, meta={**recording.meta, "view": {"count_rises": True}},
                                    weights=None)  # the (w, b) path leaves the first frames' limits
    last_step = int(recording.steps[-1])
    figure = AnimatedFigure(first_frames(recording, 8), expected_steps=last_step)
    loss_ax = figure.panels[-1].so_far[0].axes
    assert loss_ax.get_xlim()[1] == last_step
    assert figure.step_text.get_text().endswith(f"/ {last_step}")
    for count in (12, 20, len(recording.steps)):
        assert figure.follow(first_frames(recording, count))
    fresh = AnimatedFigure(recording)
    fresh.update(len(recording.steps) - 1)
    assert [artist_state(a) for a in figure.animated] == [artist_state(a) for a in fresh.animated]
    assert figure.frame(len(recording.steps) - 1).shape == (480, 720, 4)


def test_a_live_figure_is_built_anew_when_the_data_leaves_its_axes(recording):
    figure = AnimatedFigure(first_frames(recording, 8), expected_steps=int(recording.steps[-1]))
    assert not figure.follow(dataclasses.replace(recording, predictions=recording.predictions * 10))
    figure = AnimatedFigure(first_frames(recording, 8), expected_steps=int(recording.steps[-1]))
    loss = recording.loss.copy()
    loss[1, 20:] = np.inf  # run 1 diverges after the figure was built: its marker line is a static part
    assert not figure.follow(dataclasses.replace(recording, loss=loss))
    figure = AnimatedFigure(first_frames(recording, 8), expected_steps=int(recording.steps[12]))
    assert not figure.follow(recording)  # ran past the expected end: the step axis must grow


def test_the_expected_last_step_comes_from_fits_params(recording):
    assert live.expected_last_step({"epochs": 3, "steps": 100}, recording) == 300
    assert live.expected_last_step({"epochs": 1, "steps": 100}, recording) == 2 * int(recording.steps[-1])
    assert live.expected_last_step({"epochs": 3, "steps": None}, recording) == 2 * int(recording.steps[-1])


def test_after_building_a_figure_the_next_redraw_is_expected_to_follow_it(monkeypatch, recording):
    """Building costs ~0.3 s, following ~0.03 s: the redraw after a build is not held back as if it
    would cost another build, so redraws come every MIN_SECONDS once the budget allows one build."""
    drawn, now = redraw_times(monkeypatch, recording, lambda figure: 0.3 if figure is None else 0.03, seconds=10)
    assert drawn[1] - drawn[0] < 2 * live.MIN_SECONDS  # not another 6 x 0.3 s of training first
    assert len(drawn) >= 20  # ~3 a second after the first
    drawing = 0.3 + 0.03 * (len(drawn) - 1)
    assert drawing <= (now - drawing) / live.BUDGET + live.FOLLOW_GUESS
