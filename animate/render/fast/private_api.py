"""Every private matplotlib name the fast path touches, in one table, reached through this module.

matplotlib promises nothing about these names, and each trick was written against one matplotlib
(3.11). So nothing outside this module reaches them: the tricks call the small functions below,
and ``animate.render.fast.probe`` checks at the first render that every name a trick needs is here
(and that the trick then draws what matplotlib draws) before that trick is used. A name that is
gone or answers in another shape turns its trick off; matplotlib then draws, by its public API.

Nothing here imports a private name at import time: a matplotlib without them must still import
this module, and ``import animate`` never imports it at all.
"""
from __future__ import annotations

import importlib
from typing import Any

import numpy as np

# The names each trick reaches, as "module:attribute.path". Instance attributes (Agg's C++ renderer,
# an axis's tick keywords) cannot be looked up on a class: the probe's drawing exercises them.
NAMES: dict[str, tuple[str, ...]] = {
    "glyphs": (
        "matplotlib.ft2font:RenderMode",  # an enum from matplotlib 3.10; before, render modes were ints
        "matplotlib.ft2font:FT2Font._layout",  # HarfBuzz's layout of a whole string, one item a glyph (3.11)
        "matplotlib.ft2font:FT2Font._render_glyph",  # one glyph's bitmap at a sub-pixel offset (3.11)
        "matplotlib.ft2font:FT2Font._set_transform",
        "matplotlib.font_manager:FontManager._find_fonts_by_props",
    ),
    "one_line_text": (
        "matplotlib.text:Text._get_layout",  # (box, [(line, (w, h, d), (x, y))...], ((x, y), (w, h))) in 3.11
        "matplotlib.text:Text._preprocess_math",
        "matplotlib.text:Text._set_gc_clip",
    ),
    "tick_memo": (
        "matplotlib.axis:Axis._update_ticks",
    ),
}
# Hooks matplotlib looks up on a renderer, which ``GlyphCachingRenderer`` answers from its caches (where a
# matplotlib does not look them up, they are never called): ``_get_font_height_metrics`` (Text._get_layout).
INSTANCE_NAMES: dict[str, tuple[str, ...]] = {
    "glyphs": ("RendererAgg._renderer.draw_text_image",),
    "tick_memo": ("Axis._major_tick_kw", "Axis._minor_tick_kw"),
}


def missing(trick: str) -> list[str]:
    """The names of ``NAMES[trick]`` that this matplotlib does not have."""
    gone = []
    for name in NAMES[trick]:
        module_name, _, path = name.partition(":")
        try:
            target: Any = importlib.import_module(module_name)
            for part in path.split("."):
                target = getattr(target, part)
        except (ImportError, AttributeError):
            gone.append(name)
    return gone


# --- glyphs.py ------------------------------------------------------------------------------------

def laid_out(font: Any, text: str, flags: Any) -> list[Any]:
    """FreeType's layout of ``text`` at the font's current size, as Agg asks for it: one item a glyph,
    each with ``ft_object``, ``glyph_index``, ``x``, ``y`` and ``char``."""
    return font._layout(text, flags=flags, features=None, language=None)


def glyph_bitmap(font: Any, glyph: int, flags: Any, offset: tuple[int, int], antialiased: bool) -> Any:
    """Glyph ``glyph`` rendered at a pen offset of ``offset`` 64ths of a pixel: its ``buffer``, ``left``, ``top``."""
    from matplotlib.ft2font import RenderMode

    font._set_transform(np.array([[0x10000, 0], [0, 0x10000]]), list(offset))
    return font._render_glyph(glyph, flags, RenderMode.NORMAL if antialiased else RenderMode.MONO)


def font_paths(font_manager: Any, prop: Any) -> Any:
    """The font files (a fallback list) matplotlib's ``get_font`` takes for ``prop``."""
    return font_manager._find_fonts_by_props(prop)


def draw_text_image(renderer: Any, image: Any, left: int, top: int, gc: Any) -> None:
    """Blend a coverage image in the gc's colour at ``left``, ``top``, as ``RendererAgg.draw_text`` does."""
    renderer._renderer.draw_text_image(image, left, top, 0, gc)


# --- one_line_text.py -------------------------------------------------------------------------------

def text_layout(text: Any, renderer: Any) -> tuple[Any, Any, Any]:
    """``Text._get_layout``: the text's box, its lines with their metrics and offsets, and its descent
    (3.11: the box's origin and size)."""
    return text._get_layout(renderer)


def is_mathtext(text: Any, string: str) -> bool:
    return text._preprocess_math(string) != (string, False)


def set_gc_clip(text: Any, gc: Any) -> None:
    text._set_gc_clip(gc)


# --- tick_memo.py -----------------------------------------------------------------------------------

UPDATE_TICKS = "_update_ticks"  # Axis method that works out the ticks to draw


def tick_keywords(axis: Any) -> tuple[str, str]:
    """The axis's major and minor tick settings, as text (part of what ``_update_ticks`` reads)."""
    return repr(getattr(axis, "_major_tick_kw", None)), repr(getattr(axis, "_minor_tick_kw", None))

