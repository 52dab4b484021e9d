"""Turn a recording into GIF, MP4, PNG (and WebM, HTML) files: plan the frames, draw each once, hand
them to the writers.

Rendering never imports TensorFlow: re-rendering a blog post's animation should take seconds. Each
step has a module of its own: ``options`` (what the user asks), ``frames`` (which frames), ``figure``
(drawing them, with panels placed by ``layout``), ``feed`` and ``writers`` (encoding them), and
``formats`` (which writers exist, and what each needs).
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from animate.recording import Recording, register_presenter
from animate.render import writers  # noqa: F401 - the writers register their formats on import
from animate.render.feed import Feed
from animate.render.figure import AnimatedFigure, FigureOptions
from animate.render.formats import DEFAULT_FORMATS, FORMATS, output_paths
from animate.render.frames import FramePlan, gif_frame_positions, plan_frames, video_frame_indices, video_frames
from animate.render.options import DEFAULT_FPS, MIN_GIF_COLOURS, RenderOptions
from animate.render.writers import GIF_COLOURS, GIF_FPS, PALETTE_SAMPLES

__all__ = ["render", "RenderOptions", "video_frame_indices", "video_frames", "gif_frame_positions", "output_paths",
           "AnimatedFigure", "FigureOptions", "DEFAULT_FPS", "DEFAULT_FORMATS", "FORMATS", "MIN_GIF_COLOURS",
           "GIF_COLOURS", "GIF_FPS", "PALETTE_SAMPLES"]


def render(
    recording: Recording | str | Path,
    out: str | Path,
    options: RenderOptions | None = None,
    *,
    formats: Sequence[str] | None = None,
    progress: bool = False,
    say: Callable[[str], None] | None = None,
    **option_values: Any,
) -> list[Path]:
    """Render ``recording`` (a Recording or a path to one) to ``out``; the format follows the suffix.

    With ``formats`` (e.g. ``("gif", "mp4", "png")``) one file per format is written beside ``out``.
    All formats are drawn in a single pass: each frame is drawn once and handed to every encoder,
    each fed from a thread of its own. Each file appears atomically, whole or not at all (if one
    fails, none is written). Returns the paths written.

    How it looks and plays is ``options`` (a ``RenderOptions``) or its fields as keywords
    (``fps=``, ``theme=``, ``title=``, ``gif_max_bytes=``, ...; each is documented there), the
    keywords over ``options``. A render is drawn under matplotlib's defaults, never the caller's
    settings. ``say`` hears what the user should know of (a GIF fitted to its byte budget, a
    style's text drawn smaller to fit); ``progress`` shows a bar of frames drawn.
    """
    options = RenderOptions.of(options, **option_values)
    if not isinstance(recording, Recording):
        recording = Recording.load(recording)
    targets = output_paths(out, formats)
    figure = AnimatedFigure(recording, options)
    if figure.font_note and say is not None:
        say(figure.font_note)
    look = "map" if figure.picture.is_map else "curves"
    plan = plan_frames(figure.recording, options, [chosen for chosen, _ in targets], look)  # as the picture shows it

    def poster() -> np.ndarray:
        """The last frame drawn afresh: the same bytes whatever else this render writes."""
        return figure.frame(int(plan.indices[-1]), still=True).copy()

    with contextlib.ExitStack() as stack:
        feed = Feed(stack, targets, plan, size=figure.size, options=options, look=look, poster=poster, say=say)
        _draw(figure, plan, feed, _with_progress(plan.indices, recording.lesson) if progress else plan.indices)
        feed.finish()
    return [path for _, path in targets]


def _draw(figure: AnimatedFigure, plan: FramePlan, feed: Feed, indices: Iterable[int]) -> None:
    """Draw each frame the plan shows once, in order; the palette samples early, one after each of the
    first frames (which the other encoders are already working on), each kept until the loop reaches it."""
    drawn: dict[int, np.ndarray] = {}
    samples: dict[int, np.ndarray] = {}
    shown, pixels = -1, np.empty(0)
    for position, index in enumerate(int(index) for index in indices):
        if index != shown:
            found = drawn.pop(index, None)  # a copy: the encoders read it while the next frame is drawn
            pixels = found if found is not None else figure.frame(index).copy()
            shown = index
            if index in plan.samples:
                samples[index] = pixels
        feed.write(position, pixels)
        if feed.waiting:
            unsampled = [pick for pick in plan.samples if pick not in samples]
            if unsampled:
                samples[unsampled[0]] = drawn[unsampled[0]] = figure.frame(unsampled[0]).copy()
            if len(samples) == len(plan.samples):
                feed.samples_drawn([samples[pick] for pick in plan.samples])


def _with_progress(indices: np.ndarray, lesson: str) -> Iterable:
    from tqdm import tqdm  # only when shown: even a disabled bar starts tqdm's monitor thread and lock

    return tqdm(indices, desc=f"render {lesson}", unit="frame", leave=False, disable=None)  # None: not on a non-TTY


def _animation(recording: Recording, **options: Any) -> Any:
    from animate.render.animation import animation  # matplotlib.animation: only for those who ask

    return animation(recording, **options)


def _notebook_html(recording: Recording) -> str:
    """A playable, looping animation for Jupyter: the HTML format's snippet."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        [path] = render(recording, Path(folder) / "animation.html")
        return path.read_text()


register_presenter("animation", _animation)
register_presenter("html", _notebook_html)
