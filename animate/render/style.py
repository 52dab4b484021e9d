"""The matplotlib settings a render is drawn under: isolated from the user's, or the style they ask for.

A notebook that called ``plt.style.use("ggplot")`` or set ``rcParams["font.size"] = 14`` must not
half-change our animation (fonts yes, background no, texts colliding): by default every render is
drawn under matplotlib's defaults plus our theme, whatever the user's settings, and leaves them as
they were. ``style=`` (a style name, a style file, a dict of rcParams, or a list of these) is
applied wholly on top: its background, grid and fonts, and its colours where it has them, with the
theme's own colours (captions, boxes, the data's greys) worked out again from its background and
text, and every font size we choose scaled with its ``font.size``.
"""
from __future__ import annotations

import contextlib
import dataclasses
import logging
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence, Union

import matplotlib
import matplotlib.style
from matplotlib import RcParams, colors

from animate.errors import RenderError
from animate.render.theme import Theme

Style = Union[str, Path, Mapping[str, Any], Sequence[Union[str, Path, Mapping[str, Any]]]]
BASE_POINTS = 10.0  # matplotlib's default font.size, which our font sizes are written for
# Settings a frame reads when it is drawn (fonts are looked up, paths simplified, glyphs hinted then),
# not only when the figure is built: frames are drawn under the build's values of these.
DRAWN_WITH = ("font.", "text.", "mathtext.", "path.", "agg.", "hatch.", "lines.", "image.")


def _describe(style: Any) -> str:
    return f"'{style}'" if isinstance(style, (str, Path)) else type(style).__name__


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _logged_by_matplotlib() -> Iterator[list[str]]:
    """What matplotlib logs at WARNING within the block, kept from the user's stderr."""
    logger, collector = logging.getLogger("matplotlib"), _Collector()
    propagates = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagates


def _style_part(part: Any) -> Any:
    """One style of a list as ``matplotlib.style.use`` takes it: a known name, a file that exists, a dict."""
    if isinstance(part, Path) or (isinstance(part, str) and ("/" in part or part.endswith(".mplstyle")
                                                             or Path(part).is_file())):
        path = Path(part).expanduser()
        if not path.is_file():
            raise RenderError(f"style file '{part}' does not exist")
        return str(path)
    if isinstance(part, str) and part not in matplotlib.style.available and part != "default":
        names = sorted(name for name in matplotlib.style.available if not name.startswith("_"))  # 3.8 lists its tests'
        raise RenderError(f"unknown style '{part}'; give a style file or one of: {', '.join(names)}")
    if isinstance(part, Mapping):
        unknown = [key for key in part if key not in matplotlib.rcParams]
        if unknown:
            raise RenderError(f"style dict: '{unknown[0]}' is not a matplotlib setting (rcParams key)")
    elif not isinstance(part, str):
        raise RenderError(f"a style is a name, a file or a dict of rcParams, not {_describe(part)}")
    return part


