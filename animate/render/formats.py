"""The output formats: a registry the writers add themselves to, saying what each needs.

As matplotlib's writers register under a name, each of ours registers with ``@register_format``
and declares what it needs from the frame pipeline: every frame of the animation or only the last
(drawn still: a poster), a frame rate of its own, palette samples drawn before its first frame.
``render()`` asks these questions and never names a format, so a new format is one class in
``writers.py``. Registered is not the same as available: an encoder can still fail to start, and
says so in one line when it does.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol, Sequence

import numpy as np

from animate.errors import RenderError
from animate.render.options import RenderOptions

EVERY, LAST = "every", "last"  # which frames a format is given


class FrameWriter(Protocol):
    """What the pipeline calls: frames in order, then ``finish`` (or ``abort``, which leaves nothing)."""

    path: Path

    def write(self, frame: np.ndarray) -> None: ...

    def finish(self) -> None: ...

    def abort(self) -> None: ...


@dataclass(frozen=True)
class WriterRequest:
    """Everything a writer may need, in one argument: a new need is a new field, not a new signature."""

    path: Path  # a temporary path, renamed to the output once every format has finished
    size: tuple[int, int]  # (width, height) in pixels
    fps: float  # the format's own frame rate (see ``Format.frame_rate``)
    samples: Sequence[np.ndarray]  # ``Format.palette_samples`` frames spread over the animation, else none
    options: RenderOptions
    look: str  # "curves" or "map": formats tune themselves to what is drawn
    say: Callable[[str], None] | None  # for a choice the user should hear of (a GIF fitted to a byte budget)


@dataclass(frozen=True)
class Format:
    """A registered format and what it needs from the pipeline."""

    name: str
    writer: type  # the writer class (``FrameWriter``), made with ``open(request)``
    frames: str = EVERY  # EVERY video frame (at ``frame_rate``), or only the LAST, drawn still
    palette_samples: int = 0  # frames spread over the animation that must be drawn before the first is written
    rate: Callable[[RenderOptions, str], float] | None = None  # its own frame rate from (options, look)
    help: str = ""

    def frame_rate(self, options: RenderOptions, look: str) -> float:
        """Never above the video's: a format only ever drops frames the video shows."""
        return options.fps if self.rate is None else min(self.rate(options, look), options.fps)

    def open(self, request: WriterRequest) -> FrameWriter:
        opener = getattr(self.writer, "open", None)
        if opener is not None:
            return opener(request)
        return self.writer(request.path, request.size, request.fps, request.samples)


FORMATS: dict[str, Format] = {}
DEFAULT_FORMATS = ("gif", "mp4", "png")


def register_format(name: str, *, frames: str = EVERY, palette_samples: int = 0,
                    rate: Callable[[RenderOptions, str], float] | None = None,
                    help: str = "") -> Callable[[type], type]:
    """Class decorator: the writer is made for files named ``*.name``."""
    if frames not in (EVERY, LAST):
        raise ValueError(f"frames must be '{EVERY}' or '{LAST}', got {frames!r}")

    def register(writer: type) -> type:
        FORMATS[name] = Format(name, writer, frames, palette_samples, rate, help)
        return writer
    return register


def format_named(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise RenderError(f"unknown format '{name}'; choose from: {', '.join(FORMATS)}") from None


def writer_for(name: str) -> Any:
    """The writer class registered for ``name``."""
    return format_named(name).writer


def output_paths(out: str | Path, formats: Iterable[str] | None = None) -> list[tuple[Format, Path]]:
    """``out`` with its suffix naming the format, or a stem plus a list of formats."""
    out = Path(out)
    if not out.name or out.name in (".", ".."):
        raise RenderError(f"output '{out}' names no file; give a path such as anim or anim.gif")
    suffix = out.suffix.lower().lstrip(".")
    if formats is None:
        if not suffix:
            raise RenderError(f"output '{out}' has no suffix; use .gif, .mp4 or .png, or give formats")
        return [(format_named(suffix), out)]
    names = [name.strip().lower().lstrip(".") for name in formats if name.strip()]
    if not names:
        raise RenderError(f"no output format given; choose from: {', '.join(FORMATS)}")
    chosen = [format_named(name) for name in dict.fromkeys(names)]
    stem = out.with_suffix("") if suffix in FORMATS else out
    return [(chosen_format, stem.with_name(f"{stem.name}.{chosen_format.name}")) for chosen_format in chosen]
