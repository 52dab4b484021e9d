"""The probe's checks, one per trick: None when the trick may be used here, else why not.

A trick that reaches private names is checked twice: its names are all present (``private_api``),
and on a small figure it draws exactly the pixels matplotlib draws (a name can stay and change its
meaning). Each check costs a few milliseconds, once a process.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from animate.render.fast.private_api import missing

SAMPLES = ("step 12 / 340", "w = +0.12", "step 12 / 340")  # the last again: drawn from what was cached
Drawer = Callable[[Any], None]  # draws its artist onto the renderer it is given


def _missing(trick: str) -> str | None:
    gone = missing(trick)
    return f"missing {', '.join(gone)}" if gone else None


def _frames(canvas_class: type, boxed: bool, draw: Callable[[Text], Drawer] | None = None) -> list[np.ndarray]:
    """A small figure's pixels with each sample string in an animated text (a bold monospace counter,
    or a boxed readout) drawn over its still background and label, by blitting."""
    figure = Figure(figsize=(1.6, 0.5), dpi=100)
    figure.text(0.03, 0.6, "x, feature 1", fontsize=9)
    boxed_style = {"fontsize": 8, "bbox": {"facecolor": "white", "alpha": 0.9, "edgecolor": "none", "pad": 2}}
    style: dict[str, Any] = boxed_style if boxed else {"fontsize": 10, "family": "monospace", "fontweight": "bold"}
    text = figure.text(0.03, 0.15, "", animated=True, **style)
    canvas = canvas_class(figure)
    canvas.draw()
    background = canvas.copy_from_bbox(figure.bbox)
    renderer = canvas.get_renderer()
    drawer = draw(text) if draw else text.draw
    frames = []
    for string in SAMPLES:
        canvas.restore_region(background)
        text.set_text(string)
        drawer(renderer)
        frames.append(np.asarray(canvas.buffer_rgba()).copy())
    return frames


def _differs(ours: list[np.ndarray], theirs: list[np.ndarray]) -> str | None:
    for string, a, b in zip(SAMPLES, ours, theirs, strict=True):
        if not np.array_equal(a, b):
            return f"draws {string!r} unlike matplotlib"
    return None


def glyphs() -> str | None:
    from animate.render.fast.glyphs import GlyphCachingCanvas

    return _missing("glyphs") or _differs(_frames(GlyphCachingCanvas, boxed=False),
                                          _frames(FigureCanvasAgg, boxed=False))


def one_line_text() -> str | None:
    from animate.render.fast.one_line_text import OneLineText

    reason = _missing("one_line_text")
    if reason:
        return reason
    drawers = []

    def placed_once(text: Text) -> Drawer:
        drawers.append(OneLineText(text))
        return drawers[-1].draw

    ours = _frames(FigureCanvasAgg, True, placed_once)
    if any(drawer.matplotlib_lays_out for drawer in drawers):
        return "Text._get_layout answers in another shape"
    return _differs(ours, _frames(FigureCanvasAgg, True))


def tick_memo() -> str | None:
    return _missing("tick_memo")


def public_only() -> str | None:
    """Sprites and map images draw through the renderer's public ``draw_image``: nothing to probe here.
    Each map image is checked against matplotlib's own drawing of it when its figure is built
    (``MapImage.draws_as_matplotlib``): where its edges fall depends on the axes and the version."""
    return None


CHECKS: dict[str, Callable[[], str | None]] = {
    "glyphs": glyphs,
    "one_line_text": one_line_text,
    "sprites": public_only,
    "map_image": public_only,
    "tick_memo": tick_memo,
}
