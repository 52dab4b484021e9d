"""Every render option, declared once: its type, its default, its bounds and what it does.

``render()``, ``Recording.animation()``, the live view and the CLI all take a ``RenderOptions``
(or its fields as keywords). The CLI builds its ``--options`` from these fields' metadata, so an
option's help text, default and bounds are written here and nowhere else; ``__post_init__``
checks the same bounds for callers of the Python API. Plain data: nothing here draws, and this
module imports neither matplotlib nor click.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence, Union

from animate.errors import RenderError
from animate.view import LAYOUTS, PICTURES

THEMES = ("light", "dark")  # the renderer's themes (animate/render/theme.py)
FRAME_SPACINGS = ("linear", "log", "change")  # how the video's frames are spread over the recording (frames.py)
STEP_SCALES = ("linear", "log")  # the curves' step axis; log is drawn symlog, so that step 0 stays on it
MACRO_BLOCK = 16  # H.264 encodes whole 16x16 blocks: sizes that are multiples need no padding
MIN_GIF_COLOURS = 3  # ffmpeg's palettegen refuses 2 (one entry is kept for transparency)
DEFAULT_FPS = 20
BYTE_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "kib": 2**10, "mib": 2**20, "gib": 2**30}

# A style: a name, a .mplstyle file, a dict of rcParams, or a list of these (animate/render/style.py).
Style = Union[str, Path, Mapping[str, Any], Sequence[Union[str, Path, Mapping[str, Any]]]]


def parse_bytes(text: str | int) -> int:
    """``1MB``, ``1.5 MB``, ``800kB``, ``2MiB`` or a plain number of bytes, as an int (kB = 1000 bytes)."""
    import re

    if isinstance(text, int) and not isinstance(text, bool):
        size = text
    else:
        match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([a-zA-Z]*)\s*", str(text))
        unit = match.group(2).lower() if match else None
        if match is None or unit not in BYTE_UNITS:
            raise RenderError(f"'{text}' is not a size; give e.g. 1MB, 800kB or 2MiB")
        size = int(float(match.group(1)) * BYTE_UNITS[unit])
    if size <= 0:
        raise RenderError(f"a GIF byte budget must be more than 0 bytes, got '{text}'")
    return size


def parse_names(text: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """Class names as "a,b,c" (the CLI) or a list (the API)."""
    if text is None:
        return None
    names = [name.strip() for name in text.split(",")] if isinstance(text, str) else [str(name) for name in text]
    if not all(names):
        raise RenderError(f"'{text}' has an empty name; give names separated by commas, e.g. cat,dog")
    return tuple(names)


def check_style(style: Style | None) -> Style | None:
    """Checked before anything is trained or written: an unknown style costs the user nothing."""
    if style is not None:
        from animate.render.style import style_settings  # imports matplotlib: only when a style is given

        style_settings(style)
    return style


def _frame_side(value: int) -> int:
    if value % MACRO_BLOCK:
        raise RenderError(f"{value} is not a multiple of {MACRO_BLOCK} (H.264 encodes {MACRO_BLOCK}-pixel "
                          f"blocks); try {round(value / MACRO_BLOCK) * MACRO_BLOCK or MACRO_BLOCK}")
    return value


def _theme(value: Any) -> Any:
    """A theme's name, or a ``Theme`` of one's own (``animate.render.theme``)."""
    if isinstance(value, str):
        if value not in THEMES:
            raise RenderError(f"unknown theme '{value}'; choose from: {', '.join(THEMES)}")
    elif not callable(getattr(value, "run_colour", None)):
        raise RenderError(f"theme must be one of {', '.join(THEMES)} or a Theme, got {value!r}")
    return value


def _option(default: Any, help: str, *, low: float | None = None, high: float | None = None,
            low_open: bool = False, whole: bool = False, choices: Sequence[str] | None = None,
            parse: Callable[[Any], Any] | None = None, what: str | None = None, unit: str = "",
            metavar: str | None = None, one_animation: bool = False, render_only: bool = False) -> Any:
    """A field with what the CLI and the checks need: bounds, choices, a parser for text.
    ``one_animation``: words for one animation (a title), not for every lesson at once (``all``).
    ``render_only``: offered by ``nn-animate render`` alone, as ``run`` and ``all`` have an option of
    the same name that means something else (their ``--frames`` is the record schedule)."""
    return field(default=default, metadata={
        "help": help, "low": low, "high": high, "low_open": low_open, "whole": whole, "choices": choices,
        "parse": parse, "what": what, "unit": unit, "metavar": metavar,
        "one_animation": one_animation, "render_only": render_only})


@dataclass(frozen=True)
class RenderOptions:
    """How a recording is drawn and encoded. None means: the recording's own choice, or the default."""

    fps: float = _option(DEFAULT_FPS, "Frames per second of the MP4 (and the GIF's upper limit).",
                         low=0, high=100, low_open=True)
    duration: float | None = _option(None, "Length in seconds before the final pause (default: 3 to 10 s, "
                                           "from the frame count).", low=0, high=600, low_open=True)
    hold: float = _option(1.0, "Seconds the last frame is held before the animation loops.", low=0, high=60)
    frames: str | None = _option(
        None, "Which recorded frames the video shows: evenly spaced (linear), evenly in log(step) (log), or evenly "
              "along how much the picture changes, so that a long run's fast early learning gets most frames and a "
              "plateau few (change); the first and last are always shown (default: change for a recording of more "
              "than 4x the video's frames, else linear). Not the record schedule: that is run's --frames.",
        choices=FRAME_SPACINGS, what="frame spacing", render_only=True)
    step_scale: str | None = _option(None, "The loss and accuracy panels' step axis: linear, or log to spread out a "
                                           "long run's early steps (drawn symlog, so step 0 stays; default: the "
                                           "recording's view, else linear).", choices=STEP_SCALES,
                                     what="step scale")
    width: int = _option(720, f"Frame width in pixels, a multiple of {MACRO_BLOCK}.", low=160, high=3840,
                         whole=True, unit=" of pixels", parse=_frame_side)
    height: int = _option(480, f"Frame height in pixels, a multiple of {MACRO_BLOCK}.", low=160, high=2160,
                          whole=True, unit=" of pixels", parse=_frame_side)
    dpi: int = _option(100, "Dots per inch: the size of text and lines relative to the frame.", low=10, high=1000,
                       whole=True)
    theme: Any = _option("light", "Colours for a light or a dark page or slide.", choices=THEMES, parse=_theme)
    style: Style | None = _option(None, "A matplotlib style applied wholly over the theme: a name (ggplot, bmh, "
                                        "...) or a .mplstyle file (default: matplotlib's defaults, whatever your "
                                        "own settings).", parse=check_style, metavar="STYLE")
    layout: str | None = _option(None, "Runs in panels of their own (side_by_side) or in one panel (overlay); "
                                       "default: the recording's view, else side by side for up to 3 runs.",
                                 choices=LAYOUTS)
    picture: str | None = _option(None, "Force a picture kind (default: chosen from the recording).",
                                  choices=PICTURES, one_animation=True)
    title: str | None = _option(None, "Title above the animation (default: the lesson's message).", one_animation=True)
    xlabel: str | None = _option(None, "Label of the x axis (default: the recording's, else x).", one_animation=True)
    ylabel: str | None = _option(None, "Label of the y axis (default: the recording's, else y).", one_animation=True)
    class_names: tuple[str, ...] | None = _option(
        None, "Comma-separated names of a classifier's classes, in output order (e.g. woman,man).",
        parse=parse_names, metavar="A,B,...", one_animation=True)
    gif_fps: float | None = _option(None, "Frames per second of the GIF, at most --fps (default: 12.5 for curves, "
                                          "10 for maps).", low=0, high=100, low_open=True, what="GIF fps")
    gif_colours: int | None = _option(None, "Colours in the GIF's palette (default: 64 for curves, 112 for maps).",
                                      low=MIN_GIF_COLOURS, high=256, whole=True, what="GIF colours")
    gif_max_bytes: int | None = _option(None, "Largest GIF to write, e.g. 1MB or 800kB: lowers its frame rate and "
                                              "colours until it fits, says what it chose, and fails (writing "
                                              "nothing) if it cannot.", parse=parse_bytes, metavar="SIZE")

    def __post_init__(self) -> None:
        for option in dataclasses.fields(self):
            value = getattr(self, option.name)
            if value is not None:
                object.__setattr__(self, option.name, _checked(option, value))

    @classmethod
    def names(cls) -> list[str]:
        return [option.name for option in dataclasses.fields(cls)]

    @classmethod
    def of(cls, options: "RenderOptions | None" = None, **keywords: Any) -> "RenderOptions":
        """``options`` with ``keywords`` over it: the API's keyword arguments, refused in one line if unknown."""
        unknown = [name for name in keywords if name not in cls.names()]
        if unknown:
            raise RenderError(f"unknown render option '{unknown[0]}'; valid options: {', '.join(cls.names())}")
        base = options if options is not None else cls()
        return dataclasses.replace(base, **keywords) if keywords else base


def _checked(option: dataclasses.Field, value: Any) -> Any:
    """``value`` parsed and within the option's bounds, else a ``RenderError`` naming the option."""
    meta = option.metadata
    what = meta["what"] or option.name
    if meta["low"] is not None:
        value = _number(what, value, whole=meta["whole"], unit=meta["unit"])
    if meta["parse"] is not None:
        value = meta["parse"](value)
    low, high = meta["low"], meta["high"]
    if low is not None and not ((value > low if meta["low_open"] else value >= low) and value <= high):
        bounds = f"between {low:g}{' (exclusive)' if meta['low_open'] else ''} and {high:g}"
        raise RenderError(f"{what} must be {bounds}, got {value!r}")
    if meta["choices"] is not None and meta["parse"] is None and value not in meta["choices"]:
        raise RenderError(f"unknown {what} '{value}'; choose from: {', '.join(meta['choices'])}")
    return value


def _number(what: str, value: Any, *, whole: bool, unit: str) -> Any:
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Real) or (whole and not float(value).is_integer()):
        kind = f"a whole number{unit}" if whole else "a number"
        raise RenderError(f"{what} must be {kind}, got {value!r}")
    return int(float(value)) if whole else value
