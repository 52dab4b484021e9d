"""A map's image resampled by two interpolation passes instead of matplotlib's general resampler.

A map is a 61x61 (or so) lattice shown over ~300x370 screen pixels with bilinear interpolation.
matplotlib resamples it through Agg's general image pipeline twice per frame (values, then the
mask), about a third of a classifier frame (``bench/render_floor.py``). Bilinear upsampling to a
fixed size is separable and the same every frame: each screen row (then column) mixes its two nearest lattice rows with
weights computed once, then the colour map. (Not as matrix products: OpenBLAS would start threads
for them that fight the encoders for the two cores, slower in all.) The result matches
matplotlib's to a few shades (checked in ``tests/test_render.py``); the full-redraw reference
still draws matplotlib's own image.
"""
from __future__ import annotations

from typing import Any, TypeGuard

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.image import AxesImage

SHADES = 10  # of 255: a map resampled here differs from matplotlib's by at most this (at its sharp edges)


class Bilinear:
    """Linear interpolation from ``source`` samples to ``target`` pixels along one axis: each target
    pixel's centre mapped into the source's pixel grid, between its two nearest source centres
    (clamped at the edges)."""

    def __init__(self, source: int, target: int) -> None:
        centres = np.clip((np.arange(target) + 0.5) * source / target - 0.5, 0, source - 1)
        self.low = np.floor(centres).astype(int)
        self.high = np.minimum(self.low + 1, source - 1)
        self.fraction = centres - self.low

    def along(self, values: np.ndarray, axis: int) -> np.ndarray:
        shape = [1] * values.ndim
        shape[axis] = len(self.fraction)
        fraction = self.fraction.reshape(shape)
        low, high = np.take(values, self.low, axis=axis), np.take(values, self.high, axis=axis)
        return low + (high - low) * fraction


def is_plain_map(image: Any) -> TypeGuard[AxesImage]:
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
        rows, columns = image.get_size()
        self.across, self.up = Bilinear(columns, width), Bilinear(rows, height)

    def draws_as_matplotlib(self, renderer: Any) -> bool:
        """Whether this draws the map as matplotlib does here, to ``SHADES``, on two scratch canvases the
        size of ``renderer``'s: where matplotlib puts a map's edge pixels differs between its versions,
        so each map is checked once, when its figure is built."""
        width, height = int(renderer.width), int(renderer.height)
        ours, theirs = RendererAgg(width, height, renderer.dpi), RendererAgg(width, height, renderer.dpi)
        self.draw(ours)
        self.image.draw(theirs)
        x0, y0, x1, y1 = (int(v) for v in self.image.axes.bbox.extents)
        rows = slice(max(height - y1 - 2, 0), height - y0 + 2)  # the axes and a pixel or two round it
        columns = slice(max(x0 - 2, 0), x1 + 2)
        difference = np.abs(np.asarray(ours.buffer_rgba())[rows, columns].astype(np.int16)
                            - np.asarray(theirs.buffer_rgba())[rows, columns].astype(np.int16))
        return int(difference.max(initial=0)) <= SHADES

    def draw(self, renderer: Any) -> None:
        image = self.image
        if not image.get_visible():
            return
        data = np.asarray(image.get_array(), dtype=float)
        resampled = self.across.along(self.up.along(data, axis=0), axis=1)
        if data.ndim == 2:
            pixels = image.cmap(image.norm(resampled), alpha=image.get_alpha(), bytes=True)
        else:  # RGB in 0..1 (a class map): each channel resampled alike, the image's alpha for all
            pixels = np.empty(resampled.shape[:2] + (4,), np.uint8)
            pixels[..., :3] = np.clip(np.round(resampled[..., :3] * 255), 0, 255)
            alpha = image.get_alpha()
            pixels[..., 3] = 255 if alpha is None else round(alpha * 255)
        gc = renderer.new_gc()
        gc.set_clip_rectangle(image.axes.bbox)
        # Origin lower: the first row is the bottom one, which is what draw_image takes first.
        renderer.draw_image(gc, self.left, self.bottom, np.ascontiguousarray(pixels))
        gc.restore()
