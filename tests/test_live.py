"""live=True: the training drawn as it goes, in a real Jupyter kernel, and a progress line elsewhere."""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from animate import live


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


def test_redraws_are_throttled_to_a_fifth_of_the_time(monkeypatch, recording):
    """Frames every 10 ms, a redraw costing 80 ms: drawing may take at most 1/BUDGET of the training time."""
    clock = FakeClock()
    monkeypatch.setattr(live.time, "perf_counter", clock)

    def picture_png(so_far, *, layout_from=None, with_figure=False):
        clock.now += 0.080
        return (b"png", None) if with_figure else b"png"

    monkeypatch.setattr(live, "picture_png", picture_png)

    class Recorder:
        def recording_so_far(self):
            return recording

    view = live.NotebookView(Recorder())
    drawn = []
    monkeypatch.setattr(view, "_show", lambda png: drawn.append(clock.now))
    for _ in range(2000):  # 20 s of training
        clock.now += 0.010
        view.frame_taken(0)
    drawing = 0.080 * len(drawn)
    assert drawing <= (clock.now - drawing) / live.BUDGET  # at most (BUDGET + 1) / BUDGET slower
    assert len(drawn) > 25  # still redraws about every 0.6 s
    assert min(np.diff(drawn)) >= live.MIN_SECONDS
    assert drawn[0] >= live.BUDGET * live.FIRST_REDRAW_GUESS  # the first waits until training earned it


@pytest.mark.slow
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
