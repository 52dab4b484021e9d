"""Fast frame drawing: the one door to everything that draws frames by reaching under matplotlib.

A frame restores the figure's still background and draws only what changes (blitting, public API).
On top of that, four tricks make the changing part cheap: text from cached glyphs (``glyphs``), a
changing one-line text placed once per set of metrics (``one_line_text``), artists that hold still
drawn as cached images (``sprites``) and maps resampled by two interpolation passes
(``map_image``); ``tick_memo`` makes building a figure cheaper. The first two and the last use
private matplotlib names (listed in ``private_api``), so each trick is probed once, at the first
render, and used only if this matplotlib has what it needs and it draws what matplotlib draws.
A trick that fails its probe is left out and matplotlib draws that part itself: the same picture,
slower. That is said once, in debug output (logger ``animate.render.fast``).

``NN_ANIMATE_FAST_DRAWING=0`` in the environment (or ``Drawing.plain()``) turns every trick off,
for tests and bug reports. The renderer uses only ``drawing()`` and the ``Drawing`` it returns.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import os
from dataclasses import dataclass, fields
from typing import Any, ContextManager

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

SWITCH = "NN_ANIMATE_FAST_DRAWING"  # "0": draw every frame with matplotlib alone
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Drawing:
    """Which tricks a figure's frames are drawn with; all False is matplotlib's own blitting."""

    glyphs: bool = False
    one_line_text: bool = False
    sprites: bool = False
    map_image: bool = False
    tick_memo: bool = False

    @classmethod
    def plain(cls) -> "Drawing":
        return cls()

    @property
    def tricks(self) -> list[str]:
        return [field.name for field in fields(self) if getattr(self, field.name)]

    def canvas(self, figure: Figure) -> FigureCanvasAgg:
        """The figure's Agg canvas: with text from cached glyphs, or matplotlib's own."""
        if self.glyphs:
            from animate.render.fast.glyphs import GlyphCachingCanvas

            return GlyphCachingCanvas(figure)
        return FigureCanvasAgg(figure)

    def building(self, figure: Figure) -> ContextManager[None]:
        """Wrap the figure's first draw (its layout): ticks worked out once per axis state, or as usual."""
        if self.tick_memo:
            from animate.render.fast.tick_memo import ticks_worked_out_once

            return ticks_worked_out_once(figure)
        return contextlib.nullcontext()

    def drawers(self, animated: list[Artist], unchanging: list[Artist], renderer: Any) -> list[Any]:
        """One object per animated artist whose ``draw(renderer)`` draws it onto a restored background."""
        drawers: list[Any] = list(animated)
        if self.sprites:
            from animate.render.fast.sprites import sprite_drawers

            drawers = sprite_drawers(animated, unchanging, renderer, cached_glyphs=self.glyphs,
                                     one_line_text=self.one_line_text)
        if self.map_image:
            from animate.render.fast.map_image import MapImage, is_plain_map

            for index, artist in enumerate(animated):
                if is_plain_map(artist):
                    image = MapImage(artist)
                    if image.draws_as_matplotlib(renderer):
                        drawers[index] = image
        return drawers


def drawing(fast: bool = True) -> Drawing:
    """The tricks to draw with: those this matplotlib passed the probe for, none when ``fast`` is False
    or the environment's switch says 0."""
    if not fast:
        return Drawing.plain()
    if os.environ.get(SWITCH, "").strip() == "0":
        _say_switched_off()
        return Drawing.plain()
    return probe()


@functools.lru_cache(maxsize=1)
def _say_switched_off() -> None:
    log.debug("fast drawing: every trick is off (%s=0); matplotlib draws every frame", SWITCH)


@functools.lru_cache(maxsize=1)
def probe() -> Drawing:
    """Each trick's check, once a process: its private names are here, and it draws what matplotlib draws."""
    from animate.render.fast import checks

    passed = {}
    for trick, check in checks.CHECKS.items():
        try:
            reason = check()
        except Exception as error:  # noqa: BLE001 - another matplotlib may fail in any way; the reason is logged
            reason = f"{type(error).__name__}: {error}"
        passed[trick] = reason is None
        if reason is not None:
            import matplotlib

            log.debug("fast drawing: %s is off under matplotlib %s (%s); matplotlib draws that part itself",
                      trick, matplotlib.__version__, reason)
    return Drawing(**passed)
