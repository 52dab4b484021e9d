"""Watching a ``fit`` as it runs: ``PredictionRecorder(..., live=True)``.

The recorder calls ``frame_taken(step)`` after each frame and ``finish(recording)`` at the end;
nothing here changes what is recorded. Two views, chosen by where the code runs:

* In Jupyter, ``NotebookView`` draws the recording so far with the renderer's own figure
  (``AnimatedFigure``: the same panels as the exported animation) and replaces one PNG output in
  place (``display_id``). At the end the cell holds the final picture.
* Anywhere else (a script, CI, a terminal without a display), ``ProgressView`` shows one tqdm line
  with the step and the whole-set loss. Nothing needs a display: the figure draws with Agg.

Drawing happens between training steps, so it is throttled (``_Throttle``): at most one redraw per
recorded frame, at least ``MIN_SECONDS`` apart, and only while the time spent drawing stays within
1/BUDGET of the time spent training: ``fit`` at most (BUDGET + 1)/BUDGET = 1.17x slower, plus the
final picture, drawn once at the end. A redraw shows the new frames in the figure it drew last
(cheap: the step axis was built to reach the end of ``fit``, and only the changing artists are
drawn); only when the data leaves its axes is a figure built anew (its layout reused). What each
costs, and what the live view adds to a ``fit``: ``bench/live_overhead.py``.
"""
from __future__ import annotations

import io
import sys
import time
import warnings
from typing import Any, Mapping

import numpy as np

MIN_SECONDS = 0.25  # at most four redraws a second: more would not be seen, and would cost training time
# Drawing may take 1/6 of the time training took (1.17x): room under 1.25x for the final picture and
# for what drawing costs training besides its own time (measured: 1.20x from drawing alone at 1/5, 1.27x in all).
BUDGET = 6
LIVE_WIDTH, LIVE_HEIGHT = 720, 480  # the renderer's default frame: the live picture is the poster's size


