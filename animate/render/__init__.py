"""Turn a recording into GIF, MP4 and PNG files.

Rendering never imports TensorFlow: re-rendering a blog post's animation should take seconds.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from animate.errors import RenderError
from animate.files import atomic_path
from animate.recording import Recording
from animate.render.figure import AnimatedFigure, FigureOptions, figure_options
from animate.render.style import Style
from animate.render.writers import WRITERS, GifWriter, ThreadedWriter, parse_bytes, writer_for

DEFAULT_FPS = 20
# The GIF plays fewer frames than the video: these charts move slowly enough that 12.5 frames a second
# (80 ms, a whole number of the GIF's 10 ms ticks) reads as smoothly, at about two thirds of the bytes.
# Maps change every pixel of a big image each frame, so theirs plays at 10 (see bench/render_floor.py).
GIF_FPS = {"curves": 12.5, "map": 10.0}
# Curves are a few flat colours with anti-aliased edges: 64 show no loss. A colour map's gradient
# bands visibly below ~112.
GIF_COLOURS = {"curves": 64, "map": 112}
SHORTEST_SECONDS, LONGEST_SECONDS = 3.0, 10.0  # default length: long enough to follow, short enough to loop
PALETTE_SAMPLES = 8
MIN_GIF_COLOURS = 3  # ffmpeg's palettegen refuses 2 (one entry is kept for transparency)
QUEUE_FRAMES = 16  # frames waiting for each encoder: ~22 MB at 720x480, enough to ride out a slow frame

__all__ = ["render", "video_frame_indices", "gif_frame_positions", "output_paths", "AnimatedFigure", "FigureOptions"]


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


def gif_frame_positions(video_frames: int, *, fps: float, gif_fps: float) -> np.ndarray:
    """Which of the video's frames the GIF shows: the one nearest each GIF frame's time, so the GIF
    lasts as long as the video and never needs a frame the video does not draw."""
    gif_fps = min(gif_fps, fps)
    count = max(1, int(round(video_frames * gif_fps / fps)))
    return np.minimum(np.round(np.arange(count) * fps / gif_fps).astype(int), video_frames - 1)


def output_paths(out: str | Path, formats: Iterable[str] | None = None) -> list[tuple[str, Path]]:
    """``out`` with its suffix naming the format, or a stem plus a list of formats."""
    out = Path(out)
    if not out.name or out.name in (".", ".."):
        raise RenderError(f"output '{out}' names no file; give a path such as anim or anim.gif")
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


def _with_progress(indices: np.ndarray, lesson: str) -> Iterable:
    from tqdm import tqdm  # only when shown: even a disabled bar starts tqdm's monitor thread and lock

    return tqdm(indices, desc=f"render {lesson}", unit="frame", leave=False, disable=None)  # None: not on a non-TTY


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
    style: Style | None = None,
    gif_fps: float | None = None,
    gif_colours: int | None = None,
    gif_max_bytes: int | str | None = None,
    say: Callable[[str], None] | None = None,
) -> list[Path]:
    """Render ``recording`` (a Recording or a path to one) to ``out``; the format follows the suffix.

    With ``formats`` (e.g. ``("gif", "mp4", "png")``) one file per format is written beside ``out``.
    All formats are drawn in a single pass: each frame is drawn once and handed to every encoder,
    each fed from a thread of its own. Each file appears atomically, whole or not at all (if one
    fails, none is written). Returns the paths written.

    The picture is chosen from the recording (curves for one input feature, maps for two or more;
    regression values, P(positive class) or class regions for classifiers); ``picture`` forces one
    of ``pictures.KINDS``. ``title``, ``xlabel``, ``ylabel`` and ``class_names`` override the
    recording's own; ``theme`` is ``"light"`` or ``"dark"``. A render is drawn under matplotlib's
    defaults, never the caller's settings (left as they were); ``style`` (a style name, a style
    file, a dict of rcParams, or a list of these) is applied wholly over the theme.

    The GIF has a frame rate and palette of its own (``gif_fps``, ``gif_colours``; by default
    ``GIF_FPS`` and ``GIF_COLOURS`` for the picture), never above ``fps``. ``gif_max_bytes``
    (e.g. ``"1MB"``) lowers both until the GIF fits, reports the choice through ``say``, and
    raises ``RenderError`` if even the smallest try does not fit.
    """
    if not isinstance(recording, Recording):
        recording = Recording.load(recording)
    targets = output_paths(out, formats)
    indices = video_frame_indices(len(recording.steps), fps=fps, duration=duration, hold=hold)
    budget = parse_bytes(gif_max_bytes) if gif_max_bytes is not None else None
    if gif_fps is not None and not 0 < gif_fps <= 100:
        raise RenderError(f"GIF fps must be between 0 (exclusive) and 100, got {gif_fps}")
    if gif_colours is not None and not MIN_GIF_COLOURS <= gif_colours <= 256:
        raise RenderError(f"GIF colours must be between {MIN_GIF_COLOURS} and 256, got {gif_colours}")
    figure = AnimatedFigure(recording, figure_options(
        width=width, height=height, dpi=dpi, layout=layout, title=title, xlabel=xlabel, ylabel=ylabel,
        class_names=class_names, theme=theme, picture=picture, style=style))
    if figure.font_note and say is not None:
        say(figure.font_note)
    look = "map" if figure.picture.is_map else "curves"
    gif_fps = min(gif_fps or GIF_FPS[look], fps)
    gif_colours = gif_colours or GIF_COLOURS[look]
    streaming = any(name != "png" for name, _ in targets)  # every other format is a video
    if not streaming:  # a poster alone needs one frame, not the whole animation
        indices = indices[-1:]
    # Each writer's share of the video frames, as a count per position (a held frame repeats).
    everything = np.ones(len(indices), dtype=int)
    shares = {name: everything for name, _ in targets}
    shares["png"] = np.bincount([len(indices) - 1], minlength=len(indices))
    shares["gif"] = np.bincount(gif_frame_positions(len(indices), fps=fps, gif_fps=gif_fps), minlength=len(indices))
    # The GIF's palette is fitted to frames spread over the animation, so the GIF starts once they are
    # drawn: one after each of the first video frames, which the other encoders are already working on.
    # Each is kept for when the loop reaches it, so no frame is drawn twice.
    wants_gif = any(name == "gif" for name, _ in targets)
    picks: list[int] = []
    if wants_gif:
        spread = np.unique(np.round(np.linspace(0, len(recording.steps) - 1, PALETTE_SAMPLES)).astype(int))
        picks = [int(i) for i in spread if i in set(indices.tolist())] or [int(indices[-1])]
    drawn: dict[int, np.ndarray] = {}
    samples: dict[int, np.ndarray] = {}

    def make(name: str, temporary: Path) -> Callable[[], object]:
        if name == "gif":
            palette_frames = [samples[pick] for pick in picks]
            return lambda: GifWriter(temporary, figure.size, gif_fps, palette_frames, colours=gif_colours,
                                     max_bytes=budget, say=say)
        return lambda: writer_for(name)(temporary, figure.size, fps, [])

    with contextlib.ExitStack() as stack:
        temporaries = {name: stack.enter_context(atomic_path(path)) for name, path in targets}
        writers: list[tuple[ThreadedWriter, np.ndarray, list[bool]]] = []

        def start(name: str) -> ThreadedWriter:
            writer = ThreadedWriter(make(name, temporaries[name]), temporaries[name], depth=QUEUE_FRAMES)
            finished = [False]
            stack.callback(lambda w=writer, f=finished: None if f[0] else w.abort())
            writers.append((writer, shares[name], finished))
            return writer

        poster_writer = None
        for name, _ in targets:
            if name != "gif":
                writer = start(name)
                poster_writer = writer if name == "png" else poster_writer

        def poster() -> np.ndarray:
            """The last frame drawn afresh: the same bytes whatever else this render writes."""
            return figure.frame(int(indices[-1]), still=True).copy()

        gif: ThreadedWriter | None = None
        waiting_for_gif: list[np.ndarray] = []  # the GIF's frames so far, until its palette's samples are drawn
        shown, pixels = -1, None
        for position, index in enumerate(_with_progress(indices, recording.lesson) if progress else indices):
            if index != shown:
                pixels = drawn.pop(int(index), None)
                if pixels is None:  # a copy: the encoders read it while the next frame is drawn
                    pixels = figure.frame(int(index)).copy()
                shown = index
                if int(index) in picks:
                    samples[int(index)] = pixels
            for writer, share, _ in writers:
                for _ in range(share[position]):
                    writer.write(poster() if writer is poster_writer else pixels)
            if wants_gif and gif is None:
                waiting_for_gif += [pixels] * int(shares["gif"][position])
                unsampled = [pick for pick in picks if pick not in samples]
                if unsampled:
                    samples[unsampled[0]] = drawn[unsampled[0]] = figure.frame(unsampled[0]).copy()
                if len(samples) == len(picks):
                    gif = start("gif")
                    for frame in waiting_for_gif:
                        gif.write(frame)
                    waiting_for_gif = []
        for writer, _, _ in writers:  # every encoder finishes its file at once, in its own thread
            writer.close()
        for writer, _, finished in writers:
            writer.finish()
            finished[0] = True
    return [path for _, path in targets]