def _changed_by(part: Any) -> dict[str, Any]:
    """The rcParams one style changes from matplotlib's defaults."""
    try:
        # matplotlib only logs a style file's bad key or value, in several lines, and skips it.
        with matplotlib.rc_context(), _logged_by_matplotlib() as complaints:
            matplotlib.style.use("default")
            before = dict(matplotlib.rcParams)
            matplotlib.style.use(part)
            after = dict(matplotlib.rcParams)
    except (OSError, KeyError, ValueError, TypeError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise RenderError(f"style {_describe(part)} cannot be used: {reason}") from None
    bad = [complaint.strip().splitlines()[0] for complaint in complaints if complaint.strip()]  # a bad key, value, line
    if bad:
        raise RenderError(f"style {_describe(part)} cannot be used: {bad[0]}")
    return {key: value for key, value in after.items() if before.get(key) != value}


def style_settings(style: Style | None) -> dict[str, Any]:
    """The rcParams a style sets (nothing for None), or a one-line RenderError naming what is wrong."""
    if style is None:
        return {}
    if isinstance(style, (str, Path, Mapping)):
        parts = [style]
    elif isinstance(style, (list, tuple)):
        parts = list(style)
    else:
        raise RenderError(f"a style is a name, a file or a dict of rcParams, not {_describe(style)}")
    settings: dict[str, Any] = {}
    for part in parts:
        settings.update(_changed_by(_style_part(part)))
    return settings


def _mix(colour: Any, other: Any, share: float) -> str:
    """``colour`` moved ``share`` of the way towards ``other``."""
    a, b = colors.to_rgb(colour), colors.to_rgb(other)
    red, green, blue = (x + (y - x) * share for x, y in zip(a, b, strict=True))
    return colors.to_hex((red, green, blue))


def styled_theme(theme: Theme, settings: Mapping[str, Any]) -> Theme:
    """``theme`` with what a style sets: its text and background (and the greys made from them), its
    run colours where it has a colour cycle, and its font size."""
    changes: dict[str, Any] = {}
    # Our own sizes (titles, notes, the legend) follow the style's text: its font.size, else the size
    # of its axis labels where it gives one in points (seaborn's "poster" does).
    size = settings.get("font.size")
    if size is None and isinstance(settings.get("axes.labelsize"), (int, float)):
        size = settings["axes.labelsize"]
    if size is not None:
        changes["font_scale"] = float(size) / BASE_POINTS
    background = settings.get("axes.facecolor", settings.get("figure.facecolor"))
    text = settings.get("text.color", settings.get("axes.labelcolor"))
    if background is not None or text is not None:
        # A style that sets one of the two means the other as matplotlib's default (bmh's grey ground
        # with black text), not as our theme's (the dark theme's light text would vanish on it).
        defaults = matplotlib.rcParamsDefault
        background = colors.to_hex(background if background is not None else defaults["axes.facecolor"])
        text = colors.to_hex(text if text is not None else defaults["text.color"])
        changes.update(background=background, text=text, box=background, muted=_mix(text, background, 0.35),
                       grid=_mix(background, text, 0.12), spine=_mix(text, background, 0.2),
                       shade=_mix(background, text, 0.06), data=_mix(text, background, 0.45),
                       target=_mix(text, background, 0.15), dead=_mix(text, background, 0.6))
    for key, field in (("grid.color", "grid"), ("axes.edgecolor", "spine")):
        if key in settings:
            changes[field] = colors.to_hex(settings[key])
    cycle = settings.get("axes.prop_cycle")
    if cycle is not None and "color" in cycle.keys:
        changes["run_colours"] = tuple(colors.to_hex(c) for c in cycle.by_key()["color"])
    return dataclasses.replace(theme, **changes) if changes else theme


SIZES = ("font.size", "axes.labelsize", "axes.titlesize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize",
         "legend.title_fontsize", "figure.titlesize", "figure.labelsize")


def smaller_text(settings: Mapping[str, Any], share: float) -> dict[str, Any]:
    """A style's settings with all its text at ``share`` of its size (sizes in points scaled; sizes such
    as "large" follow font.size, which is scaled too)."""
    smaller = dict(settings)
    smaller["font.size"] = float(settings.get("font.size", matplotlib.rcParamsDefault["font.size"])) * share
    for key in SIZES[1:]:
        if isinstance(settings.get(key), (int, float)):
            smaller[key] = settings[key] * share
    return smaller


def drawing_settings(theme: Theme, settings: Mapping[str, Any]) -> list[Any]:
    """What a render is drawn under, in order: matplotlib's defaults, the theme, the user's style."""
    return ["default", theme.rc(), dict(settings)]


@contextlib.contextmanager
def drawn_under(layers: list[Any]) -> Iterator[None]:
    """Within the block, matplotlib's settings are ``layers`` (see ``drawing_settings``); after it, the
    user's own again, whatever they were."""
    with matplotlib.style.context(layers):
        yield


_drawn_with_keys: list[str] = []


def draw_time_settings() -> dict[str, Any]:
    """The current values of the settings a frame reads while it is drawn (``DRAWN_WITH``): checked
    before every frame, so read without RcParams' per-key checks."""
    if not _drawn_with_keys:
        _drawn_with_keys.extend(key for key in matplotlib.rcParams if key.startswith(DRAWN_WITH))
    values: Callable[[RcParams, Any], Any] = dict.__getitem__
    return {key: values(matplotlib.rcParams, key) for key in _drawn_with_keys}