def in_notebook() -> bool:
    """Whether we run in a Jupyter kernel. IPython is only looked at if something imported it already."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def live_view(recorder: Any) -> "NotebookView | ProgressView":
    """The view for where this runs: a redrawn figure in Jupyter, a progress line elsewhere."""
    return NotebookView(recorder) if in_notebook() else ProgressView(recorder)


class _Throttle:
    """Says when the next redraw may happen: ``MIN_SECONDS`` after the last, and only while the time
    spent drawing, with the next redraw (assumed to cost what the last one did), stays within
    1/BUDGET of the time spent training. Counted from the start of ``fit``, so a slow first redraw
    waits until training has earned it."""

    def __init__(self, first_cost: float) -> None:
        self.started = time.perf_counter()
        self.drawing = 0.0  # seconds spent drawing so far
        self.next_cost = first_cost
        self.last_end = -float("inf")

    def due(self) -> bool:
        now = time.perf_counter()
        training = now - self.started - self.drawing
        return now - self.last_end >= MIN_SECONDS and self.drawing + self.next_cost <= training / BUDGET

    def drawn(self, started: float, next_cost: float | None = None) -> None:
        """A redraw begun at ``started`` has ended; the next is assumed to cost as much, or ``next_cost``."""
        self.last_end = time.perf_counter()
        cost = self.last_end - started
        self.drawing += cost
        self.next_cost = cost if next_cost is None else next_cost


FOLLOW_GUESS = 0.03  # seconds: a redraw into the figure drawn last (AnimatedFigure.follow)
FIRST_REDRAW_GUESS = 0.3  # seconds: a figure built on two busy cores; the first redraw waits 6x this


class NotebookView:
    """The recording so far, drawn by the renderer's figure into one PNG output that is updated in place.

    Drawn in this process, between training steps. (A separate drawing process was tried: on two busy
    cores it took the CPU from training and slowed it more than it redrew; ``bench/live_overhead.py``.)
    """

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.throttle = _Throttle(FIRST_REDRAW_GUESS)
        self.handle: Any = None
        self.redraws = 0
        self.broken = False
        self.figure: Any = None  # the figure drawn last: the next redraw follows it when the data still fits
        self.options = live_render_options(getattr(recorder, "live", None))

    def frame_taken(self, step: int) -> None:
        if self.broken or not self.throttle.due():
            return
        started = time.perf_counter()
        recording = self.recorder.recording_so_far()
        if len(recording.steps) < 2:  # one frame has no steps axis to draw yet
            return
        previous = self.figure
        self._draw(recording, expected_last_step(self.recorder.params, recording))
        # A figure was just built: the next redraw most likely follows it, at a fraction of the cost.
        self.throttle.drawn(started, FOLLOW_GUESS if self.figure is not previous else None)

    def finish(self, recording: Any) -> None:
        self.figure = None  # the final picture is the renderer's, laid out afresh for the whole fit
        self._draw(recording, None)

    def _draw(self, recording: Any, expected_steps: int | None) -> None:
        if self.broken:
            return
        try:
            png, self.figure = picture_png(recording, self.figure, options=self.options,
                                           expected_steps=expected_steps)
            self._show(png)
        except Exception as error:  # a live view must never stop the training it shows
            self.broken = True
            warnings.warn(f"live view stopped: {type(error).__name__}: {error}", stacklevel=3)

    def _show(self, png: bytes) -> None:
        from IPython.display import Image, display

        image = Image(data=png, format="png")
        if self.handle is None:
            self.handle = display(image, display_id=True)
        else:
            self.handle.update(image)
        self.redraws += 1


def expected_last_step(params: Mapping[str, Any] | None, recording: Any) -> int:
    """The step ``fit`` should end at, from Keras's params (epochs x steps per epoch): the live figure's
    step axis reaches it from the first redraw. Unknown (a generator without ``steps_per_epoch``) or
    passed: twice the steps so far, so the axes are built anew only every doubling."""
    params = params or {}
    epochs, steps = params.get("epochs"), params.get("steps")
    first, last = int(recording.steps[0]), int(recording.steps[-1])
    planned = first + int(epochs) * int(steps) if epochs and steps else 0
    return planned if planned >= last else 2 * max(last, 1)


def live_render_options(given: Any = None) -> Any:
    """The render options of a live view: what the recorder's ``live=`` said (``True``, a dict such as
    ``{"theme": "dark"}``, or a ``RenderOptions``), else ``render``'s at the poster's size."""
    from animate.render.options import RenderOptions

    if isinstance(given, RenderOptions):
        return given
    if isinstance(given, Mapping):
        return RenderOptions.of(RenderOptions(width=LIVE_WIDTH, height=LIVE_HEIGHT), **given)
    return RenderOptions(width=LIVE_WIDTH, height=LIVE_HEIGHT)


def picture_png(recording: Any, figure: Any = None, *, options: Any = None,
                expected_steps: int | None = None) -> tuple[bytes, Any]:
    """The last frame of ``recording`` as the renderer draws it, as PNG bytes, and the figure drawn.

    ``figure``, the one drawn last, is reused when the new frames fit its axes (``AnimatedFigure.follow``,
    which redraws only the changing artists); else a figure is built, reusing its layout."""
    from PIL import Image

    from animate.render.figure import AnimatedFigure
    from animate.render.options import RenderOptions

    if figure is None or not figure.follow(recording):
        options = options or RenderOptions(width=LIVE_WIDTH, height=LIVE_HEIGHT)
        figure = AnimatedFigure(recording, options, layout_from=figure, expected_steps=expected_steps)
    pixels = np.asarray(figure.frame(len(recording.steps) - 1))[..., :3]
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="png", compress_level=1)  # fast: it is replaced in a moment
    return buffer.getvalue(), figure


class ProgressView:
    """One progress line (tqdm, on stderr) with the step and the current whole-set loss."""

    def __init__(self, recorder: Any) -> None:
        from tqdm import tqdm

        params = recorder.params or {}
        epochs, steps = params.get("epochs"), params.get("steps")
        total = int(epochs) * int(steps) if epochs and steps else None
        self.recorder = recorder
        self.throttle = _Throttle(0.0)
        self.bar = tqdm(total=total, desc=f"train {recorder.name}", unit="step", leave=True, file=sys.stderr,
                        dynamic_ncols=True, mininterval=MIN_SECONDS)
        self.shown_step = 0

    def frame_taken(self, step: int) -> None:
        if step == 0 or not self.throttle.due():
            return
        started = time.perf_counter()
        self._show(step, self.recorder.recording_so_far().loss[0, -1])
        self.throttle.drawn(started)

    def finish(self, recording: Any) -> None:
        self._show(int(recording.steps[-1]), recording.loss[0, -1])
        self.bar.close()

    def _show(self, step: int, loss: float) -> None:
        if self.bar.total is not None and step > self.bar.total:
            self.bar.total = step
        if self.recorder.x is not None:  # without a training set there is no loss to show
            self.bar.set_postfix_str(f"whole-set loss {loss:.4g}", refresh=False)
        self.bar.update(step - self.shown_step)
        self.shown_step = step
