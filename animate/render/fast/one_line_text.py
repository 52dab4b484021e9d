"""A one-line text that changes every frame, drawn without laying it out afresh each time.

matplotlib places a one-line text, and the box behind it, from three numbers of its string alone:
width, height and descent. A counter or a ``w = +0.12`` readout keeps those numbers for many frames
(the same number of digits, the same glyph heights), so ``OneLineText`` works the placement out
through matplotlib once per set of numbers and from then on draws the box and the string there
directly, at about a third of the cost (``Text.draw`` lays a boxed text out twice a frame;
``bench/render_floor.py`` measures a frame with and without the tricks).

Anything but a plain, unrotated line (several lines, mathtext, TeX, path effects, wrapping) is
drawn by ``Text.draw`` itself. ``tests/test_render.py`` compares the pixels with matplotlib's.
"""
from __future__ import annotations

from typing import Any, Hashable

from matplotlib import colors
from matplotlib.text import Text
from matplotlib.transforms import Affine2D

from animate.render.fast.private_api import is_mathtext, set_gc_clip, text_layout

Box = tuple[float, float, float, float]  # left, bottom, width, height in pixels
Placement = tuple[float, float, Box | None]  # the string's pen (x, y), and its box if it has one


class OneLineText:
    """Draws ``text`` as ``Text.draw`` would, reusing its placement while its string's metrics hold."""

    def __init__(self, text: Text) -> None:
        self.text = text
        # Per set of the string's metrics; None where Text._get_layout's answer was not understood.
        self._placements: dict[Hashable, Placement | None] = {}
        self._box_bounds: Box | None = None
        self.matplotlib_lays_out = False  # set when Text._get_layout answers in a shape we do not know

    def _is_plain(self, string: str) -> bool:
        text = self.text
        return (not self.matplotlib_lays_out and "\n" not in string and not text.get_usetex()
                and not text.get_path_effects() and not text.get_wrap() and text.get_rotation() == 0
                and not is_mathtext(text, string))

    def draw(self, renderer: Any) -> None:
        text = self.text
        string = text.get_text()
        if not string or not text.get_visible():
            return
        if not self._is_plain(string):
            text.draw(renderer)
            return
        prop = text.get_fontproperties()
        metrics = renderer.get_text_width_height_descent(string, prop, False)
        key = (tuple(metrics), text.get_position(), hash(prop), text.get_horizontalalignment(),
               text.get_verticalalignment(), text.get_linespacing(), renderer.dpi)
        placement = self._placements.get(key)
        if placement is None:
            placement = self._placements[key] = self._place(renderer)
            if placement is None:  # another matplotlib's layout: Text.draw draws this text from now on
                self.matplotlib_lays_out = True
                text.draw(renderer)
                return
        x, y, box = placement
        patch = text.get_bbox_patch()
        if patch is not None and box is not None:
            if box != self._box_bounds:
                left, bottom, width, height = box
                patch.set_bounds(0.0, 0.0, width, height)
                patch.set_transform(Affine2D().translate(left, bottom))
                patch.set_mutation_scale(renderer.points_to_pixels(text.get_fontsize()))
                self._box_bounds = box
            patch.draw(renderer)
        gc = renderer.new_gc()
        gc.set_foreground(colors.to_rgba(text.get_color()), isRGBA=True)
        gc.set_alpha(text.get_alpha())
        gc.set_url(text.get_url())
        gc.set_antialiased(text.get_antialiased())
        gc.set_snap(text.get_snap())
        set_gc_clip(text, gc)
        renderer.draw_text(gc, x, y, string, prop, 0.0, ismath=False, mtext=text)
        gc.restore()
        text.stale = False

    def _place(self, renderer: Any) -> Placement | None:
        """Where ``Text.draw`` puts the string's pen and the box, worked out as it does; None when
        ``Text._get_layout`` (private) answers in another shape than matplotlib 3.11's."""
        text = self.text
        try:
            _, info, ((box_x, box_y), (box_width, box_height)) = text_layout(text, renderer)
            _, _, (x, y) = info[0]
        except (TypeError, ValueError, IndexError):
            return None
        posx, posy = text.get_transform().transform(text.get_unitless_position())
        x, y = x + posx, y + posy
        if renderer.flipy():
            y = renderer.get_canvas_width_height()[1] - y
        box = (posx + box_x, posy + box_y, box_width, box_height) if text.get_bbox_patch() is not None else None
        return x, y, box
