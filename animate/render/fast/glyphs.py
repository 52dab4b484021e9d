"""Text drawn from cached glyphs: the same pixels as matplotlib's Agg renderer, without FreeType per frame.

A step counter or a ``w = +0.12`` readout changes every frame, and Agg lays it out (HarfBuzz via
libraqm) and rasterises every glyph afresh each time: most of a frame's drawing time before this
cache. Here a glyph's bitmap is rendered once per sub-pixel offset (FreeType places a glyph at a
26.6 fixed-point pen position, so the bitmap depends only on the offset's fraction; a whole-pixel
shift moves it unchanged), and a changing string's layout is put together from the layouts of its
character pairs (advances plus pair kerning add up), learnt from strings laid out whole or shaped
alone. A still string (a tick label, a title) is laid out whole, once for measuring and drawing it
(Agg lays it out for each). The glyphs are then laid side by side into as few images as keep Agg's
pixels, one draw call each. A changing string with a ligature or a character that shapes to several
glyphs goes to Agg unchanged, as does mathtext, rotated text, or text with font features or a
language. matplotlib has no public hook for this: the private calls go through ``private_api``;
``tests/test_render.py`` checks cached and uncached frames are the same pixels.
"""
from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font

from animate.render.fast.private_api import draw_text_image, font_paths, glyph_bitmap, laid_out

SUBPIXELS = 64  # FreeType's 26.6 fixed point: 64 positions per pixel
MAX_CACHED_STRINGS = 4096
NEW_PIECES = 2  # at most this many pieces shaped to measure a string by composition, else it is laid out whole
TIE = 1e-6  # a pen position this near halfway between two 26.6 positions is rounded as Agg rounds it
CHECKED_STRINGS = 8  # per font and size: measured by Agg too, to confirm composed metrics match
_SEEN_ONCE = object()


def _flag_key(flags: Any) -> int:
    """Hinting flags as a plain int for cache keys: hashing the enum is a Python call per glyph."""
    return int(getattr(flags, "value", flags))


def _glyphs(items: list[Any]) -> list[tuple[Any, int, float, float]]:
    """(font, glyph, x, y) per laid-out item: what the caches keep."""
    return [(item.ft_object, item.glyph_index, item.x, item.y) for item in items]


def _joined_runs(placed: list[tuple[np.ndarray, int, int]]) -> list[tuple[np.ndarray, int, int]]:
    """A line's glyph bitmaps joined into as few images as keep the pixels Agg draws: one draw call
    per image instead of one per glyph. Glyphs whose boxes share no column go into one image; where a
    glyph's box overlaps the one before (an italic, a tight pair), Agg blends the two coverages, so it
    starts an image of its own and is blended over the first, as Agg does."""
    runs: list[list[tuple[np.ndarray, int, int]]] = []
    right = None
    for item in placed:
        buffer, left, _ = item
        if not buffer.size:
            continue
        if right is None or left < right:
            runs.append([item])
            right = left + buffer.shape[1]
        else:
            runs[-1].append(item)
            right = max(right, left + buffer.shape[1])
    return [run[0] if len(run) == 1 else _one_image(run) for run in runs]


def _one_image(placed: list[tuple[np.ndarray, int, int]]) -> tuple[np.ndarray, int, int]:
    """Glyph bitmaps whose boxes share no column, in one image, with its left and top edges."""
    left = min(item[1] for item in placed)
    top = max(item[2] for item in placed)
    right = max(item[1] + item[0].shape[1] for item in placed)
    bottom = min(item[2] - item[0].shape[0] for item in placed)
    image = np.zeros((top - bottom, right - left), np.uint8)
    for buffer, glyph_left, glyph_top in placed:
        rows, columns = top - glyph_top, glyph_left - left
        image[rows:rows + buffer.shape[0], columns:columns + buffer.shape[1]] = buffer
    return image, left, top


