"""Ticks worked out once per axis geometry while a figure is built, not once per question asked.

Building a figure asks each axis for its ticks ~17 times: constrained layout's two passes measure
every axes, each measure asks the axis and its shared siblings, titles are placed from the ticks,
and the first draw asks again. Between those questions an axis's ticks change only when its view
interval, its size on the canvas, its scale or its locator and formatter do, so ``ticks_worked_out_once``
answers a repeated question from the last answer: about a third of a build (``bench/live_overhead.py``).

It wraps ``Axis._update_ticks``, a private method of matplotlib's, on the figure's own axes and only
while the block runs. Should matplotlib rename it, the wrapper is never called and the build is as
before (``tests/test_render.py`` compares the frames drawn with and without it, pixel for pixel).
"""
from __future__ import annotations

import contextlib
from typing import Any, Callable, Hashable, Iterator

from matplotlib.axis import Axis
from matplotlib.figure import Figure

from animate.render.fast.private_api import UPDATE_TICKS, tick_keywords


def _state(axis: Axis) -> Hashable:
    """Everything ``_update_ticks`` reads: the view interval, the axes' place on the canvas, the scale,
    the tickers and their tick settings, and the tick objects it fills in."""
    return (
        tuple(axis.get_view_interval()), axis.axes.bbox.bounds, axis.get_scale(),
        id(axis.major.locator), id(axis.major.formatter), id(axis.minor.locator), id(axis.minor.formatter),
        *tick_keywords(axis),
        id(axis.majorTicks), len(axis.majorTicks), id(axis.minorTicks), len(axis.minorTicks),
    )


def _remembering(axis: Axis, update_ticks: Callable[[], list]) -> Callable[[], list]:
    last: list[Any] = [None, None]  # [state, ticks to draw]

    def update() -> list:
        state = _state(axis)
        if state != last[0]:
            ticks = update_ticks()
            last[:] = [_state(axis), ticks]  # after: the call may add tick objects
        return list(last[1])

    return update


@contextlib.contextmanager
def ticks_worked_out_once(figure: Figure) -> Iterator[None]:
    """Within the block, each axis of ``figure`` works out its ticks again only when its state changed."""
    axes = [axis for ax in figure.axes for axis in (ax.xaxis, ax.yaxis)]
    wrapped = []
    for axis in axes:
        update_ticks = getattr(axis, UPDATE_TICKS, None)
        if callable(update_ticks) and UPDATE_TICKS not in vars(axis):
            setattr(axis, UPDATE_TICKS, _remembering(axis, update_ticks))
            wrapped.append(axis)
    try:
        yield
    finally:
        for axis in wrapped:
            vars(axis).pop(UPDATE_TICKS, None)
