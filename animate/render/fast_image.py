"""A map's image resampled with two small matrix products instead of matplotlib's general resampler.

A map is a 61x61 (or so) lattice shown over ~300x370 screen pixels with bilinear interpolation.
matplotlib resamples it through Agg's general image pipeline twice per frame (values, then the
mask), ~2.5 ms of a classifier frame's ~8 ms. Bilinear upsampling to a fixed size is separable and
the same every frame: ``Wy @ Z @ Wx.T`` with weight matrices made once, then the colour map. The
result matches matplotlib's to a shade or two inside the image (checked in
``tests/test_render.py``); the full-redraw reference still draws matplotlib's own image.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.image import AxesImage


def bilinear_weights(source: int, target: int) -> np.ndarray:
    """(target, source) weights: each target pixel's centre mapped into the source's pixel grid,
    interpolated between its two nearest source pixel centres (clamped at the edges)."""
    centres = (np.arange(target) + 0.5) * source / target - 0.5
    centres = np.clip(centres, 0, source - 1)
    low = np.floor(centres).astype(int)
    high = np.minimum(low + 1, source - 1)
    fraction = centres - low
    weights = np.zeros((target, source))
    weights[np.arange(target), low] += 1 - fraction
    weights[np.arange(target), high] += fraction
    return weights


def is_plain_map(image: Any) -> bool:
    """An image this module draws: a map over its whole axes, bilinear, origin at the lower left."""
    return (isinstance(image, AxesImage) and image.get_interpolation() == "bilinear" and image.origin == "lower"
            and image.get_clip_path() is None and not image.get_rasterized())


class MapImage:
    """Draws an ``AxesImage`` (scalar values through its norm and colour map, or RGB) at screen size."""

    def __init__(self, image: AxesImage) -> None:
        self.image = image
        ax = image.axes
        x0, x1, y0, y1 = image.get_extent()
        (left, bottom), (right, top) = ax.transData.transform([(x0, y0), (x1, y1)])
        self.left, self.bottom = int(round(left)), int(round(bottom))
        width, height = int(round(right)) - self.left, int(round(top)) - self.bottom
        rows, columns = np.shape(image.get_array())[:2]
        self.across = bilinear_weights(columns, width).T.copy()  # (columns, width)
        self.up = bilinear_weights(rows, height)  # (height, rows)

    def draw(self, renderer: Any) -> None:
        image = self.image
        if not image.get_visible():
            return
        data = np.asarray(image.get_array(), dtype=float)
        if data.ndim == 2:
            values = self.up @ data @ self.across
            pixels = image.cmap(image.norm(values), alpha=image.get_alpha(), bytes=True)
        else:  # RGB(A) in 0..1: each channel resampled alike
            channels = np.stack([self.up @ data[..., k] @ self.across for k in range(3)], axis=-1)
            pixels = np.empty(channels.shape[:2] + (4,), np.uint8)
            pixels[..., :3] = np.clip(np.round(channels[..., :3] * 255), 0, 255)
            alpha = image.get_alpha()
            pixels[..., 3] = 255 if alpha is None else round(alpha * 255)
        gc = renderer.new_gc()
        gc.set_clip_rectangle(image.axes.bbox)
        # Origin lower: the first row is the bottom one, which is what draw_image takes first.
        renderer.draw_image(gc, self.left, self.bottom, np.ascontiguousarray(pixels))
        gc.restore()