class GlyphCachingRenderer(RendererAgg):
    """RendererAgg whose plain text (no mathtext, no rotation) comes from cached glyph bitmaps."""

    def _caches(self) -> tuple[dict, dict, dict, dict]:
        """Glyph bitmaps, pair layouts, font files, and per-string results (lines, sizes, font heights).

        Made on first use: the canvas turns a plain RendererAgg into this class after creating it."""
        if not hasattr(self, "_glyph_bitmaps"):
            self._glyph_bitmaps: dict = {}
            self._pair_layouts: dict = {}
            self._font_paths: dict = {}
            self._metrics: dict = {}
            self._string_layouts: dict = {}  # a new string is measured, then drawn: laid out once for both
            self._whole_layouts: dict = {}  # strings laid out whole, as Agg lays them out
        return self._glyph_bitmaps, self._pair_layouts, self._font_paths, self._metrics

    def share_caches(self, other: "GlyphCachingRenderer") -> None:
        """Use ``other``'s caches (a renderer of the same dpi): what one has shaped and rendered, the
        other need not. Every entry is keyed by what it depends on, never by the renderer."""
        other._caches()
        self._glyph_bitmaps, self._pair_layouts = other._glyph_bitmaps, other._pair_layouts
        self._font_paths, self._metrics, self._string_layouts = other._font_paths, other._metrics, other._string_layouts
        self._whole_layouts = other._whole_layouts

    def _font(self, prop: Any, *, sized: bool = True) -> Any:
        """The font for ``prop``; ``sized=False`` when only its file name is needed (cached work), as
        setting FreeType's size costs more than the lookup."""
        paths = self._caches()[2]
        key = hash(prop)
        if key not in paths:
            paths[key] = font_paths(fontManager, prop)
        font = get_font(paths[key])
        if sized:
            font.clear()
            font.set_size(prop.get_size_in_points(), self.dpi)
        return font

    def _layout(self, font: Any, text: str, size: float,
                max_new: int | None = None) -> list[tuple[Any, int, float, float]] | None:
        """(font, glyph, x, y) per glyph, composed from cached pair layouts; None when pairs do not add up,
        or when more than ``max_new`` pieces would have to be shaped (each costs a FreeType layout)."""
        pair_layouts = self._caches()[1]
        flags = get_hinting_flag()
        string_key = (font.fname, size, self.dpi, _flag_key(flags), text)
        known = self._string_layouts.get(string_key)
        if known is not None:
            return known
        # One table per font, size and hinting, keyed by the piece alone: a counter looks up ~2 pieces a
        # character, and a short string hashes faster than a tuple.
        table = pair_layouts.setdefault(string_key[:-1], {})

        sized: list[bool] = []

        def shaped(piece: str) -> list:
            found = table.get(piece)
            if found is None:
                if not sized:  # once per string: resizing makes FreeType's next layout ~35% slower
                    font.clear()
                    font.set_size(size, self.dpi)
                    sized.append(True)
                found = table[piece] = _glyphs(laid_out(font, piece, flags))
            return found

        pairs = [a + b for a, b in itertools.pairwise(text)]
        if max_new is not None and sum(piece not in table for piece in dict.fromkeys([*text, *pairs])) > max_new:
            return None

        first = shaped(text[0])
        if len(first) != 1:
            return None
        glyphs = [first[0]]
        x = first[0][2]
        for pair_text, current in zip(pairs, text[1:], strict=True):
            pair, alone = shaped(pair_text), shaped(current)
            if len(pair) != 2 or len(alone) != 1 or pair[1][1] != alone[0][1] or pair[1][3] != 0 or pair[0][3] != 0:
                return None
            x += pair[1][2] - pair[0][2]
            glyphs.append((alone[0][0], alone[0][1], x, 0.0))
        if len(self._string_layouts) > MAX_CACHED_STRINGS:
            self._string_layouts.clear()
        self._string_layouts[string_key] = glyphs
        return glyphs

    def _whole_layout(self, font: Any, text: str, size: float) -> list[tuple[Any, int, float, float]]:
        """(font, glyph, x, y) per glyph from one FreeType layout of the whole string, Agg's own positions:
        for a string measured and drawn once (a tick label, a title), cheaper than shaping its pieces."""
        flags = get_hinting_flag()
        key = (font.fname, size, self.dpi, _flag_key(flags), text)
        layouts = self._whole_layouts
        known = layouts.get(key)
        if known is None:
            font.clear()
            font.set_size(size, self.dpi)
            items = laid_out(font, text, flags)
            known = _glyphs(items)
            if len(layouts) > MAX_CACHED_STRINGS:
                layouts.clear()
            layouts[key] = known
            one_glyph_a_character = len(items) == len(text) and all(
                item.char == char and not item.y for item, char in zip(items, text, strict=True))
            if one_glyph_a_character:
                self._learn_pieces(key[:-1], text, known)
        return known

    def _learn_pieces(self, table_key: tuple, text: str, glyphs: list[tuple[Any, int, float, float]]) -> None:
        """Each character and pair of a string laid out whole (one glyph a character, none raised), as
        shaping it alone gives them: the next strings with these pairs compose without a FreeType layout
        per piece. Composing already rests on pairs' offsets not depending on their neighbours."""
        table = self._caches()[1].setdefault(table_key, {})
        for index, (char, (glyph_font, glyph, x, _)) in enumerate(zip(text, glyphs, strict=True)):
            table.setdefault(char, [(glyph_font, glyph, 0.0, 0.0)])
            if index + 1 < len(text):
                next_font, next_glyph, next_x, _ = glyphs[index + 1]
                table.setdefault(text[index:index + 2], [(glyph_font, glyph, 0.0, 0.0),
                                                         (next_font, next_glyph, next_x - x, 0.0)])

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # noqa: D401 - Agg's signature
        special = mtext is not None and (mtext.get_fontfeatures() or mtext.get_language())
        if ismath or angle % 360 or special or not s:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        font = self._font(prop, sized=False)
        size = prop.get_size_in_points()
        antialiased = bool(gc.get_antialiased())
        pen_x, pen_y = SUBPIXELS * x, SUBPIXELS * (self.height - y)  # FreeType's y is upwards
        if abs(pen_x % 1 - 0.5) < TIE or abs(pen_y % 1 - 0.5) < TIE:
            # Halfway between two 26.6 positions (a centred title can be), Agg rounds each glyph's pen to
            # even on its own, which need not agree with the string's pen rounded once plus the glyph's offset.
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        pen_x, pen_y = round(pen_x), round(pen_y)
        phase = (pen_x % SUBPIXELS, pen_y % SUBPIXELS)
        strings = self._caches()[3]
        key = ("string", s, font.fname, size, self.dpi, phase, antialiased, _flag_key(get_hinting_flag()))
        cached = strings.get(key)
        if cached is None or cached is _SEEN_ONCE:
            # A still text (a tick label, a title's line) is laid out whole, as Agg does, but its glyphs are
            # drawn without Agg's per-glyph resizing and transform arithmetic (half Agg's time). An animated
            # one (a counter) is composed from pieces, which its next strings will share.
            still = mtext is None or not mtext.get_animated()
            bitmaps = self._placed_glyphs(font, s, size, phase, antialiased, whole=still)
            if bitmaps is None:
                return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
            placed = _joined_runs(bitmaps)
            # A counter's text is seen once: drawn, not kept. Seen again (a note, a label): kept.
            strings[key] = _SEEN_ONCE if cached is None else placed
        else:
            placed = cached
        if len(strings) > MAX_CACHED_STRINGS:  # a long animation's counters: keep the cache bounded
            strings.clear()
        height = int(self.height)
        for buffer, left, top in placed:
            if buffer.size:
                left += pen_x // SUBPIXELS
                top += pen_y // SUBPIXELS
                draw_text_image(self, buffer, left, height - top + buffer.shape[0], gc)

    def _placed_glyphs(self, font: Any, text: str, size: float, phase: tuple[int, int], antialiased: bool,
                       whole: bool = False) -> list[tuple[np.ndarray, int, int]] | None:
        """Each glyph's bitmap with its left and top edges in pixels from the pen's whole-pixel origin;
        the string laid out ``whole`` or composed from pieces."""
        glyphs = self._whole_layout(font, text, size) if whole else self._layout(font, text, size)
        if glyphs is None:
            return None
        flags = get_hinting_flag()
        flag_key = _flag_key(flags)
        tables = self._caches()[0]
        placed = []
        phase_x, phase_y = phase
        for glyph_font, glyph, dx, dy in glyphs:
            pen_x, pen_y = phase_x + round(SUBPIXELS * dx), phase_y + round(SUBPIXELS * dy)
            key = (glyph, pen_x % SUBPIXELS, pen_y % SUBPIXELS)
            table = tables.get((glyph_font.fname, size, self.dpi, antialiased, flag_key))
            cached = table.get(key) if table is not None else None
            if cached is None:
                glyph_font.set_size(size, self.dpi)
                bitmap = glyph_bitmap(glyph_font, glyph, flags, key[1:], antialiased)
                buffer = np.array(bitmap.buffer, dtype=np.uint8)
                if not antialiased:
                    buffer *= 0xff
                cached = tables.setdefault((glyph_font.fname, size, self.dpi, antialiased, flag_key), {})[key] = (
                    buffer, bitmap.left, bitmap.top)
            buffer, left, top = cached
            placed.append((buffer, left + pen_x // SUBPIXELS, top + pen_y // SUBPIXELS))
        return placed

    def _get_font_height_metrics(self, prop: Any) -> tuple[float, float, float] | tuple[None, None, None]:
        """Ascent, descent and line gap of a font at a size: what ``Text._get_layout`` reads from the font's
        tables on every draw (the hook matplotlib keeps for its PDF backend), computed once per font."""
        metrics = self._caches()[3]
        key = ("height", hash(prop), self.dpi)
        if key not in metrics:
            font = self._font(prop)
            for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                                     ("hhea", "lineGap", "ascent", "descent")):
                table = font.get_sfnt_table(table_name)
                if table is not None:
                    scale = prop.get_size_in_points() * self.dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
                    metrics[key] = (table[ascent] * scale, -table[descent] * scale, table[gap] * scale)
                    break
            else:
                metrics[key] = (None, None, None)
        return metrics[key]

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        metrics = self._caches()[3]
        key = ("metrics", s, hash(prop), self.dpi)
        if key not in metrics:
            if len(metrics) > MAX_CACHED_STRINGS:
                metrics.clear()
            metrics[key] = self._composed_metrics(s, prop) or super().get_text_width_height_descent(s, prop, ismath)
        return metrics[key]

    def _composed_metrics(self, text: str, prop: Any) -> tuple[float, float, float] | None:
        """Width, height and descent of a new string from its cached layout and glyph boxes: what Agg
        asks FreeType to lay out afresh (a counter is a new string every frame).

        As matplotlib 3.11 measures: the width is the pen's advance, the height and descent the union of
        the glyphs' boxes. Each font's first ``CHECKED_STRINGS`` strings, and every string with a
        character not yet in a checked one, are measured both ways; a font whose numbers ever differ
        is measured by Agg from then on."""
        if not text:
            return None
        metrics = self._caches()[3]
        font = self._font(prop, sized=False)
        size = prop.get_size_in_points()
        trust_key = ("trusted", font.fname, size, self.dpi)
        trust = metrics.setdefault(trust_key, {"checked": 0, "characters": set()})
        if trust is False:
            return None
        # A label measured once costs one FreeType layout, kept for drawing it, which also teaches it pieces;
        # composing it from pieces not yet known would cost one layout per piece.
        glyphs = self._layout(font, text, size, max_new=NEW_PIECES) or self._whole_layout(font, text, size)
        if any(y for *_, y in glyphs):  # a glyph raised or lowered: Agg measures that
            return None
        flags = get_hinting_flag()
        flag_key = _flag_key(flags)
        low, high = 32000, -32000
        for glyph_font, glyph, _, _ in glyphs:
            box_key = ("box", glyph_font.fname, size, self.dpi, glyph, flag_key)
            if box_key not in metrics:
                glyph_font.set_size(size, self.dpi)
                loaded = glyph_font.load_glyph(glyph, flags=flags)
                metrics[box_key] = (loaded.bbox[1], loaded.bbox[3], loaded.horiAdvance)
            bottom, top, advance = metrics[box_key]
            low, high = min(low, bottom), max(high, top)
        width = round(SUBPIXELS * glyphs[-1][2]) + advance
        measured = (width / SUBPIXELS, (high - low) / SUBPIXELS, -low / SUBPIXELS)
        if trust["checked"] < CHECKED_STRINGS or not trust["characters"].issuperset(text):
            agg = RendererAgg.get_text_width_height_descent(self, text, prop, False)
            if tuple(agg) == measured:
                trust["checked"] += 1
                trust["characters"].update(text)
            else:
                metrics[trust_key] = False
            return agg
        return measured


class GlyphCachingCanvas(FigureCanvasAgg):
    """An Agg canvas drawing with ``GlyphCachingRenderer`` (in full redraws as in blitted frames)."""

    def get_renderer(self) -> RendererAgg:
        renderer = super().get_renderer()
        if type(renderer) is RendererAgg:
            renderer.__class__ = GlyphCachingRenderer
        return renderer
