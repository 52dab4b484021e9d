"""Turn a recording into GIF, MP4 and PNG files.

Rendering never imports TensorFlow: re-rendering a blog post's animation should take seconds.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from tqdm import tqdm

from animate.errors import RenderError
from animate.files import atomic_path
from animate.recording import Recording
from animate.render.figure import AnimatedFigure, FigureOptions
from animate.render.writers import WRITERS, writer_for

DEFAULT_FPS = 20
SHORTEST_SECONDS, LONGEST_SECONDS = 3.0, 10.0  # default length: long enough to follow, short enough to loop
PALETTE_SAMPLES = 8

__all__ = ["render", "video_frame_indices", "output_paths", "AnimatedFigure", "FigureOptions"]


def video_frame_indices(frame_count: int, *, fps: float, duration: float | None = None, hold: float = 1.0) -> np.ndarray:
    """Which recording frame each video frame shows: subsampled or held to fit ``duration`` seconds,
    then the last frame held for ``hold`` seconds so the viewer sees the result before the loop restarts."""
    if not fps > 0 or fps > 100:
        raise RenderError(f"fps must be between 0 (exclusive) and 100, got {fps}")
    if duration is None:
        duration = min(max(frame_count / fps, SHORTEST_SECONDS), LONGEST_SECONDS)
    if not duration > 0 or duration > 600:
        raise RenderError(f"duration must be between 0 (exclusive) and 600 seconds, got {duration}")
    if not hold >= 0 or hold > 60:
        raise RenderError(f"hold must be between 0 and 60 seconds, got {hold}")
    count = max(1, int(round(duration * fps)))
    indices = np.round(np.linspace(0, frame_count - 1, count)).astype(int)
    held = np.full(int(round(hold * fps)), frame_count - 1, dtype=int)
    return np.concatenate([indices, held])


def output_paths(out: str | Path, formats: Iterable[str] | None = None) -> list[tuple[str, Path]]:
    """``out`` with its suffix naming the format, or a stem plus a list of formats."""
    out = Path(out)
    suffix = out.suffix.lower().lstrip(".")
    if formats is None:
        if not suffix:
            raise RenderError(f"output '{out}' has no suffix; use .gif, .mp4 or .png, or give formats")
        writer_for(suffix)
        return [(suffix, out)]
    names = [name.strip().lower().lstrip(".") for name in formats if name.strip()]
    if not names:
        raise RenderError(f"no output format given; choose from: {', '.join(WRITERS)}")
    for name in names:
        writer_for(name)
    stem = out.with_suffix("") if suffix in WRITERS else out
    return [(name, stem.with_name(f"{stem.name}.{name}")) for name in dict.fromkeys(names)]


def render(
    recording: Recording | str | Path,
    out: str | Path,
    *,
    formats: Sequence[str] | None = None,
    fps: float = DEFAULT_FPS,
    duration: float | None = None,
    hold: float = 1.0,
    width: int = 720,
    height: int = 480,
    dpi: int = 100,
    layout: str | None = None,
    progress: bool = False,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    class_names: Sequence[str] | None = None,
    theme: str = "light",
    picture: str | None = None,
) -> list[Path]:
    """Render ``recording`` (a Recording or a path to one) to ``out``; the format follows the suffix.

    With ``formats`` (e.g. ``("gif", "mp4", "png")``) one file per format is written beside ``out``.
    All formats are drawn in a single pass: each frame is drawn once and streamed to every encoder.
    Each file appears atomically, whole or not at all. Returns the paths written.

    The picture is chosen from the recording (curves for one input feature, maps for two or more;
    regression values, P(positive class) or class regions for classifiers); ``picture`` forces one
    of ``pictures.KINDS``. ``title``, ``xlabel``, ``ylabel`` and ``class_names`` override the
    recording's own; ``theme`` is ``"light"`` or ``"dark"``.
    """
    if not isinstance(recording, Recording):
        recording = Recording.load(recording)
    targets = output_paths(out, formats)
    indices = video_frame_indices(len(recording.steps), fps=fps, duration=duration, hold=hold)
    if isinstance(class_names, str):
        class_names = [name.strip() for name in class_names.split(",")]
    figure = AnimatedFigure(recording, FigureOptions(
        width=width, height=height, dpi=dpi, layout=layout, title=title, xlabel=xlabel, ylabel=ylabel,
        class_names=class_names, theme=theme, picture=picture))
    streaming = any(name != "png" for name, _ in targets)  # every other format is a video
    if not streaming:  # a poster alone needs one frame, not the whole animation
        indices = indices[-1:]
    samples: list[np.ndarray] = []
    if any(name == "gif" for name, _ in targets):
        picks = np.unique(np.round(np.linspace(0, len(recording.steps) - 1, PALETTE_SAMPLES)).astype(int))
        samples = [figure.frame(int(i)).copy() for i in picks]

    with contextlib.ExitStack() as stack:
        writers = []
        for name, path in targets:
            temporary = stack.enter_context(atomic_path(path))
            writer = writer_for(name)(temporary, figure.size, fps, samples)
            finished = [False]
            stack.callback(lambda w=writer, f=finished: None if f[0] else w.abort())
            writers.append((writer, finished))
        shown = -1
        for index in tqdm(indices, desc=f"render {recording.lesson}", unit="frame", disable=not progress or None,
                          leave=False):
            if index != shown:
                pixels = figure.frame(int(index))
                shown = index
            for writer, _ in writers:
                writer.write(pixels)
        for writer, finished in writers:
            writer.finish()
            finished[0] = True
    return [path for _, path in targets]
