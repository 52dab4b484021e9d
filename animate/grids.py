"""Grids to record predictions on: a line for 1-D inputs, a lattice for 2-D maps.

The renderer draws 1-D grids as curves and 2-D grids as images, and an image needs a regular
lattice: every (x, y) pair once, evenly spaced, any other input held fixed. Building one by hand
with ``meshgrid`` is easy to get subtly wrong (a transposed axis, a feature left varying), so these
helpers build it, and ``lattice_axes`` checks a grid and says how to build one when it is not.
"""
from __future__ import annotations

import math
import numbers
from typing import Any, Mapping, Sequence

import numpy as np

from animate.errors import RecordingError, RenderError

SPACING_TOLERANCE = 1e-3  # relative: float32 grids of a few hundred points are well inside it
CONSTANT_TOLERANCE = 1e-9  # relative: a held feature is one value, up to rounding

Hold = float | Sequence[float] | Mapping[int, float]


def line(low: float, high: float, points: int = 200) -> np.ndarray:
    """``points`` evenly spaced inputs from ``low`` to ``high``, shape (points, 1): a 1-D grid."""
    low, high = _range("line", (low, high))
    return np.linspace(low, high, _points("points", points))[:, None]


def lattice(
    x_range: Sequence[float],
    y_range: Sequence[float],
    points: int | Sequence[int] = 61,
    *,
    features: int = 2,
    axes: Sequence[int] = (0, 1),
    hold: Hold = 0.0,
) -> np.ndarray:
    """A regular lattice over two input features, shape (G, ``features``) with G = x points × y points.

    Feature ``axes[0]`` spans ``x_range`` and varies fastest (row k is x index k % nx, y index
    k // nx), feature ``axes[1]`` spans ``y_range``; every other feature is held at ``hold``: one
    value for all, a length-``features`` sequence (its entries for ``axes`` are ignored) or a
    mapping {feature: value} (unnamed features at 0). ``points`` is per axis, or an (x, y) pair.
    This is the slice of a D-feature model's input space the renderer's map panel draws.
    """
    x_low, x_high = _range("x_range", x_range)
    y_low, y_high = _range("y_range", y_range)
    if isinstance(points, (Sequence, np.ndarray)) and not isinstance(points, str):
        if len(points) != 2:
            raise RecordingError(f"points must be one count or an (x, y) pair, got {list(points)}")
        x_points, y_points = _points("points", points[0]), _points("points", points[1])
    else:
        x_points = y_points = _points("points", points)
    if not _is_int(features) or features < 2:
        raise RecordingError(f"features must be an integer of at least 2 for a lattice over two features, "
                             f"got {features!r}")
    first, second = _axes(axes, int(features), RecordingError)
    grid = np.empty((x_points * y_points, int(features)), dtype=np.float64)
    grid[:] = _held_values(hold, int(features))
    xs, ys = np.meshgrid(np.linspace(x_low, x_high, x_points), np.linspace(y_low, y_high, y_points))
    grid[:, first], grid[:, second] = xs.ravel(), ys.ravel()  # row-major: x fastest
    return grid


