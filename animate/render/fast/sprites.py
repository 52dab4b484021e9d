"""Artists that look the same from frame to frame, drawn as a cached image instead of anew.

Some animated artists change rarely or never: a map's training points are animated only so they
stay above the changing map, a note keeps its text for the whole animation, a counter keeps its
text for many frames. Drawing them is most of a frame's cost on some lessons (400 edged markers,
a boxed note; ``bench/render_floor.py``). A ``Sprite`` renders its artist once onto a transparent canvas of
the figure's size, keeps the pixels it covered, and from then on lays them over the frame with one
``draw_image``: anti-aliased edges and the note boxes' transparency blend over whatever is below as
they would if drawn directly (to a shade; ``tests/test_render.py`` bounds the difference).
"""
from __future__ import annotations

from typing import Any, Callable, Hashable, cast

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.text import Text

from animate.render.fast.glyphs import GlyphCachingRenderer
from animate.render.fast.one_line_text import OneLineText


STEADY = 3  # frames a state must last before its image is made: making one costs ~3 direct draws


class Sprite:
    """Draws ``artist`` from a cached image while ``state()`` stays what it was when the image was made.

    A state is drawn directly until it has lasted ``STEADY`` frames; then its image is made and used
    until the state changes (a counter that changes every frame or two is never cached)."""

    def __init__(self, artist: Artist, scratch: RendererAgg, state: Callable[[], Hashable],
                 direct: Callable[[Any], None] | None = None) -> None:
        self.artist = artist
        self.scratch = scratch
        self.state = state
        self.direct = direct or artist.draw  # how a state not yet steady is drawn
        self.last_state: Hashable = None
        self.repeats = 0
        self.image: tuple[int, int, np.ndarray] | None = None

    def draw(self, renderer: Any) -> None:
        if not self.artist.get_visible():
            return
        state = self.state()
        if state != self.last_state:
            self.last_state, self.image, self.repeats = state, None, 0
        self.repeats += 1
        if self.image is None:
            if self.repeats < STEADY:
                self.direct(renderer)
                return
            self.image = self._render()
        left, bottom, pixels = self.image
        if pixels.size:
            gc = renderer.new_gc()
            renderer.draw_image(gc, left, bottom, pixels)
            gc.restore()

    def _render(self) -> tuple[int, int, np.ndarray]:
        """The artist's pixels on a transparent canvas, cut to where it drew, with its lower-left corner."""
        scratch = self.scratch
        scratch.clear()
        self.artist.draw(scratch)
        pixels = np.asarray(scratch.buffer_rgba())
        covered = pixels[..., 3] > 0
        rows, columns = np.flatnonzero(covered.any(axis=1)), np.flatnonzero(covered.any(axis=0))
        if not rows.size:
            return 0, 0, np.zeros((0, 0, 4), np.uint8)
        top, bottom, left, right = rows[0], rows[-1] + 1, columns[0], columns[-1] + 1
        # draw_image places an image by its lower-left corner, in display units (y upwards), and
        # takes its rows bottom first.
        return int(left), int(pixels.shape[0] - bottom), pixels[top:bottom, left:right][::-1].copy()


def _text_state(text: Text) -> Callable[[], Hashable]:
    """A text's state as its sprite sees it: its image is made anew when its string or its place changes."""
    return lambda: (text.get_text(), text.get_position())


def sprite_drawers(animated: list[Artist], unchanging: list[Artist], renderer: RendererAgg, *,
                   cached_glyphs: bool = True, one_line_text: bool = True) -> list[Any]:
    """``animated`` with every text, and every artist in ``unchanging``, drawn through a ``Sprite``
    (whose images are drawn on a scratch renderer the size of ``renderer``, with cached glyphs
    sharing its caches where ``cached_glyphs``; a text not yet steady through ``OneLineText`` where
    ``one_line_text``)."""
    scratch = RendererAgg(int(renderer.width), int(renderer.height), renderer.dpi)
    if cached_glyphs:
        scratch.__class__ = GlyphCachingRenderer  # as GlyphCachingCanvas does: text from cached glyphs
        if isinstance(renderer, GlyphCachingRenderer):
            cast(GlyphCachingRenderer, scratch).share_caches(renderer)  # its class, swapped a line above
    fixed = {id(artist) for artist in unchanging}
    drawers: list[Any] = []
    for artist in animated:
        if id(artist) in fixed:
            drawers.append(Sprite(artist, scratch, lambda: True))
        elif isinstance(artist, Text):
            drawers.append(Sprite(artist, scratch, _text_state(artist),
                                  direct=OneLineText(artist).draw if one_line_text else None))
        else:
            drawers.append(artist)
    return drawers