def lattice_axes(grid: np.ndarray, axes: Sequence[int] = (0, 1)) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The x values, the y values and the row order of a grid that is a regular lattice over ``axes``.

    ``order`` sorts the grid's rows into row-major image order (rows by the second feature, columns
    by the first), so ``values[order].reshape(len(ys), len(xs))`` is the image. Raises RenderError,
    saying how to build a lattice, when the grid is not one (a pair missing or repeated, uneven
    spacing, or another feature that varies).
    """
    grid = np.asarray(grid)
    if grid.ndim != 2 or grid.dtype.kind not in "fiu":
        raise RenderError(f"grid must be a numeric (G, D) array, got {grid.dtype} {grid.shape}")
    count, width = grid.shape
    first, second = _axes(axes, width, RenderError)

    def refuse(reason: str) -> RenderError:
        where = "" if (first, second) == (0, 1) and width == 2 else f", features={width}, axes=({first}, {second})"
        return RenderError(f"grid is not a lattice over features {first} and {second} ({reason}); build one with "
                           f"animate.grids.lattice(x_range, y_range, points{where})")

    if not np.isfinite(grid).all():
        raise refuse("it holds NaN or infinite values")
    xs, ys = np.unique(grid[:, first]), np.unique(grid[:, second])
    if len(xs) < 2 or len(ys) < 2:
        raise refuse(f"{len(xs)} value(s) of feature {first} and {len(ys)} of feature {second}; a map needs 2 or more")
    cells = np.searchsorted(ys, grid[:, second]) * len(xs) + np.searchsorted(xs, grid[:, first])
    if len(xs) * len(ys) != count or len(np.unique(cells)) != count:
        raise refuse(f"{count} rows, but {len(xs)} values of feature {first} × {len(ys)} of feature {second} "
                     f"= {len(xs) * len(ys)} pairs, each needed once")
    for feature, values in ((first, xs), (second, ys)):
        steps = np.diff(values)
        if not np.allclose(steps, steps.mean(), rtol=SPACING_TOLERANCE, atol=0):
            raise refuse(f"feature {feature} is not evenly spaced")
    for feature in sorted(set(range(width)) - {first, second}):
        column = grid[:, feature]
        if np.ptp(column) > CONSTANT_TOLERANCE * max(1.0, float(np.abs(column).max())):
            raise refuse(f"feature {feature} varies from {column.min():g} to {column.max():g}; hold it at one value")
    order = np.lexsort((grid[:, first], grid[:, second]))  # rows by the second feature
    return xs, ys, order


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _range(name: str, bounds: Any) -> tuple[float, float]:
    try:
        low, high = (float(bound) for bound in bounds)
    except (TypeError, ValueError):
        raise RecordingError(f"{name} must be a (low, high) pair of numbers, got {bounds!r}") from None
    if not (math.isfinite(low) and math.isfinite(high)) or not low < high:
        raise RecordingError(f"{name} must be finite with low < high, got ({low:g}, {high:g})")
    return low, high


def _points(name: str, points: Any) -> int:
    if not _is_int(points) or points < 2:
        raise RecordingError(f"{name} must be an integer of at least 2, got {points!r}")
    return int(points)


def _axes(axes: Any, width: int, error: type[Exception]) -> tuple[int, int]:
    try:
        first, second = axes
    except (TypeError, ValueError):
        raise error(f"axes must be a pair of feature indices, got {axes!r}") from None
    if not (_is_int(first) and _is_int(second)) or first == second or not (0 <= first < width and 0 <= second < width):
        raise error(f"axes must be two different features from 0 to {width - 1}, got {tuple(axes)!r}")
    return int(first), int(second)


def _held_values(hold: Hold, features: int) -> np.ndarray:
    """The value of every feature off the lattice's two axes."""
    if isinstance(hold, Mapping):
        values = np.zeros(features)
        for feature, value in hold.items():
            if not _is_int(feature) or not 0 <= feature < features:
                raise RecordingError(f"hold names feature {feature!r}; features go from 0 to {features - 1}")
            values[int(feature)] = _finite("hold", value)
        return values
    if isinstance(hold, numbers.Real) and not isinstance(hold, bool):
        return np.full(features, _finite("hold", hold))
    values = np.asarray(hold, dtype=object)
    if values.ndim != 1 or len(values) != features:
        raise RecordingError(f"hold must be one number, {features} numbers (one per feature) or a "
                             f"{{feature: value}} mapping, got {hold!r}")
    return np.array([_finite("hold", value) for value in values])


def _finite(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RecordingError(f"{name} values must be numbers, got {value!r}") from None
    if not math.isfinite(number) or isinstance(value, bool):
        raise RecordingError(f"{name} values must be finite numbers, got {value!r}")
    return number
